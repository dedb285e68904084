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
    public string? SubmitterName { get; init; }
    public string? SubmitterEmail { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? ModeratorNote { get; init; }
    public string? PaperSlug { get; init; }

    /// <summary>The submission as a form, for editing before approval.</summary>
    public SubmissionForm ToForm() => new()
    {
        Title = Title,
        Link = Link,
        Topic = TopicSlug ?? SubmissionForm.NewTopic,
        NewTopicName = NewTopic,
        Keywords = Keywords,
        Affiliation = Affiliation,
        Date = Published,
        Venue = Venue,
        Citations = Citations?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Intro = IntroMarkdown,
        Name = SubmitterName,
        Email = SubmitterEmail,
    };
}

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
