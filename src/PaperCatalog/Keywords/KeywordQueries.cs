using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Keywords;

/// <summary>Reads keywords for the site.</summary>
public sealed class KeywordQueries(CatalogDatabase database, CatalogCache cache)
{
    /// <summary>A keyword and one page of the papers carrying it, newest first; null for an unknown slug.</summary>
    public async Task<KeywordPage?> GetPageAsync(string slug, int? page, CancellationToken ct)
    {
        var keyword = await cache.GetOrLoadAsync("keyword:" + slug, c => LoadKeywordAsync(slug, c), ct);
        if (keyword is null) return null;
        var paging = new Paging(page, keyword.Papers);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"keyword-rows:{keyword.Id}:{paging.Number}");
        var rows = await cache.GetOrLoadAsync(key, c => LoadRowsAsync(keyword.Id, paging, c), ct);
        return new KeywordPage(keyword.Slug, keyword.Name, rows!, paging, (int)keyword.Topics);
    }

    private async Task<KeywordData?> LoadKeywordAsync(string slug, CancellationToken ct)
    {
        const string keywordSql = """
            SELECT k.id AS Id, k.slug AS Slug, k.name AS Name,
                   (SELECT count(*) FROM paper_keywords pk WHERE pk.keyword_id = k.id) AS Papers,
                   (SELECT count(DISTINCT p.topic_id) FROM paper_keywords pk JOIN papers p ON p.id = pk.paper_id WHERE pk.keyword_id = k.id) AS Topics
            FROM keywords k WHERE k.slug = @slug;
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<KeywordData>(new CommandDefinition(keywordSql, new { slug }, cancellationToken: ct));
    }

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const.
    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """

        FROM paper_keywords pk
        JOIN papers p ON p.id = pk.paper_id
        JOIN topics t ON t.id = p.topic_id
        WHERE pk.keyword_id = @Id
        ORDER BY p.published IS NULL, p.published DESC, t.position, p.position, p.id
        LIMIT @Size OFFSET @Skip;
        """;

    private async Task<IReadOnlyList<PaperRow>?> LoadRowsAsync(long keywordId, Paging paging, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PaperRow>(new CommandDefinition(PapersSql, new { Id = keywordId, paging.Size, paging.Skip }, cancellationToken: ct))).ToList();
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
        public long Papers { get; init; }
        public long Topics { get; init; }
    }
}
