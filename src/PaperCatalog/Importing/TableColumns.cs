namespace PaperCatalog.Importing;

/// <summary>
/// Which cell of a paper table holds which field, read from the header row by name, in any order, with the synonyms
/// curators use. A table is a paper table when it has a title column (or, failing that, a paper column whose cells
/// carry the title). Columns the catalog does not know are listed in <see cref="Ignored"/>.
/// </summary>
public sealed record TableColumns(int Count)
{
    public int Keywords { get; init; } = -1;
    public int Title { get; init; } = -1;
    public int Paper { get; init; } = -1;
    public int Code { get; init; } = -1;
    public int Affiliation { get; init; } = -1;
    public int Venue { get; init; } = -1;
    public int Authors { get; init; } = -1;
    public int Date { get; init; } = -1;
    public int Citation { get; init; } = -1;

    /// <summary>The header names as written, in order (for what <c>catalog check</c> says it recognised).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>Header names that are no field of the catalog (a star rating, a "Recom" column).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    // Matched on the header with decorations, punctuation and case taken away; the first role that claims a name wins.
    private static readonly (string Role, string[] Names)[] Synonyms =
    [
        ("title", ["title", "paper name", "paper title", "name", "papers name"]),
        ("keywords", ["keywords", "keyword", "tags", "tag", "topic", "short name", "abbr", "abbreviation", "method"]),
        ("paper", ["paper", "papers", "link", "links", "pdf", "url", "paper link", "arxiv", "resources"]),
        ("code", ["code", "repo", "repository", "github", "implementation", "source code", "official code"]),
        ("affiliation", ["affiliation", "affiliations", "org", "orgs", "organization", "organisation", "institution", "institute", "lab"]),
        ("venue", ["venue", "conference", "conf", "publication", "published in", "journal"]),
        ("authors", ["authors", "author", "authors list"]),
        ("date", ["date", "year", "time", "month", "published", "release", "release date"]),
        ("citation", ["citation", "citations", "cited by", "cites", "cited", "citation count", "citations count"]),
    ];

    /// <summary>The columns of a header row, or null when it is not a paper table.</summary>
    public static TableColumns? From(IReadOnlyList<string> header)
    {
        var roles = new Dictionary<string, int>(StringComparer.Ordinal);
        var ignored = new List<string>();
        var names = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var written = ListParser.CleanInline(ListDecorations.Strip(header[i]));
            names.Add(written);
            var key = Normalise(written);
            var role = Synonyms.FirstOrDefault(s => s.Names.Contains(key) && !roles.ContainsKey(s.Role)).Role
                       // "Citation (Jan 2025)", "Date ▼": the first word decides.
                       ?? Synonyms.FirstOrDefault(s => s.Names.Contains(key.Split(' ')[0]) && !roles.ContainsKey(s.Role)).Role;
            if (role is null)
            {
                if (written.Length > 0) ignored.Add(written);
                continue;
            }
            roles[role] = i;
        }
        int Get(string role) => roles.TryGetValue(role, out var i) ? i : -1;
        var columns = new TableColumns(header.Count)
        {
            Keywords = Get("keywords"), Title = Get("title"), Paper = Get("paper"), Code = Get("code"), Affiliation = Get("affiliation"),
            Venue = Get("venue"), Authors = Get("authors"), Date = Get("date"), Citation = Get("citation"),
            Names = names, Ignored = ignored,
        };
        // "| Paper | Code |" where the paper cell is "[Title](url)": the paper column is the title too.
        if (columns.Title < 0 && columns.Paper >= 0 && (columns.Date >= 0 || columns.Code >= 0 || columns.Venue >= 0)) columns = columns with { Title = columns.Paper };
        return columns.Title < 0 ? null : columns;
    }

    private static string Normalise(string header)
    {
        var chars = header.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
