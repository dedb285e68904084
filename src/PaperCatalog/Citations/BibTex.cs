using System.Globalization;
using System.Text;

namespace PaperCatalog.Citations;

/// <summary>
/// BibTeX entries. A paper with a venue is an <c>@inproceedings</c> in it (<c>booktitle</c>), any other paper a
/// <c>@misc</c> (an arXiv paper with <c>eprint</c> and <c>archivePrefix</c>, which biblatex and the common styles print
/// as "arXiv:2305.13245"). Text is UTF-8 with LaTeX's special characters escaped; words with capitals inside
/// ("LLM", "FlashAttention") are braced so that styles which lowercase titles keep them.
/// </summary>
public static class BibTex
{
    public static string Write(IReadOnlyList<CitedPaper> papers)
    {
        var sb = new StringBuilder(papers.Count * 400);
        Append(sb, papers, first: true);
        return sb.ToString();
    }

    /// <summary>
    /// The entries, each after a blank line but the file's first (<paramref name="first"/>: these begin the file), so
    /// a file written in parts is the same text as one written whole.
    /// </summary>
    internal static void Append(StringBuilder sb, IEnumerable<CitedPaper> papers, bool first)
    {
        foreach (var cited in papers)
        {
            if (!first) sb.Append('\n');
            first = false;
            Entry(sb, cited);
        }
    }

    private static void Entry(StringBuilder sb, CitedPaper cited)
    {
        var p = cited.Paper;
        var venue = p.Venue;
        sb.Append('@').Append(venue is null ? "misc" : "inproceedings").Append('{').Append(cited.Key).Append(",\n");
        Field(sb, "title", ProtectCapitals(Escape(p.Title)));
        if (p.Authors.Count > 0) Field(sb, "author", string.Join(" and ", p.Authors.Select(Author)));
        if (venue is not null) Field(sb, "booktitle", Escape(venue));
        if (PaperDates.MonthStart(p.Published) is { } date)
        {
            Field(sb, "year", date.Year.ToString(CultureInfo.InvariantCulture));
            // The month as BibTeX's own macro (unbraced), which every style turns into its language's name.
            sb.Append("  month = ").Append(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(date.Month).ToLowerInvariant()).Append(",\n");
        }
        if (p.ArxivId is { } arxiv)
        {
            Field(sb, "eprint", arxiv);
            Field(sb, "archivePrefix", "arXiv");
        }
        if (Identifiers.Doi(p.PdfUrl) is { } doi) Field(sb, "doi", Url(doi));
        if (PaperUrls.IsWebAddress(p.PdfUrl)) Field(sb, "url", Url(p.PdfUrl!));
        if (p.Keywords.Count > 0) Field(sb, "keywords", Escape(string.Join(", ", p.Keywords.Select(k => k.Name))));
        sb.Append("}\n");
    }

    private static void Field(StringBuilder sb, string name, string value) =>
        sb.Append("  ").Append(name).Append(" = {").Append(value).Append("},\n");

    /// <summary>
    /// One author. A name holding the word "and" is braced whole, or BibTeX would split it into two people; a
    /// "Family, Given" name stays in that form, which BibTeX reads as such.
    /// </summary>
    private static string Author(string name)
    {
        var escaped = Escape(name.Trim());
        return escaped.Split(' ').Any(w => w.Equals("and", StringComparison.OrdinalIgnoreCase)) ? "{" + escaped + "}" : escaped;
    }

    /// <summary>The ten characters LaTeX gives a meaning, escaped; line breaks and control characters become spaces.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\\' => @"\textbackslash{}",
                '{' => @"\{",
                '}' => @"\}",
                '&' => @"\&",
                '%' => @"\%",
                '$' => @"\$",
                '#' => @"\#",
                '_' => @"\_",
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>Braces each word with a capital after its first letter; the word's escapes stay balanced inside.</summary>
    private static string ProtectCapitals(string escaped) =>
        string.Join(' ', escaped.Split(' ').Select(w => w.Length > 1 && w.Skip(1).Any(char.IsUpper) && !w.Contains('\\') ? "{" + w + "}" : w));

    /// <summary>
    /// A URL or DOI as BibTeX's url field wants it: verbatim, except what would unbalance the entry (braces, a
    /// backslash, whitespace), percent-encoded as any browser would send it.
    /// </summary>
    private static string Url(string url)
    {
        var sb = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            if (c is '{' or '}' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
