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
    /// <summary>The row was stored before intros were rendered at storage (read from the store, then cleared).</summary>
    internal bool NeedsRender { get; init; }
}

/// <summary>A page of the queue: its rows, how many submissions wait in all, and which page of how many this is.</summary>
public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, long Total, int Number, int Size, QueueOrder Order)
{
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
