using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Citations;

/// <summary>
/// Gives papers their citation keys. Keys are told apart across the whole catalog (so a paper has the same key in
/// every export: alone, in its topic, in a search), which needs every paper's key basis: one narrow read, kept in the
/// cache until the next write.
/// </summary>
public sealed class CitationQueries(CatalogDatabase database, CatalogCache cache)
{
    /// <summary>The papers as cited, in the order given.</summary>
    public async Task<IReadOnlyList<CitedPaper>> CiteAsync(IEnumerable<PaperRow> papers, CancellationToken ct)
    {
        var keys = (await cache.GetOrLoadAsync("citation-keys", TimeSpan.FromMinutes(10), LoadKeysAsync, ct))!;
        return papers.Select(p => new CitedPaper(keys.TryGetValue(p.Slug, out var key) ? key : PlainKey(p), p)).ToList();
    }

    // A paper written after the keys were read (the cache is a few seconds behind another process) gets its plain key.
    private static string PlainKey(PaperRow p) =>
        CitationKeys.Of(new CitationKeys.Basis { Slug = p.Slug, Title = p.Title, Published = p.Published, Authors = string.Join('\n', p.Authors) });

    private async Task<IReadOnlyDictionary<string, string>?> LoadKeysAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT slug AS Slug, title AS Title, authors AS Authors, published AS Published, added_at AS AddedAt FROM papers;
            """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CitationKeys.Basis>(new CommandDefinition(sql, cancellationToken: ct));
        return CitationKeys.Assign(rows);
    }

    /// <summary>Every paper of the catalog, or of a topic or with a keyword when one is given, in the list's order.</summary>
    public async Task<IReadOnlyList<PaperRow>> PapersAsync(string? topic, string? keyword, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PaperRow>(new CommandDefinition(PapersSql, new { topic, keyword }, cancellationToken: ct))).ToList();
    }

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const.
    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        """ + Feeds.FeedQueries.InScope + """

        ORDER BY t.position, t.id, p.position, p.id;
        """;
}
