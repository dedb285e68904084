using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaperCatalog.Importing;

namespace PaperCatalog.Exporting;

/// <summary>
/// Writes a paper as a row of one of the list's own tables or bullet lists, in that block's spelling (taken from its first
/// row: bold titles or not, <c>[[pdf](url)]</c> or <c>[[pdf]](url)</c>, where a venue goes), so the importer reads it
/// back as the same paper. An edited row keeps every cell whose field did not change, character for character.
/// </summary>
internal static partial class RowWriter
{
    /// <summary>
    /// <paramref name="line"/> with the cells whose fields differ from <paramref name="now"/> written anew; the whole
    /// row is written anew when that does not read back as <paramref name="now"/> (a field packed into another cell).
    /// </summary>
    public static string EditTableRow(string line, ListBlock block, string? sample, RowValues before, RowValues now)
    {
        var columns = block.Columns!;
        var style = TableStyle.Of(sample ?? line, columns);
        var changed = Changed(columns, before, now, ReadTitleParts(line, columns));
        var edited = Replace(line, changed.ToDictionary(i => i, i => Cell(i, columns, style, now)));
        if (ReadsAs(edited, columns, now)) return edited;
        var all = Enumerable.Range(0, columns.Count).Where(i => Role(columns, i) is not null).ToDictionary(i => i, i => Cell(i, columns, style, now));
        return Replace(line, all);
    }

    /// <summary>A new row for a table of <paramref name="columns"/>, laid out like <paramref name="sample"/> (its first row), or like the bundled list.</summary>
    public static string NewTableRow(TableColumns columns, string? sample, RowValues now)
    {
        var style = TableStyle.Of(sample, columns);
        var cells = Enumerable.Range(0, columns.Count).Select(i => Role(columns, i) is null ? "" : Cell(i, columns, style, now)).ToList();
        var pad = style.Padded ? " " : "";
        var sb = new StringBuilder();
        if (style.LeadingPipe) sb.Append('|');
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append('|');
            sb.Append(cells[i].Length == 0 ? pad : pad + cells[i] + pad);
        }
        if (style.TrailingPipe) sb.Append('|');
        return sb.ToString();
    }

    /// <summary>A bullet for a bullet list whose first bullet is <paramref name="sample"/>; <paramref name="number"/> for numbered lists.</summary>
    public static string Bullet(string? sample, int number, RowValues now)
    {
        var marker = sample is null ? null : BulletMarkerRegex().Match(sample);
        var indent = marker is { Success: true } ? marker.Groups["indent"].Value : "";
        var symbol = marker is { Success: true } ? marker.Groups["symbol"].Value : "-";
        if (char.IsAsciiDigit(symbol[0])) symbol = number.ToString(CultureInfo.InvariantCulture) + symbol[^1];
        var links = LinkStyle.Of(sample ?? "", "[[{0}]]({1})");
        var sb = new StringBuilder(indent).Append(symbol).Append(' ');
        if (now.Keywords.Count > 0) sb.Append('[').Append(Escape(now.Keywords[0])).Append("] ");
        sb.Append("**").Append(Escape(now.Title)).Append("**");
        if (now.Venue is not null) sb.Append(" [").Append(Escape(now.Venue)).Append(']');
        if (now.Affiliation is { Length: > 0 }) sb.Append(" (@").Append(Escape(now.Affiliation)).Append(')');
        if (now.PdfUrl is not null) sb.Append(' ').Append(links.Link(links.PaperLabel ?? "Paper", now.PdfUrl));
        if (now.CodeUrl is not null) sb.Append(' ').Append(links.Link("Code", now.CodeUrl));
        if (now.IntroLink is not null) sb.Append(' ').Append(links.Link("Intro", now.IntroLink));
        return sb.ToString();
    }

    /// <summary>The number of a numbered bullet (<c>3.</c>), or null.</summary>
    public static int? BulletNumber(string line) =>
        BulletMarkerRegex().Match(line) is { Success: true } m && int.TryParse(m.Groups["symbol"].Value.TrimEnd('.', ')'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The bullet as the importer reads it, or null when it reads as no paper.</summary>
    public static RowValues? ReadBullet(string line) =>
        BulletReader.BulletText(line.Trim()) is { } text && BulletReader.Read(text, 0).Paper is { } paper ? RowValues.Of(paper) : null;

    private static void Ignore(int line, string message) { }

    private static bool ReadsAs(string line, TableColumns columns, RowValues now) =>
        RowReader.Read(ListParser.SplitCells(line.Trim()), columns, 0, Ignore, Ignore) is { } paper
        && RowValues.Of(paper).Expressible(columns).Same(now.Expressible(columns));

    private static RowReader.TitleParts? ReadTitleParts(string line, TableColumns columns)
    {
        var cells = ListParser.SplitCells(line.Trim());
        return columns.Title < cells.Count ? RowReader.ReadTitle(ListDecorations.Strip(cells[columns.Title])) : null;
    }

    /// <summary>The cells to write anew: those holding a field that changed.</summary>
    private static List<int> Changed(TableColumns c, RowValues before, RowValues now, RowReader.TitleParts? titleParts)
    {
        static bool Differs(string? a, string? b) => (a ?? "").Trim() != (b ?? "").Trim();
        var keywords = !RowValues.SameKeywords(before.Keywords, now.Keywords);
        var venue = Differs(before.Venue, now.Venue);
        var affiliation = Differs(before.Affiliation, now.Affiliation);
        var code = Differs(before.CodeUrl, now.CodeUrl);
        var links = Differs(before.PdfUrl, now.PdfUrl) || Differs(before.IntroLink, now.IntroLink) || code && c.Code < 0;
        var cells = new HashSet<int>();
        void Add(int index, bool when) { if (index >= 0 && when) cells.Add(index); }
        Add(c.Title, Differs(before.Title, now.Title) || keywords && (c.Keywords < 0 || titleParts?.Keyword is not null)
            || venue && (c.Venue < 0 || titleParts?.Venue is not null) || affiliation && (c.Affiliation < 0 || titleParts?.Affiliation is not null)
            || links && (c.Paper < 0 || c.Paper == c.Title));
        Add(c.Keywords, keywords);
        Add(c.Venue, venue);
        Add(c.Affiliation, affiliation);
        Add(c.Paper, links);
        Add(c.Code, code);
        Add(c.Authors, !before.Authors.SequenceEqual(now.Authors));
        Add(c.Date, Differs(before.Published, now.Published));
        Add(c.Citation, before.Citations != now.Citations);
        return cells.Order().ToList();
    }

    private static string? Role(TableColumns c, int i) =>
        i == c.Title ? "title" : i == c.Keywords ? "keywords" : i == c.Paper ? "paper" : i == c.Code ? "code" : i == c.Affiliation ? "affiliation"
        : i == c.Venue ? "venue" : i == c.Authors ? "authors" : i == c.Date ? "date" : i == c.Citation ? "citation" : null;

    /// <summary>One cell of a table row, for the column at <paramref name="index"/>.</summary>
    private static string Cell(int index, TableColumns c, TableStyle style, RowValues now) => Role(c, index) switch
    {
        "title" => TitleCell(c, style, now),
        "keywords" => Escape(string.Join(", ", now.Keywords)),
        "paper" => PaperLinks(c, style, now),
        "code" => now.CodeUrl is null ? "" : style.Code.Link("code", now.CodeUrl),
        "affiliation" => Escape(now.Affiliation ?? ""),
        "venue" => Escape(now.Venue ?? ""),
        "authors" => Escape(string.Join(now.Authors.Any(a => a.Contains(',', StringComparison.Ordinal)) ? "; " : ", ", now.Authors)),
        "date" => Escape(now.Published ?? ""),
        "citation" => now.Citations?.ToString(CultureInfo.InvariantCulture) ?? "",
        _ => "",
    };

    /// <summary>The title, with what the table has no column for packed around it as curators do.</summary>
    private static string TitleCell(TableColumns c, TableStyle style, RowValues now)
    {
        var sb = new StringBuilder();
        if (c.Title == c.Paper)
        {
            sb.Append('[').Append(Escape(now.Title)).Append("](").Append(now.PdfUrl).Append(')');
            if (c.Venue < 0 && now.Venue is not null) sb.Append(" [").Append(Escape(now.Venue)).Append(']');
            return sb.ToString();
        }
        if (c.Keywords < 0 && now.Keywords.Count > 0)
        {
            var keywords = Escape(string.Join(", ", now.Keywords));
            sb.Append('[').Append(style.BoldKeyword ? "**" + keywords + "**" : keywords).Append("] ");
        }
        sb.Append(style.BoldTitle ? "**" + Escape(now.Title) + "**" : Escape(now.Title));
        if (c.Venue < 0 && now.Venue is not null)
            sb.Append(style.CommaVenue && Venues.Looks(now.Venue) ? ", " + Escape(now.Venue) : " [" + Escape(now.Venue) + "]");
        if (c.Affiliation < 0 && now.Affiliation is { Length: > 0 }) sb.Append("(@").Append(Escape(now.Affiliation)).Append(')');
        if (c.Paper < 0 && Links(c, style, now) is { Length: > 0 } links) sb.Append(' ').Append(links);
        return sb.ToString();
    }

    private static string PaperLinks(TableColumns c, TableStyle style, RowValues now) =>
        c.Paper == c.Title ? TitleCell(c, style, now) : Links(c, style, now);

    private static string Links(TableColumns c, TableStyle style, RowValues now)
    {
        var links = new List<string>(3);
        if (now.PdfUrl is not null) links.Add(style.Paper.Link(style.Paper.PaperLabel ?? "pdf", now.PdfUrl));
        if (now.IntroLink is not null) links.Add(style.Paper.Link(style.Paper.IntroLabel ?? "intro", now.IntroLink));
        if (c.Code < 0 && now.CodeUrl is not null) links.Add(style.Paper.Link("code", now.CodeUrl));
        return string.Join(' ', links);
    }

    // A '|' ends a cell unless escaped; nothing else a title holds changes how a row is read.
    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The line with the cells at the given indexes replaced, keeping the spaces around each.</summary>
    private static string Replace(string line, Dictionary<int, string> cells)
    {
        var spans = ListParser.CellSpans(line);
        var sb = new StringBuilder(line);
        foreach (var (index, text) in cells.OrderByDescending(c => c.Key))
        {
            if (index >= spans.Count) continue;
            var (start, length) = spans[index];
            var raw = line.Substring(start, length);
            var lead = raw.Length - raw.TrimStart().Length;
            var trail = raw.Length - raw.TrimEnd().Length;
            string replacement;
            if (raw.Trim().Length == 0) replacement = text.Length == 0 ? raw : (raw.Length > 0 ? " " : "") + text + (raw.Length > 1 ? " " : "");
            else replacement = raw[..lead] + text + raw[(raw.Length - trail)..];
            sb.Remove(start, length).Insert(start, replacement);
        }
        return sb.ToString();
    }

    /// <summary>How a block spells its rows, read from one row.</summary>
    private sealed record TableStyle(bool LeadingPipe, bool TrailingPipe, bool Padded, bool BoldTitle, bool BoldKeyword, bool CommaVenue, LinkStyle Paper, LinkStyle Code)
    {
        private static readonly TableStyle Bundled = new(true, true, true, true, false, false, new LinkStyle("[[{0}]({1})]", "pdf", "intro"), new LinkStyle("[[{0}]({1})]", null, null));

        public static TableStyle Of(string? sample, TableColumns columns)
        {
            if (sample is null) return Bundled;
            var line = sample.Trim();
            var cells = ListParser.SplitCells(line);
            string Cell(int i) => i >= 0 && i < cells.Count ? cells[i] : "";
            var title = ListDecorations.Strip(Cell(columns.Title)).Trim();
            var parts = RowReader.ReadTitle(title);
            var afterKeyword = LeadingBracketRegex().Replace(title, "");
            return new TableStyle(
                line.StartsWith('|'), line.EndsWith('|'), line.StartsWith("| ", StringComparison.Ordinal) || line.Contains(" | ", StringComparison.Ordinal),
                BoldTitle: afterKeyword.StartsWith("**", StringComparison.Ordinal),
                BoldKeyword: title.StartsWith("[**", StringComparison.Ordinal),
                CommaVenue: parts.Venue is not null && title.Contains(", " + parts.Venue, StringComparison.Ordinal),
                Paper: LinkStyle.Of(Cell(columns.Paper), Bundled.Paper.Format),
                Code: LinkStyle.Of(Cell(columns.Code), Bundled.Code.Format));
        }
    }

    /// <summary>How a cell writes its links (<c>[[pdf](url)]</c>, <c>[[pdf]](url)</c>, <c>[pdf](url)</c>) and the labels it uses.</summary>
    private sealed record LinkStyle(string Format, string? PaperLabel, string? IntroLabel)
    {
        public string Link(string label, string url) => string.Format(CultureInfo.InvariantCulture, Format, label, url);

        public static LinkStyle Of(string cell, string fallback)
        {
            var format = OuterBracketRegex().IsMatch(cell) ? "[[{0}]]({1})" : InnerBracketRegex().IsMatch(cell) ? "[[{0}]({1})]" : PlainLinkRegex().IsMatch(cell) ? "[{0}]({1})" : fallback;
            var links = ListLinks.In(cell);
            // A label that says "paper" wherever it points (pdf, arXiv, Paper), not a project's name.
            var paper = links.FirstOrDefault(l => l.Kind == RowLinkKind.Paper && ListLinks.Classify(l.Label, "https://example.invalid/", RowLinkKind.Other) == RowLinkKind.Paper)?.Label;
            var intro = links.FirstOrDefault(l => l.Kind == RowLinkKind.Intro)?.Label;
            return new LinkStyle(format, paper, intro);
        }
    }

    [GeneratedRegex(@"^\s*\[[^\]]*\]\s*")]
    private static partial Regex LeadingBracketRegex();

    [GeneratedRegex(@"\[\[[^\[\]]*\]\]\(")]
    private static partial Regex OuterBracketRegex();

    [GeneratedRegex(@"\[\[[^\[\]]*\]\([^)]*\)\]")]
    private static partial Regex InnerBracketRegex();

    [GeneratedRegex(@"\[[^\[\]]*\]\([^)]*\)")]
    private static partial Regex PlainLinkRegex();

    [GeneratedRegex(@"^(?<indent>\s*)(?<symbol>[-*+]|[0-9]{1,4}[.)])\s+")]
    private static partial Regex BulletMarkerRegex();
}
