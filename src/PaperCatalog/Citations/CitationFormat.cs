namespace PaperCatalog.Citations;

/// <summary>The citation formats the catalog exports, each with its file extension and media type.</summary>
public enum CitationFormat { BibTex, Ris, CslJson }

/// <summary>What a download of each <see cref="CitationFormat"/> is called and sent as.</summary>
public static class CitationFormats
{
    public static readonly IReadOnlyList<CitationFormat> All = [CitationFormat.BibTex, CitationFormat.Ris, CitationFormat.CslJson];

    /// <summary>The file extension, which is also the format's name in the URL (<c>citation.bib</c>).</summary>
    public static string Extension(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "bib",
        CitationFormat.Ris => "ris",
        _ => "json",
    };

    /// <summary>The registered (or customary) media type: reference managers open a download by it.</summary>
    public static string MediaType(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "application/x-bibtex",
        CitationFormat.Ris => "application/x-research-info-systems",
        _ => "application/vnd.citationstyles.csl+json",
    };

    /// <summary>The name a reader sees on a link: BibTeX, RIS, CSL-JSON.</summary>
    public static string Label(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "BibTeX",
        CitationFormat.Ris => "RIS",
        _ => "CSL-JSON",
    };

    /// <summary>The format whose extension is <paramref name="extension"/> (as a URL gives it), or null.</summary>
    public static CitationFormat? FromExtension(string? extension) =>
        All.Cast<CitationFormat?>().FirstOrDefault(f => string.Equals(Extension(f!.Value), extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The papers in <paramref name="format"/>.</summary>
    public static string Write(CitationFormat format, IReadOnlyList<CitedPaper> papers) => format switch
    {
        CitationFormat.BibTex => BibTex.Write(papers),
        CitationFormat.Ris => Ris.Write(papers),
        _ => CslJson.Write(papers),
    };
}

/// <summary>A paper with the key every export cites it by.</summary>
public sealed record CitedPaper(string Key, PaperRow Paper);
