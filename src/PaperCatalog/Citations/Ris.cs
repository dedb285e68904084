using System.Globalization;
using System.Text;

namespace PaperCatalog.Citations;

/// <summary>
/// RIS records (the tagged format EndNote, Zotero and Mendeley import): <c>CONF</c> for a paper with a venue (the
/// venue as <c>T2</c>), else <c>JOUR</c> for an arXiv paper (journal "arXiv", as arXiv's own export does) or <c>GEN</c>.
/// Each line is "TAG  - value" ending in CRLF, as the specification writes it; a value never spans lines.
/// </summary>
public static class Ris
{
    public static string Write(IReadOnlyList<CitedPaper> papers)
    {
        var sb = new StringBuilder(papers.Count * 400);
        Append(sb, papers);
        return sb.ToString();
    }

    /// <summary>The records one after another (a file written in parts is the same text as one written whole).</summary>
    internal static void Append(StringBuilder sb, IEnumerable<CitedPaper> papers)
    {
        foreach (var cited in papers)
        {
            var p = cited.Paper;
            Line(sb, "TY", p.Venue is not null ? "CONF" : p.ArxivId is not null ? "JOUR" : "GEN");
            Line(sb, "ID", cited.Key);
            Line(sb, "TI", p.Title);
            foreach (var author in p.Authors) Line(sb, "AU", author);
            if (PaperDates.MonthStart(p.Published) is { } date)
            {
                Line(sb, "PY", date.Year.ToString(CultureInfo.InvariantCulture));
                Line(sb, "DA", date.ToString("yyyy'/'MM'/'", CultureInfo.InvariantCulture));
            }
            if (p.Venue is not null) Line(sb, "T2", p.Venue);
            else if (p.ArxivId is not null) Line(sb, "JO", "arXiv");
            if (p.ArxivId is { } arxiv) Line(sb, "M1", "arXiv:" + arxiv);
            if (Identifiers.Doi(p.PdfUrl) is { } doi) Line(sb, "DO", doi);
            if (PaperUrls.IsWebAddress(p.PdfUrl)) Line(sb, "UR", p.PdfUrl!);
            foreach (var keyword in p.Keywords) Line(sb, "KW", keyword.Name);
            sb.Append("ER  - \r\n");
        }
    }

    private static void Line(StringBuilder sb, string tag, string value)
    {
        sb.Append(tag).Append("  - ");
        foreach (var c in value.Trim()) sb.Append(char.IsControl(c) ? ' ' : c);
        sb.Append("\r\n");
    }
}
