using Dapper;
using PaperCatalog.Data;

namespace PaperCatalog.Shape;

/// <summary>How many papers of a topic carry a year.</summary>
public sealed record TopicYears(string Slug, string Name, IReadOnlyList<YearCount> Years)
{
    public long Total => Years.Sum(y => y.Papers);
}

/// <summary>Papers published in one year.</summary>
public sealed record YearCount(int Year, long Papers);

/// <summary>One of the most cited papers.</summary>
public sealed record CitedPaper
{
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string TopicName { get; init; } = "";
    public long Citations { get; init; }
}

/// <summary>An affiliation (its most common spelling) and how many papers name it.</summary>
public sealed record AffiliationCount(string Name, long Papers);

/// <summary>The catalog's shape, for the page that charts it.</summary>
public sealed record CatalogShape(
    IReadOnlyList<TopicYears> Topics, IReadOnlyList<YearCount> Years, long Undated,
    IReadOnlyList<CitedPaper> MostCited, IReadOnlyList<AffiliationCount> Affiliations, long Papers);

/// <summary>
/// Papers per year per topic, the most cited papers and the most named affiliations, aggregated in SQL: a scan of the
/// papers' first columns (topic, affiliation, date and citations come before the intro in each row, so no intro is read).
/// </summary>
public sealed class ShapeQueries(CatalogDatabase database)
{
    /// <summary>How many papers and affiliations the lists of the most cited and most named hold.</summary>
    public const int Top = 15;

    private sealed record TopicYearRow(long TopicId, string Slug, string Name, long Year, long Papers);
    private sealed record CellRow(string Cell, long Papers);

    public async Task<CatalogShape> GetAsync(CancellationToken ct)
    {
        // Years: the store keeps dates as YYYY.MM; anything else (unknown, malformed) counts as undated. Topics in list
        // order; a topic without dated papers has no row, so an empty topic never shows as if it were a real one.
        // Affiliations: grouped by cell here (the catalog repeats cells: "Google Research" on many rows), split into
        // names and folded in C#, which SQL cannot do sensibly.
        const string sql = """
            SELECT t.id AS TopicId, t.slug AS Slug, t.name AS Name, CAST(substr(p.published, 1, 4) AS INTEGER) AS Year, count(*) AS Papers
            FROM papers p INDEXED BY ix_papers_shape JOIN topics t ON t.id = p.topic_id
            WHERE p.published GLOB '[12][0-9][0-9][0-9]*'
            GROUP BY t.id, Year
            ORDER BY t.position, t.id, Year;
            SELECT count(*) FROM papers;
            SELECT p.slug AS Slug, p.title AS Title, t.name AS TopicName, p.citations AS Citations
            FROM papers p JOIN topics t ON t.id = p.topic_id
            WHERE p.id IN (SELECT id FROM papers INDEXED BY ix_papers_shape WHERE citations > 0 ORDER BY citations DESC, id LIMIT @top)
            ORDER BY p.citations DESC, p.id;
            SELECT affiliation AS Cell, count(*) AS Papers FROM papers INDEXED BY ix_papers_shape WHERE affiliation <> '' GROUP BY affiliation;
            """;
        await using var connection = await database.OpenAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { top = Top }, cancellationToken: ct));
        var rows = (await grid.ReadAsync<TopicYearRow>()).ToList();
        var papers = await grid.ReadSingleAsync<long>();
        var cited = (await grid.ReadAsync<CitedPaper>()).ToList();
        var cells = (await grid.ReadAsync<CellRow>()).ToList();

        var topics = rows.GroupBy(r => r.TopicId)
            .Select(g => new TopicYears(g.First().Slug, g.First().Name, g.Select(r => new YearCount((int)r.Year, r.Papers)).ToList()))
            .ToList();
        var years = rows.GroupBy(r => r.Year).OrderBy(g => g.Key).Select(g => new YearCount((int)g.Key, g.Sum(r => r.Papers))).ToList();
        var dated = years.Sum(y => y.Papers);
        return new CatalogShape(topics, years, papers - dated, cited, MostNamed(cells), papers);
    }

    /// <summary>Names counted once per paper, spelled as most papers spell them (ties: the first in ordinal order).</summary>
    private static List<AffiliationCount> MostNamed(IEnumerable<CellRow> cells)
    {
        var counts = new Dictionary<string, (long Papers, Dictionary<string, long> Spellings)>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            foreach (var name in Affiliations.Split(cell.Cell))
            {
                var key = Affiliations.Key(name);
                if (!counts.TryGetValue(key, out var entry)) entry = (0, new Dictionary<string, long>(StringComparer.Ordinal));
                entry.Spellings[name] = entry.Spellings.GetValueOrDefault(name) + cell.Papers;
                counts[key] = (entry.Papers + cell.Papers, entry.Spellings);
            }
        }
        return counts.Values
            .Select(v => new AffiliationCount(v.Spellings.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key, v.Papers))
            .OrderByDescending(a => a.Papers).ThenBy(a => a.Name, StringComparer.Ordinal)
            .Take(Top)
            .ToList();
    }
}
