namespace PaperCatalog;

/// <summary>A keyword as a link: its name and slug.</summary>
public sealed record KeywordLink(string Name, string Slug);

/// <summary>One line of a topic table (or of a keyword's list).</summary>
public record PaperRow
{
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string? Venue { get; init; }
    public string? PdfUrl { get; init; }
    public string? CodeUrl { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? ArxivId { get; init; }
    public string? IntroUrl { get; init; }
    public bool HasIntro { get; init; }
    public string? Affiliation { get; init; }
    /// <summary>YYYY.MM</summary>
    public string? Published { get; init; }
    public long? Citations { get; init; }
    public long Position { get; init; }
    public string TopicSlug { get; init; } = "";
    public string TopicName { get; init; } = "";
    public string? CitationDate { get; init; }
    public IReadOnlyList<KeywordLink> Keywords { get; init; } = [];
    /// <summary>The citation key before it is told apart from other papers' (<c>CitationKeys.Of</c>); null when not read.</summary>
    public string? CitationBase { get; init; }

    /// <summary>Authors as stored: one name per line.</summary>
    internal string? AuthorList
    {
        init => Authors = string.IsNullOrEmpty(value) ? [] : value.Split('\n');
    }

    /// <summary>Keywords as the store's queries return them: "name\u001fslug" pairs joined by \u001e.</summary>
    internal string? KeywordList
    {
        init => Keywords = string.IsNullOrEmpty(value) ? [] :
            value.Split('\u001e').Select(k => k.Split('\u001f')).Select(p => new KeywordLink(p[0], p[1])).ToList();
    }
}

/// <summary>A topic as the home page and navigation show it.</summary>
public sealed record TopicSummary
{
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public long Papers { get; init; }
    public string? CitationDate { get; init; }
}

/// <summary>A topic's page: its facts and its table.</summary>
public sealed record TopicPage
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string? CitationDate { get; init; }
    public IReadOnlyList<string> Upcoming { get; init; } = [];
    /// <summary>The rows of the page asked for, in the order asked for.</summary>
    public IReadOnlyList<PaperRow> Papers { get; init; } = [];

    /// <summary>Which page <see cref="Papers"/> is, and how many papers the topic has in all.</summary>
    public required Paging Paging { get; init; }
}

/// <summary>A neighbour in the topic, for previous/next links.</summary>
public sealed record PaperLink
{
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
}

/// <summary>One paper's page: every fact, the rendered intro, and its neighbours in the topic.</summary>
public sealed record PaperPage
{
    public required PaperRow Paper { get; init; }
    public string? IntroHtml { get; init; }
    /// <summary>The intro's first paragraph as plain text (<see cref="Markdown.IntroSummary"/>), for meta descriptions.</summary>
    public string? Summary { get; init; }
    /// <summary>The intro's opening as plain text, for summaries (a meta description), or null without an intro.</summary>
    public string? Excerpt { get; init; }
    public PaperLink? Previous { get; init; }
    public PaperLink? Next { get; init; }
    /// <summary>The paper's figure (from an approved submission), shown above the intro; null when it has none.</summary>
    public Figures.PaperFigure? Figure { get; init; }
}

/// <summary>One page of a table of papers and where it sits among the pages.</summary>
public sealed record PaperListPage(IReadOnlyList<PaperRow> Papers, Paging Paging);

/// <summary>A keyword's page of papers (newest first), with the number of papers and topics that carry it in all.</summary>
public sealed record KeywordPage(string Slug, string Name, IReadOnlyList<PaperRow> Papers, Paging Paging, int Topics);

/// <summary>An image served beside an intro.</summary>
public sealed record PaperMedia
{
    public string ContentType { get; init; } = "";
    public byte[] Bytes { get; init; } = [];
}
