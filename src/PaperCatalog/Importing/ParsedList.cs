namespace PaperCatalog.Importing;

/// <summary>A curated list as the parser read it: no database, no file system beyond the list itself.</summary>
public sealed record ParsedList(string File, string? Title, IReadOnlyList<ParsedTopic> Topics, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>What the curator wrote about the list under its title (Markdown), or empty.</summary>
    public string Description { get; init; } = "";

    /// <summary>What the parser recognised, for <c>catalog check</c>: "table with columns Date, Title, Paper (Recom ignored): 21 topics, 363 rows".</summary>
    public string Recognised { get; init; } = "";
    /// <summary>The 1-based line of the list file where <see cref="Description"/> starts.</summary>
    public int DescriptionLine { get; init; } = 1;

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>Every paper of every topic, in list order.</summary>
    public IEnumerable<ParsedPaper> Papers => Topics.SelectMany(t => t.Papers);
}

/// <summary>One <c>## Topic</c> section of the list.</summary>
public sealed class ParsedTopic
{
    public required string Name { get; init; }
    public required string Slug { get; init; }
    public required int Line { get; init; }
    public DateOnly? CitationDate { get; set; }
    /// <summary>The line that gives <see cref="CitationDate"/> and the date as written there (for <c>catalog export</c>).</summary>
    public (int Line, string Text)? CitationDateWritten { get; set; }
    public List<string> Upcoming { get; } = [];
    public List<ParsedPaper> Papers { get; } = [];
    /// <summary>The topic's paper tables and bullet lists, in order (where <c>catalog export</c> writes new rows).</summary>
    public List<ListBlock> Blocks { get; } = [];
}

/// <summary>One paper table or bullet list of a topic, by its lines in the list file.</summary>
public sealed class ListBlock
{
    /// <summary>The table's columns; null for a bullet list.</summary>
    public TableColumns? Columns { get; init; }
    /// <summary>The table's header row (its alignment row is the next line), or a bullet list's first bullet.</summary>
    public required int FirstLine { get; init; }
    /// <summary>The block's last row or bullet.</summary>
    public int LastLine { get; set; }
    /// <summary>The papers read from the block, in order.</summary>
    public List<ParsedPaper> Papers { get; } = [];
}

/// <summary>One table row of the list.</summary>
public sealed class ParsedPaper
{
    public required int Line { get; init; }
    public required string Title { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? Venue { get; init; }
    public string? PdfUrl { get; init; }
    public string? IntroLink { get; init; }
    /// <summary>The paper's code repository (a link classified as code), or null.</summary>
    public string? CodeUrl { get; init; }
    /// <summary>The authors in order, when the list gives them.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? ArxivId { get; init; }
    public string? Affiliation { get; init; }
    /// <summary>Publication month as <c>YYYY.MM</c>.</summary>
    public string? Published { get; init; }
    /// <summary>Citation count; null when the list leaves it empty (unknown, not zero).</summary>
    public int? Citations { get; init; }
}
