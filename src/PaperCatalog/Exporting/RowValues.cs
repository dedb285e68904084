using PaperCatalog.Importing;
using PaperCatalog.Papers;

namespace PaperCatalog.Exporting;

/// <summary>
/// What one row of the list says, in the terms a row can say it: read back from a row (<see cref="Of(ParsedPaper)"/>)
/// or taken from the store. Two rows that say the same are <see cref="Same"/>, whatever their spelling.
/// </summary>
internal sealed record RowValues
{
    public required string Title { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? Venue { get; init; }
    public string? PdfUrl { get; init; }
    public string? CodeUrl { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? Affiliation { get; init; }
    public string? Published { get; init; }
    public long? Citations { get; init; }
    /// <summary>The intro link as the row writes it: a path beside the list, or an intro elsewhere.</summary>
    public string? IntroLink { get; init; }

    /// <summary>A row as the importer read it, with the code link kept only where the importer keeps it.</summary>
    public static RowValues Of(ParsedPaper paper)
    {
        var content = PaperFields.FromList(paper, null, null);
        return new RowValues
        {
            Title = content.Title,
            Keywords = content.Keywords,
            Venue = content.Venue,
            PdfUrl = content.PdfUrl,
            CodeUrl = content.CodeUrl,
            Authors = content.Authors,
            Affiliation = content.Affiliation,
            Published = content.Published,
            Citations = content.Citations,
            IntroLink = paper.IntroLink,
        };
    }

    /// <summary>
    /// The fields a row of <paramref name="columns"/> can hold (null: a bullet): a table without an Authors column has
    /// no place for authors, a bullet none for authors, dates, citations or a second keyword.
    /// </summary>
    public RowValues Expressible(TableColumns? columns) => columns is null
        ? this with { Keywords = Keywords.Take(1).ToList(), Authors = [], Published = null, Citations = null }
        : this with
        {
            Authors = columns.Authors >= 0 ? Authors : [],
            Published = columns.Date >= 0 ? Published : null,
            Citations = columns.Citation >= 0 ? Citations : null,
        };

    public bool Same(RowValues other) =>
        Text(Title) == Text(other.Title) && SameKeywords(Keywords, other.Keywords)
        && Text(Venue) == Text(other.Venue) && Text(PdfUrl) == Text(other.PdfUrl) && Text(CodeUrl) == Text(other.CodeUrl)
        && Authors.Select(Text).SequenceEqual(other.Authors.Select(Text)) && Text(Affiliation) == Text(other.Affiliation)
        && Text(Published) == Text(other.Published) && Citations == other.Citations && Text(IntroLink) == Text(other.IntroLink);

    /// <summary>Keywords are one by their slug: the store keeps the spelling it met first ("LLM inference", "LLM Inference").</summary>
    public static bool SameKeywords(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Select(Slugs.From).SequenceEqual(b.Select(Slugs.From));

    // A form stores an empty optional field as "" where the list has none: the same row.
    private static string Text(string? value) => (value ?? "").Trim();
}
