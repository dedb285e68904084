namespace PaperCatalog.Submissions;

/// <summary>A stored submission, as moderators see it (and, without the e-mail, as its submitter does).</summary>
public sealed record Submission
{
    public long Id { get; init; }
    public string Token { get; init; } = "";
    public string Status { get; init; } = "";
    public string Title { get; init; } = "";
    public string Link { get; init; } = "";
    public string? ArxivId { get; init; }
    public string? Doi { get; init; }
    public string? TopicSlug { get; init; }
    public string? TopicName { get; init; }
    public string? NewTopic { get; init; }
    public string Keywords { get; init; } = "";
    public string Affiliation { get; init; } = "";
    public string Published { get; init; } = "";
    public string? Venue { get; init; }
    public long? Citations { get; init; }
    public string? IntroMarkdown { get; init; }
    /// <summary>The intro rendered when it was stored (or last edited); null when there is none.</summary>
    public string? IntroHtml { get; init; }
    public string? SubmitterName { get; init; }
    public string? SubmitterEmail { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? ModeratorNote { get; init; }
    public string? PaperSlug { get; init; }
    /// <summary>The submission proposes new values for a published paper's fields instead of a new paper.</summary>
    public bool IsCorrection { get; init; }
    /// <summary>The paper a correction is for (null for a new paper, or when that paper was deleted).</summary>
    public long? CorrectsPaperId { get; init; }
    public string? CorrectsSlug { get; init; }
    /// <summary>The figure's type, size and description (null without a figure); its bytes are served apart.</summary>
    public string? FigureType { get; init; }
    public long FigureWidth { get; init; }
    public long FigureHeight { get; init; }
    public string? FigureDescription { get; init; }
    public Figures.FigureView? Figure => FigureType is null ? null
        : new Figures.FigureView { ContentType = FigureType, Width = FigureWidth, Height = FigureHeight, Description = FigureDescription ?? "" };
    /// <summary>The paper as submitted, every field of it (<see cref="Papers.PaperFields"/>), as a table would show it.</summary>
    public PaperRow? Paper { get; init; }

    /// <summary>The submission as a form, for editing before approval.</summary>
    public SubmissionForm ToForm()
    {
        var form = Papers.PaperFields.ToForm(Paper ?? new PaperRow { Slug = "", Title = Title }, IntroMarkdown);
        form.Topic = TopicSlug ?? SubmissionForm.NewTopic;
        form.NewTopicName = NewTopic;
        form.Keywords = Keywords;
        form.Name = SubmitterName;
        form.Email = SubmitterEmail;
        return form;
    }
}

/// <summary>Which end of the queue a page starts from.</summary>
public enum QueueOrder { Oldest, Newest }

/// <summary>One line of the moderation queue: enough to recognise a submission (or spam) without opening it.</summary>
public sealed record QueueRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Link { get; init; } = "";
    public string? TopicName { get; init; }
    public string? NewTopic { get; init; }
    public string Affiliation { get; init; } = "";
    public string Published { get; init; } = "";
    public string? SubmitterName { get; init; }
    public string CreatedAt { get; init; } = "";
    /// <summary>The intro's first words as plain text; null when there is no intro.</summary>
    public string? IntroExcerpt { get; init; }
    public IReadOnlyList<DuplicateCandidate> Duplicates { get; init; } = [];
    /// <summary>The paper a correction is for, never its own duplicate; null for a new paper.</summary>
    public long? CorrectsPaperId { get; init; }
    /// <summary>A correction of a published paper rather than a new paper (its paper may have been deleted since).</summary>
    public bool IsCorrection { get; init; }
    /// <summary>The slug of the paper a correction is for, while it exists.</summary>
    public string? CorrectsSlug { get; init; }
    /// <summary>The submission carries a figure.</summary>
    public bool HasFigure { get; init; }
    /// <summary>The row was stored before intros were rendered at storage (read from the store, then cleared).</summary>
    internal bool NeedsRender { get; init; }
}

/// <summary>A page of the queue: its rows, how many submissions wait in all, and which page of how many this is.</summary>
public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, long Total, int Number, int Size, QueueOrder Order)
{
    /// <summary>What the page is narrowed to; <see cref="Total"/> counts the matching submissions only.</summary>
    public QueueFilter Filter { get; init; } = QueueFilter.None;

    public int Pages => PagesFor(Total, Size);

    /// <summary>How many pages <paramref name="total"/> rows make; an empty queue is one (empty) page.</summary>
    public static int PagesFor(long total, int size) => total == 0 ? 1 : (int)Math.Min(int.MaxValue, (total + size - 1) / size);
}

/// <summary>
/// A title and link to look for duplicates of; <see cref="ExceptSubmission"/> is the submission itself and
/// <see cref="ExceptPaper"/> the paper a correction is for, never their own duplicates.
/// </summary>
public sealed record DuplicateProbe(string? Title, string? Link, long? ExceptSubmission = null, long? ExceptPaper = null);

/// <summary>
/// Where duplicates are looked for. The queue is private: only moderators, and the submission form's own refusal at
/// posting time, look into it.
/// </summary>
public enum DuplicateScope { Catalog, CatalogAndQueue }

/// <summary>How strongly a candidate looks like the same paper.</summary>
public enum DuplicateKind { SameArxivId, SameDoi, SameTitle, SimilarTitle }

/// <summary>A paper in the catalog, or a submission in the queue, that may be the same paper.</summary>
public sealed record DuplicateCandidate(DuplicateKind Kind, string Title, string? PaperSlug, long? SubmissionId)
{
    /// <summary>Exact matches are refused; a similar title is a warning the submitter may confirm.</summary>
    public bool IsExact => Kind != DuplicateKind.SimilarTitle;

    public string Reason => Kind switch
    {
        DuplicateKind.SameArxivId => "the same arXiv paper",
        DuplicateKind.SameDoi => "the same DOI",
        DuplicateKind.SameTitle => "the same title",
        _ => "a very similar title",
    };
}

/// <summary>The outcome of a submission: its private token (the same for a repeat of the same form).</summary>
public sealed record SubmitResult(string Token);

/// <summary>
/// What the moderator narrows the queue to: text in the title, keywords or affiliation; one topic (or
/// <see cref="NewTopic"/> for those that suggest one); only those waiting at least <see cref="MinAgeDays"/> days; only
/// exact duplicates (the same arXiv id, DOI or folded title as a paper or another pending submission).
/// </summary>
public sealed record QueueFilter(string? Search = null, string? Topic = null, int? MinAgeDays = null, bool DuplicatesOnly = false, QueueKind? Kind = null)
{
    /// <summary>The <see cref="Topic"/> value for submissions that suggest a new topic.</summary>
    public const string NewTopic = "-new";

    /// <summary>Longest search text kept: enough for a title, and a bound on what a hand-made URL makes SQLite scan for.</summary>
    public const int MaxSearch = 200;

    public static readonly QueueFilter None = new();

    public bool IsEmpty => Search is null && Topic is null && MinAgeDays is null && !DuplicatesOnly && Kind is null;

    /// <summary>The <c>kind</c> parameter's value for <see cref="Kind"/>: "new" or "correction", null for both.</summary>
    public string? KindParameter => Kind switch { QueueKind.NewPaper => "new", QueueKind.Correction => "correction", _ => null };

    /// <summary>A filter from the queue's query string: blank or unreadable values are no filter, a long search is clipped.</summary>
    public static QueueFilter From(string? search, string? topic, string? age, string? duplicates, string? kind = null)
    {
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        if (search is { Length: > MaxSearch }) search = search[..MaxSearch];
        topic = string.IsNullOrWhiteSpace(topic) || topic.Length > 200 ? null : topic.Trim();
        int? days = int.TryParse(age, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 3650 ? d : null;
        QueueKind? k = kind switch { "new" => QueueKind.NewPaper, "correction" => QueueKind.Correction, _ => null };
        return new QueueFilter(search, topic, days, duplicates is "1" or "true" or "on", k);
    }
}

/// <summary>What a submission proposes: a new paper, or a correction of a published one.</summary>
public enum QueueKind { NewPaper, Correction }

/// <summary>How a decided submission ended.</summary>
public enum Outcome { Approved, Rejected, Withdrawn }

/// <summary>One decided submission in the history: what it was, how it ended, who decided and when.</summary>
public sealed record HistoryRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public string? TopicName { get; init; }
    public string? NewTopic { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? DecidedAt { get; init; }
    /// <summary>The moderator; null for a withdrawal (the submitter decided).</summary>
    public string? DecidedBy { get; init; }
    public string? ModeratorNote { get; init; }
    /// <summary>The paper an approval made, while it exists.</summary>
    public string? PaperSlug { get; init; }

    /// <summary>Only a moderator's rejection goes back to the queue: a withdrawal was the submitter's choice.</summary>
    public bool CanReopen => Status == "rejected";
}

/// <summary>A page of decided submissions, newest decision first.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, Paging Paging);
