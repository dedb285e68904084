using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>Turns the cells of one table row into a paper, repairing what it safely can.</summary>
internal static partial class RowReader
{
    public static ParsedPaper? Read(IReadOnlyList<string> cells, ListParser.Columns columns, int line, Action<int, string> warn, Action<int, string> error)
    {
        var list = cells.ToList();
        // Trailing empty cells beyond the header ("... | 12 | |") carry nothing.
        while (list.Count > columns.Count && list[^1].Length == 0) list.RemoveAt(list.Count - 1);
        if (list.All(c => c.Length == 0)) return null;

        if (list.Count > columns.Count)
        {
            error(line, $"row has {list.Count} cells but the table has {columns.Count} columns; check for a stray '|' (write it as '\\|' inside a cell)");
            return null;
        }
        string Cell(int index) => index >= 0 && index < list.Count ? list[index] : "";

        var requiredCells = columns.Count - 1; // at most one lost cell can be recognised by shape
        if (list.Count < requiredCells || columns.Title >= list.Count)
        {
            error(line, $"row has {list.Count} cells but the table has {columns.Count} columns (Keywords | Title | Paper | Affiliation | Date | Citation); it cannot be read");
            return null;
        }

        var affiliation = Cell(columns.Affiliation);
        var date = Cell(columns.Date);
        var citation = Cell(columns.Citation);

        // A row that lost its affiliation cell: the date sits in the Affiliation column and the count in the
        // Date column. Recognise it by the shape of the values rather than shifting it into garbage.
        if (columns.Affiliation >= 0 && columns.Date == columns.Affiliation + 1 && columns.Citation == columns.Date + 1
            && !IsDate(date) && IsDate(affiliation) && (date.Length == 0 || IsCount(date)) && citation.Length == 0)
        {
            warn(line, $"row has no affiliation: the date '{affiliation}' sits in the Affiliation column; read as date {affiliation}, citations {(date.Length == 0 ? "unknown" : date)}, affiliation unknown");
            citation = date;
            date = affiliation;
            affiliation = "";
        }
        else if (list.Count < columns.Count)
        {
            warn(line, $"row has {list.Count} cells but the table has {columns.Count} columns; the last cell is read as empty");
        }

        var (title, venue) = ReadTitle(Cell(columns.Title));
        if (title.Length == 0)
        {
            error(line, "title cell is empty; every row needs a title");
            return null;
        }

        var ok = true;
        string? published = null;
        if (date.Length == 0)
        {
            if (columns.Date >= 0) warn(line, "date is empty; the paper is listed without a date");
        }
        else if (ReadDate(date) is { } d) published = d;
        else
        {
            error(line, $"date '{date}' is not a date; write the month as YYYY.MM, e.g. 2023.09");
            ok = false;
        }

        int? citations = null;
        if (citation.Length > 0)
        {
            var digits = citation.Replace(",", "").Replace("_", "").Replace(" ", "");
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                if (digits.Length != citation.Length) warn(line, $"citation count '{citation}' read as {n}");
                citations = n;
            }
            else
            {
                error(line, $"citation '{citation}' is not a number; write a whole number, or leave the cell empty when unknown");
                ok = false;
            }
        }

        var (pdf, intro) = ReadLinks(Cell(columns.Paper));
        if (pdf is null && columns.Paper >= 0) warn(line, $"no pdf link for '{title}'");
        if (!ok) return null;

        var keywords = new List<string>(2);
        var keywordSlugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Cell(columns.Keywords).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var keyword = ListParser.CleanInline(part);
            var slug = Slugs.From(keyword);
            if (slug.Length > 0 && keywordSlugs.Add(slug)) keywords.Add(keyword);
        }

        return new ParsedPaper
        {
            Line = line,
            Title = title,
            Venue = venue,
            Keywords = keywords,
            PdfUrl = pdf,
            IntroLink = intro,
            ArxivId = pdf is null ? null : ArxivId(pdf),
            Affiliation = affiliation.Length == 0 ? null : ListParser.CleanInline(affiliation),
            Published = published,
            Citations = citations,
        };
    }

    /// <summary>The versionless arXiv id of an <c>/abs/</c>, <c>/pdf/</c> or <c>/html/</c> link, or null.</summary>
    public static string? ArxivId(string url)
    {
        var m = ArxivRegex().Match(url);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static (string Title, string? Venue) ReadTitle(string cell)
    {
        var text = cell;
        string? venue = null;
        var bold = BoldRegex().Match(text);
        string title;
        if (bold.Success)
        {
            title = bold.Groups[1].Success ? bold.Groups[1].Value : bold.Groups[2].Value;
            var rest = text[(bold.Index + bold.Length)..];
            venue = VenueOf(rest);
        }
        else
        {
            var m = TrailingVenueRegex().Match(text);
            if (m.Success)
            {
                venue = VenueOf(m.Value);
                text = text[..m.Index];
            }
            title = text;
        }
        // "[Title](url)" inside the bold: keep the words.
        title = MarkdownLinkRegex().Replace(title, "$1");
        title = ListParser.CleanInline(title.Replace("**", "").Replace("__", ""));
        return (title, venue);
    }

    private static string? VenueOf(string rest)
    {
        var m = BracketRegex().Match(rest);
        if (!m.Success) return null;
        var venue = ListParser.CleanInline(m.Groups[1].Value);
        return venue.Length == 0 ? null : venue;
    }

    private static (string? Pdf, string? Intro) ReadLinks(string cell)
    {
        string? pdf = null, intro = null;
        foreach (Match m in LinkRegex().Matches(cell))
        {
            var label = m.Groups[1].Value.Trim().ToLowerInvariant();
            var url = m.Groups[2].Value.Trim();
            if (url.Length == 0) continue;
            if (label.Contains("intro", StringComparison.Ordinal) || label.Contains("note", StringComparison.Ordinal)) intro ??= url;
            else pdf ??= url;
        }
        return (pdf, intro);
    }

    private static bool IsDate(string value) => ReadDate(value) is not null;

    private static bool IsCount(string value) => value.Replace(",", "").All(char.IsAsciiDigit) && value.Length > 0;

    /// <summary>Reads YYYY.MM (also YYYY-MM, YYYY/MM, one-digit months) as normalised <c>YYYY.MM</c>.</summary>
    internal static string? ReadDate(string value)
    {
        var m = DateRegex().Match(value.Trim());
        if (!m.Success) return null;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || year < 1900 || year > 2200) return null;
        return $"{year:D4}.{month:D2}";
    }

    // [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٣"), which int.Parse does not read.
    [GeneratedRegex(@"^([0-9]{4})[.\-/]([0-9]{1,2})$")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"\*\*(.+?)\*\*|__(.+?)__")]
    private static partial Regex BoldRegex();

    [GeneratedRegex(@"\s*\[([^\]]+)\]\s*$")]
    private static partial Regex TrailingVenueRegex();

    [GeneratedRegex(@"\[([^\]]+)\](?!\()")]
    private static partial Regex BracketRegex();

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)]*)\)")]
    private static partial Regex MarkdownLinkRegex();

    [GeneratedRegex(@"\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex LinkRegex();

    [GeneratedRegex(@"arxiv\.org/(?:abs|pdf|html)/([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?(?:\.pdf)?", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivRegex();
}
