using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>Turns the cells of one table row into a paper, repairing what it safely can.</summary>
internal static partial class RowReader
{
    public static ParsedPaper? Read(IReadOnlyList<string> cells, TableColumns columns, int line, Action<int, string> warn, Action<int, string> error)
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
            error(line, $"row has {list.Count} cells but the table has {columns.Count} columns ({string.Join(" | ", columns.Names)}); it cannot be read");
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

        var titleCell = ListDecorations.Strip(Cell(columns.Title));
        var titleLinks = columns.Title == columns.Paper ? [] : ListLinks.In(titleCell);
        var parts = ReadTitle(titleCell);
        var title = parts.Title;
        if (title.Length == 0)
        {
            error(line, "title cell is empty; every row needs a title");
            return null;
        }
        var venue = columns.Venue >= 0 && Cell(columns.Venue) is { Length: > 0 } venueCell ? ListParser.CleanInline(ListDecorations.Strip(venueCell)) : parts.Venue;
        if (affiliation.Length == 0 && parts.Affiliation is not null) affiliation = parts.Affiliation;

        var ok = true;
        string? published = null;
        if (date.Length == 0)
        {
            if (columns.Date >= 0) warn(line, "date is empty; the paper is listed without a date");
        }
        else if (PaperDates.Month(date) is { } d) published = d;
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

        var links = ListLinks.In(Cell(columns.Paper), RowLinkKind.Paper)
            .Concat(columns.Code >= 0 && columns.Code != columns.Paper ? ListLinks.In(Cell(columns.Code), RowLinkKind.Code) : [])
            .Concat(titleLinks)
            .ToList();
        var (pdf, intro, code) = Pick(links);
        if (pdf is null && columns.Paper >= 0) warn(line, $"no paper link for '{title}'");
        if (!ok) return null;

        var keywords = new List<string>(2);
        var keywordSlugs = new HashSet<string>(StringComparer.Ordinal);
        var keywordText = Cell(columns.Keywords);
        if (parts.Keyword is not null) keywordText = keywordText.Length == 0 ? parts.Keyword : keywordText + ", " + parts.Keyword;
        foreach (var part in ListDecorations.Strip(keywordText).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
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
            CodeUrl = code,
            Authors = columns.Authors >= 0 ? ReadAuthors(Cell(columns.Authors)) : [],
            ArxivId = Identifiers.ArxivId(pdf),
            Affiliation = affiliation.Length == 0 ? null : ListParser.CleanInline(ListDecorations.Strip(affiliation)),
            Published = published,
            Citations = citations,
        };
    }

    /// <summary>What curators pack into a title cell.</summary>
    internal sealed record TitleParts(string Title, string? Venue, string? Keyword, string? Affiliation);

    /// <summary>
    /// Reads <c>**Title** [Venue]</c>, <c>Title [Venue]</c>, <c>[**Keyword**] Title, Venue 2024(@Org)</c>,
    /// <c>[Keyword] Title(@Org)</c> and <c>[Title](url)</c>: the bracketed lead is a keyword, <c>(@...)</c> the affiliation,
    /// a trailing "Venue 2024" after a comma the venue. Decorations are already gone.
    /// </summary>
    internal static TitleParts ReadTitle(string cell)
    {
        var text = cell.Trim();
        string? venue = null, keyword = null, affiliation = null;

        var org = TrailingOrgRegex().Match(text);
        if (org.Success)
        {
            affiliation = ListParser.CleanInline(org.Groups[1].Value);
            text = text[..org.Index].TrimEnd();
        }
        var lead = LeadingKeywordRegex().Match(text);
        if (lead.Success && lead.Length < text.Length)
        {
            keyword = ListParser.CleanInline(lead.Groups[1].Value.Replace("**", "").Replace("__", ""));
            text = text[lead.Length..].Trim();
        }

        string title;
        var bold = BoldRegex().Match(text);
        if (bold.Success && bold.Index == 0 || bold.Success && keyword is null && !text[..bold.Index].Any(char.IsLetterOrDigit))
        {
            title = bold.Groups[1].Success ? bold.Groups[1].Value : bold.Groups[2].Value;
            venue = VenueOf(text[(bold.Index + bold.Length)..]);
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
        // "[Title](url)": keep the words.
        title = MarkdownLinkRegex().Replace(title, "$1");
        title = ListParser.CleanInline(title.Replace("**", "").Replace("__", ""));
        if (venue is null && CommaVenueRegex().Match(title) is { Success: true } comma && Venues.Looks(comma.Groups[1].Value))
        {
            venue = comma.Groups[1].Value.Trim();
            title = title[..comma.Index].TrimEnd();
        }
        return new TitleParts(title.Trim().TrimEnd(',').Trim(), venue, keyword is { Length: > 0 } ? keyword : null, affiliation is { Length: > 0 } ? affiliation : null);
    }

    private static string? VenueOf(string rest)
    {
        var m = BracketRegex().Match(rest);
        if (!m.Success) return null;
        var venue = ListParser.CleanInline(m.Groups[1].Value);
        return venue.Length == 0 ? null : venue;
    }

    /// <summary>The paper, intro and code links of a row: each the first of its kind; a blog or docs page stands in for a missing paper.</summary>
    internal static (string? Paper, string? Intro, string? Code) Pick(IReadOnlyList<ListLink> links)
    {
        string? First(RowLinkKind kind) => links.FirstOrDefault(l => l.Kind == kind)?.Url;
        var paper = First(RowLinkKind.Paper) ?? First(RowLinkKind.Blog) ?? First(RowLinkKind.Docs);
        return (paper, First(RowLinkKind.Intro), First(RowLinkKind.Code));
    }

    /// <summary>"A, B and C", "A; B; C", "A et al.": the names in order.</summary>
    internal static IReadOnlyList<string> ReadAuthors(string cell)
    {
        var text = ListParser.CleanInline(ListLinks.Without(ListDecorations.Strip(cell)).Replace("**", ""));
        if (text.Length == 0) return [];
        var separators = text.Contains(';') ? new[] { ";" } : new[] { ",", " and ", " & " };
        return text.Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.StartsWith("and ", StringComparison.Ordinal) ? a[4..].Trim() : a)
            .Where(a => a.Length > 0 && !a.Equals("et al.", StringComparison.OrdinalIgnoreCase) && !a.Equals("et al", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    private static bool IsDate(string value) => PaperDates.Month(value) is not null;

    private static bool IsCount(string value) => value.Replace(",", "").All(char.IsAsciiDigit) && value.Length > 0;

    [GeneratedRegex(@"\*\*(.+?)\*\*|__(.+?)__")]
    private static partial Regex BoldRegex();

    [GeneratedRegex(@"\s*\[([^\]]+)\]\s*$")]
    private static partial Regex TrailingVenueRegex();

    [GeneratedRegex(@"\[([^\]]+)\](?!\()")]
    private static partial Regex BracketRegex();

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)]*)\)")]
    private static partial Regex MarkdownLinkRegex();

    [GeneratedRegex(@"\(\s*@([^()]+)\)\s*$")]
    private static partial Regex TrailingOrgRegex();

    [GeneratedRegex(@"^\[((?:\*\*|__)?[^\[\]]+?(?:\*\*|__)?)\](?!\()\s*")]
    private static partial Regex LeadingKeywordRegex();

    [GeneratedRegex(@",\s*([^,]{2,40})$")]
    private static partial Regex CommaVenueRegex();
}
