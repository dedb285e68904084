using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>
/// Reads a curated list in the shapes "awesome lists" are kept in: <c>## Topic</c> headings (decorated or not), a
/// citation-date line, an optional upcoming-topics line, and under each heading either a paper table whose columns are
/// read by their names (<see cref="TableColumns"/>) or a bullet list of papers (<see cref="BulletReader"/>).
/// Pure: text in, model and diagnostics out. Tolerates what hand-kept lists contain and says what it repaired; when most
/// rows of a table or list cannot be read into a title and a link, that is an error, never an import of garbage.
/// </summary>
public static partial class ListParser
{
    /// <summary>Parses list text; <paramref name="file"/> is the name used in diagnostics.</summary>
    public static ParsedList Parse(string text, string file)
    {
        var state = new State(file);
        var lines = text.Split('\n');
        string? fence = null;
        // The curator's words about the list: the lines between the "# Title" and the first topic or table after it
        // (a topic or table above the title ends nothing: the title is where the description starts).
        int? preambleStart = null, preambleEnd = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var lineNo = i + 1;
            var trimmed = raw.Trim();

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal)) fence = null;
                continue;
            }
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                state.EndTable();
                continue;
            }

            if (HeadingRegex().Match(trimmed) is { Success: true } heading)
            {
                state.EndTable();
                var level = heading.Groups[1].Length;
                var name = HeadingName(heading.Groups[2].Value);
                if (level == 1 && state.Title is null)
                {
                    state.Title = name;
                    preambleStart ??= i + 1;
                }
                else if (level >= 2)
                {
                    if (preambleStart is not null) preambleEnd ??= i;
                    state.Heading(name, lineNo);
                }
                continue;
            }

            if (trimmed.Contains('|'))
            {
                if (state.InTable)
                {
                    if (!AlignmentRowRegex().IsMatch(trimmed)) state.Row(SplitCells(trimmed), lineNo);
                    continue;
                }
                // A header row is only a header when an alignment row follows it.
                var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
                if (AlignmentRowRegex().IsMatch(next))
                {
                    if (preambleStart is not null) preambleEnd ??= i;
                    state.StartTable(SplitCells(trimmed), lineNo);
                    i++;
                    continue;
                }
            }
            else if (state.InTable && trimmed.Length > 0)
            {
                state.EndTable();
            }
            else if (trimmed.Length == 0)
            {
                state.EndTable();
                continue;
            }

            if (!state.InTable && BulletReader.BulletText(trimmed) is { } bullet)
            {
                state.Bullet(bullet, lineNo);
                continue;
            }

            var plain = CleanInline(trimmed);
            if (CitationDateRegex().Match(plain) is { Success: true } citation)
            {
                state.CitationDate(citation.Groups[1].Value.Trim().TrimEnd('.').Trim(), lineNo);
            }
            else if (UpcomingRegex().Match(plain) is { Success: true } upcoming)
            {
                state.Upcoming(upcoming.Groups[1].Value, lineNo);
            }
        }
        var description = preambleStart is { } from
            ? string.Join('\n', lines[from..(preambleEnd ?? lines.Length)].Select(l => l.TrimEnd('\r'))).Trim()
            : "";
        // The 1-based line the description starts on (its leading blank lines are trimmed away).
        var descriptionLine = preambleStart is { } first
            ? Enumerable.Range(first, (preambleEnd ?? lines.Length) - first).FirstOrDefault(i => lines[i].Trim().Length > 0, first) + 1
            : 1;
        return state.Finish(description, descriptionLine);
    }

    private sealed class State(string file)
    {
        private readonly List<ParsedTopic> _topics = [];
        private readonly List<Diagnostic> _diagnostics = [];
        private readonly HashSet<string> _topicSlugs = new(StringComparer.Ordinal);
        private (string Name, int Line)? _heading;
        private ParsedTopic? _current;
        private TableColumns? _columns;
        private readonly HashSet<string> _ignoredColumns = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, int> _tableShapes = new(StringComparer.Ordinal);
        private int _bulletPapers;
        // The block being read (one table, or the bullets under one heading): its rows and the lines that did not read.
        // Silent: rows that read without an error of their own (only a warning), which the block error is there to catch.
        private (int Rows, List<int> Unreadable, int Silent, string What)? _block;
        private DateOnly? _pendingCitationDate;
        private List<string>? _pendingUpcoming;

        public string? Title { get; set; }
        public bool InTable => _columns is not null;

        public void Heading(string name, int line)
        {
            EndBlock();
            _heading = (name, line);
            _current = null;
            _pendingCitationDate = null;
            _pendingUpcoming = null;
        }

        public void CitationDate(string text, int line)
        {
            var date = ParseCitationDate(text);
            if (date is null)
            {
                Error(line, $"citation date '{text}' is not a date; write it like '28th July, 2024'");
                return;
            }
            if (_current is not null) _current.CitationDate = date;
            else
            {
                _pendingCitationDate = date;
                EnsureTopicForHeading();
            }
        }

        public void Upcoming(string list, int line)
        {
            var items = list.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => CollapseSpaces(s.TrimEnd('.')))
                .Where(s => s.Length > 0)
                .ToList();
            if (_current is not null) _current.Upcoming.AddRange(items.Except(_current.Upcoming));
            else if (_heading is not null)
            {
                _pendingUpcoming = items;
                EnsureTopicForHeading();
            }
            else Warning(line, "upcoming topics line before any topic heading; ignored");
        }

        /// <summary>A heading becomes a topic once something topic-like (a date line, a table) follows it.</summary>
        private void EnsureTopicForHeading()
        {
            if (_current is not null || _heading is null) return;
            var (name, line) = _heading.Value;
            var slug = Slugs.From(name);
            if (slug.Length == 0) slug = "topic";
            var unique = slug;
            for (var n = 2; !_topicSlugs.Add(unique); n++) unique = $"{slug}-{n}";
            _current = new ParsedTopic { Name = name, Slug = unique, Line = line, CitationDate = _pendingCitationDate };
            if (_pendingUpcoming is not null) _current.Upcoming.AddRange(_pendingUpcoming);
            _pendingUpcoming = null;
            _pendingCitationDate = null;
            _topics.Add(_current);
        }

        public void StartTable(IReadOnlyList<string> header, int line)
        {
            var columns = TableColumns.From(header);
            if (columns is null) return; // some other table in the prose: not a paper table
            if (_heading is null)
            {
                Warning(line, "paper table has no '## Topic' heading above it; it is imported as topic 'Untitled'");
                _heading = ("Untitled", line);
            }
            EnsureTopicForHeading();
            EndBlock();
            _columns = columns;
            foreach (var ignored in columns.Ignored)
            {
                if (_ignoredColumns.Add(ignored)) Warning(line, $"column '{ignored}' is not a field of the catalog; it is ignored (said once for the whole list)");
            }
            var known = columns.Names.Where(n => !columns.Ignored.Contains(n)).ToList();
            var shape = "table with columns " + string.Join(", ", known) + (columns.Ignored.Count > 0 ? $" ({string.Join(", ", columns.Ignored)} ignored)" : "");
            _tableShapes.TryAdd(shape, 0);
            _block = (0, [], 0, shape);
        }

        public void EndTable()
        {
            if (_columns is not null) EndBlock();
            _columns = null;
        }

        public void Row(IReadOnlyList<string> cells, int line)
        {
            var paper = RowReader.Read(cells, _columns!, line, Warning, Error);
            Count(line, paper);
            if (paper is not null) _current!.Papers.Add(paper);
            if (_block is { What: var shape }) _tableShapes[shape]++;
        }

        public void Bullet(string text, int line)
        {
            if (_heading is null) return; // bullets above every topic heading: the list's own prose
            var (candidate, paper) = BulletReader.Read(text, line);
            if (!candidate) return;
            EnsureTopicForHeading();
            _block ??= (0, [], 0, "bullet list");
            Count(line, paper);
            if (paper is null) return;
            _current!.Papers.Add(paper);
            _bulletPapers++;
        }

        private void Count(int line, ParsedPaper? paper)
        {
            if (_block is not { } block) return;
            if (paper is null || paper.PdfUrl is null) block.Unreadable.Add(line);
            _block = block with { Rows = block.Rows + 1, Silent = block.Silent + (paper is not null && paper.PdfUrl is null || paper is null && block.What == "bullet list" ? 1 : 0) };
        }

        /// <summary>A table or bullet list most of whose rows gave no title and link is not a list this parser reads.</summary>
        private void EndBlock()
        {
            if (_block is { } block && block.Rows >= 3 && block.Unreadable.Count * 2 > block.Rows && block.Silent > 0)
            {
                Error(block.Unreadable[0], $"{block.Unreadable.Count} of the {block.Rows} rows of this {(block.What == "bullet list" ? "bullet list" : "table")} cannot be read into a title and a paper link " +
                    $"(lines {string.Join(", ", block.Unreadable.Take(3))}{(block.Unreadable.Count > 3 ? ", ..." : "")}); nothing is imported from a list read this badly. " +
                    "Tables need a Title column and a link to the paper (arXiv, DOI, PDF); bullets need a title and such a link");
            }
            _block = null;
        }

        public ParsedList Finish(string description, int descriptionLine)
        {
            EndBlock();
            if (_topics.Count == 0)
                _diagnostics.Add(new Diagnostic(file, 1, Severity.Error, "no paper table or paper list found: expected '## Topic' headings, each with a table that has a Title column (such as 'Keywords | Title | Paper | Affiliation | Date | Citation') or bullets that link papers"));
            var shapes = _tableShapes.Where(t => t.Value > 0).Select(t => t.Key).ToList();
            if (_bulletPapers > 0) shapes.Add("bullet lists");
            var rows = _topics.Sum(t => t.Papers.Count);
            var recognised = (shapes.Count == 0 ? "nothing recognised" : string.Join("; ", shapes)) +
                             $": {_topics.Count} topic{(_topics.Count == 1 ? "" : "s")}, {rows} row{(rows == 1 ? "" : "s")}";
            return new ParsedList(file, Title, _topics, _diagnostics) { Description = description, DescriptionLine = descriptionLine, Recognised = recognised };
        }

        private void Warning(int line, string message) => _diagnostics.Add(new Diagnostic(file, line, Severity.Warning, message));
        private void Error(int line, string message) => _diagnostics.Add(new Diagnostic(file, line, Severity.Error, message));
    }

    /// <summary>A heading's words: no emoji, no "back to top" links, no inline HTML.</summary>
    internal static string HeadingName(string heading)
    {
        var words = CleanInline(ListLinks.Without(ListDecorations.Strip(heading)));
        return CollapseSpaces(EmptyParensRegex().Replace(words, " "));
    }

    internal static IReadOnlyList<string> SplitCells(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var inCode = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '|') { current.Append('|'); i++; continue; }
            if (c == '`') inCode = !inCode;
            if (c == '|' && !inCode) { cells.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        cells.Add(current.ToString());
        var trimmed = line.Trim();
        // "| a | b |": the pieces before the first and after the last pipe are not cells.
        if (trimmed.StartsWith('|')) cells.RemoveAt(0);
        if (trimmed.EndsWith('|') && cells.Count > 0) cells.RemoveAt(cells.Count - 1);
        return cells.Select(c => c.Trim()).ToList();
    }

    /// <summary>Strips inline HTML (such as <c>&lt;mark&gt;</c>), decodes entities and collapses spaces.</summary>
    internal static string CleanInline(string text)
    {
        // Most cells are plain text: skip the regexes and the entity decoder when there is nothing to clean.
        if (IsPlain(text)) return WithoutClosingHashes(text.Trim());
        var noTags = HtmlTagRegex().Replace(text, "");
        return WithoutClosingHashes(CollapseSpaces(WebUtility.HtmlDecode(noTags)).Trim());
    }

    /// <summary>
    /// A heading's closing sequence (<c>## Serving ##</c>) goes, as in CommonMark: only a run of <c>#</c> after a space
    /// (or the whole text). A <c>#</c> that ends a word is part of it: the keyword <c>QuIP#</c> stays <c>QuIP#</c>.
    /// </summary>
    internal static string WithoutClosingHashes(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == '#') end--;
        if (end == text.Length || end > 0 && !char.IsWhiteSpace(text[end - 1])) return text;
        return text[..end].Trim();
    }

    private static bool IsPlain(string text)
    {
        var previousSpace = false;
        foreach (var c in text)
        {
            if (c is '<' or '&' or '\t' or '\u00a0' or '\r' or '\n') return false;
            var space = c == ' ';
            if (space && previousSpace) return false;
            previousSpace = space;
        }
        return true;
    }

    internal static string CollapseSpaces(string text) => SpacesRegex().Replace(text.Replace('\u00a0', ' '), " ").Trim();

    internal static DateOnly? ParseCitationDate(string text)
    {
        var m = CitationDayMonthYearRegex().Match(text);
        int day, year;
        string monthName;
        if (m.Success)
        {
            day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
            monthName = m.Groups["month"].Value;
            year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        }
        else if (CitationMonthDayYearRegex().Match(text) is { Success: true } us)
        {
            day = int.Parse(us.Groups["day"].Value, CultureInfo.InvariantCulture);
            monthName = us.Groups["month"].Value;
            year = int.Parse(us.Groups["year"].Value, CultureInfo.InvariantCulture);
        }
        else if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy.MM.dd", "yyyy/MM/dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            return PaperDates.InRange(iso.Year) ? iso : null;
        }
        else return null;

        var month = MonthNumber(monthName);
        if (month is null || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month.Value) || !PaperDates.InRange(year)) return null;
        return new DateOnly(year, month.Value, day);
    }

    private static int? MonthNumber(string name)
    {
        var n = name.ToLowerInvariant().TrimEnd('.');
        if (n == "sept") n = "sep";
        for (var i = 1; i <= 12; i++)
        {
            var full = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(i).ToLowerInvariant();
            if (n == full || (n.Length >= 3 && full.StartsWith(n, StringComparison.Ordinal))) return i;
        }
        return null;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")]
    private static partial Regex AlignmentRowRegex();

    [GeneratedRegex(@"^last\s+update\s+of\s+citations?\s+(?:was\s+)?on\s*:?\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex CitationDateRegex();

    [GeneratedRegex(@"^upcoming\s+topics?\s*(?:include[sd]?\s*:?|:)\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex UpcomingRegex();

    // [0-9], not \d: \d also matches other scripts' digits, which int.Parse does not read.
    [GeneratedRegex(@"^(?<day>[0-9]{1,2})\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?<month>[A-Za-z]+\.?)\s*,?\s*(?<year>[0-9]{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex CitationDayMonthYearRegex();

    [GeneratedRegex(@"^(?<month>[A-Za-z]+\.?)\s+(?<day>[0-9]{1,2})\s*(?:st|nd|rd|th)?\s*,?\s*(?<year>[0-9]{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex CitationMonthDayYearRegex();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacesRegex();

    [GeneratedRegex(@"\(\s*\)|\[\s*\]")]
    private static partial Regex EmptyParensRegex();
}
