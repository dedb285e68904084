using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Keywords;

/// <summary>Reads keywords for the site.</summary>
public sealed class KeywordQueries(CatalogDatabase database, CatalogCache cache)
{
    /// <summary>A keyword and every paper carrying it, newest first; null for an unknown slug.</summary>
    public Task<KeywordPage?> GetPageAsync(string slug, CancellationToken ct) =>
        cache.GetOrLoadAsync("keyword:" + slug, c => LoadPageAsync(slug, c), ct);

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const.
    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """

        FROM paper_keywords pk
        JOIN papers p ON p.id = pk.paper_id
        JOIN topics t ON t.id = p.topic_id
        WHERE pk.keyword_id = @Id
        ORDER BY p.published DESC, t.position, p.position;
        """;

    private async Task<KeywordPage?> LoadPageAsync(string slug, CancellationToken ct)
    {
        const string keywordSql = "SELECT id AS Id, slug AS Slug, name AS Name FROM keywords WHERE slug = @slug;";
        await using var connection = await database.OpenAsync(ct);
        var keyword = await connection.QuerySingleOrDefaultAsync<KeywordData>(new CommandDefinition(keywordSql, new { slug }, cancellationToken: ct));
        if (keyword is null) return null;
        var rows = await connection.QueryAsync<PaperRow>(new CommandDefinition(PapersSql, new { keyword.Id }, cancellationToken: ct));
        return new KeywordPage(keyword.Slug, keyword.Name, rows.ToList());
    }

    /// <summary>Every keyword that papers carry, A to Z, with how many carry it.</summary>
    public async Task<IReadOnlyList<Search.KeywordUse>> ListAsync(CancellationToken ct) =>
        (await cache.GetOrLoadAsync("keywords", LoadListAsync, ct))!;

    private async Task<IReadOnlyList<Search.KeywordUse>?> LoadListAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT k.name AS Name, k.slug AS Slug, count(*) AS Papers
            FROM keywords k JOIN paper_keywords pk ON pk.keyword_id = k.id
            GROUP BY k.id
            ORDER BY k.name COLLATE NOCASE, k.id;
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Search.KeywordUse>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
    }

    private sealed record KeywordData
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
    }
}
