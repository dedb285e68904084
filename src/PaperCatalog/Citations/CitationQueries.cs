using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Citations;

/// <summary>
/// Gives papers their citation keys. Keys are told apart across the whole catalog (so a paper has the same key in
/// every export: alone, in its topic, in a search). Each paper stores its key before it is told apart
/// (<c>citation_base</c>), so citing a few papers reads only the papers whose keys start the same way; citing many reads
/// every paper's stored basis, strings only.
/// </summary>
public sealed class CitationQueries(CatalogDatabase database)
{
    // Past this many different keys one read of the whole column costs less than a range read per key.
    private const int RangeReadsAtMost = 64;

    /// <summary>The papers as cited, in the order given.</summary>
    public async Task<IReadOnlyList<CitedPaper>> CiteAsync(IEnumerable<PaperRow> papers, CancellationToken ct)
    {
        var list = papers as IReadOnlyList<PaperRow> ?? papers.ToList();
        var bases = list.Select(BaseOf).Distinct(StringComparer.Ordinal).ToList();
        var keys = await KeysAsync(bases, ct);
        return list.Select(p => new CitedPaper(keys.TryGetValue(p.Slug, out var key) ? key : BaseOf(p), p)).ToList();
    }

    // A row read without its basis (or written before it was stored) has it computed the same way.
    private static string BaseOf(PaperRow p) => p.CitationBase ?? CitationKeys.Of(p.Title, p.Authors, p.Published);

    private async Task<IReadOnlyDictionary<string, string>> KeysAsync(IReadOnlyList<string> bases, CancellationToken ct)
    {
        // Every key that starts with the basis: '{' is the character after 'z', and keys hold only a-z and 0-9.
        const string range = """
            SELECT slug AS Slug, citation_base AS Base, added_at AS AddedAt FROM papers
            WHERE citation_base >= @basis AND citation_base < @basis || '{';
            """;
        await using var connection = await database.OpenAsync(ct);
        if (bases.Count > RangeReadsAtMost)
            return await AllKeysAsync(connection, ct);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var basis in bases)
        {
            var rows = (await connection.QueryAsync<CitationKeys.Stored>(new CommandDefinition(range, new { basis }, cancellationToken: ct))).ToList();
            var assigned = CitationKeys.Assign(rows);
            foreach (var row in rows)
                if (row.Base == basis) keys[row.Slug] = assigned[row.Slug];
        }
        return keys;
    }

    /// <summary>
    /// Migration 18's code step: stores the basis of every paper written before it was stored, in the migration's
    /// transaction (about a second at 100,000 papers, once).
    /// </summary>
    internal static async Task FillBasesAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        const string read = "SELECT id AS Id, title AS Title, authors AS Authors, published AS Published FROM papers WHERE citation_base IS NULL;";
        var rows = await connection.QueryAsync<(long Id, string Title, string? Authors, string? Published)>(new CommandDefinition(read, transaction: tx, cancellationToken: ct));
        using var update = new RawStatement(connection, "UPDATE papers SET citation_base = ?2 WHERE id = ?1;");
        foreach (var (id, title, authors, published) in rows)
            update.Bind(1, id).Bind(2, CitationKeys.Of(title, authors?.Split('\n') ?? [], published)).Run();
    }

    /// <summary>Papers one part of an export reads at once: a few hundred KB of text, whatever the catalog's size.</summary>
    public const int PartSize = 500;

    /// <summary>
    /// Every paper of the catalog, or of a topic or with a keyword when one is given, cited, in the list's order (as
    /// <see cref="CiteAsync"/> over <see cref="PapersAsync"/> gives them), <see cref="PartSize"/> papers at a time:
    /// the keys first from one read of the stored bases, then each part's rows by keyset paging within each topic, on a
    /// connection of its own (no read stays open while the client downloads), with only the columns exports write.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<CitedPaper>> PartsAsync(string? topic, string? keyword, [EnumeratorCancellation] CancellationToken ct)
    {
        const string topics = "SELECT id FROM topics t WHERE @topic IS NULL OR t.slug = @topic ORDER BY t.position, t.id;";
        IReadOnlyDictionary<string, string> keys;
        IReadOnlyList<long> topicIds;
        await using (var connection = await database.OpenAsync(ct))
        {
            keys = topic is null && keyword is null
                ? await AllKeysAsync(connection, ct)
                : await KeysAsync((await connection.QueryAsync<string>(new CommandDefinition(ScopeBasesSql, new { topic, keyword }, cancellationToken: ct))).ToList(), ct);
            topicIds = (await connection.QueryAsync<long>(new CommandDefinition(topics, new { topic }, cancellationToken: ct))).ToList();
        }
        foreach (var topicId in topicIds)
        {
            var (position, id) = (long.MinValue, long.MinValue);
            while (true)
            {
                List<PartRow> rows;
                await using (var connection = await database.OpenAsync(ct))
                    rows = (await connection.QueryAsync<PartRow>(new CommandDefinition(PartSql, new { topic, keyword, topicId, position, id, size = PartSize }, cancellationToken: ct))).ToList();
                if (rows.Count == 0) break;
                yield return rows.Select(p => new CitedPaper(keys.TryGetValue(p.Slug, out var key) ? key : BaseOf(p), p)).ToList();
                if (rows.Count < PartSize) break;
                (position, id) = (rows[^1].Position, rows[^1].Id);
            }
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>> AllKeysAsync(SqliteConnection connection, CancellationToken ct) =>
        CitationKeys.Assign((await connection.QueryAsync<CitationKeys.Stored>(new CommandDefinition(AllBasesSql, cancellationToken: ct))).ToList());

    private const string AllBasesSql = "SELECT slug AS Slug, citation_base AS Base, added_at AS AddedAt FROM papers WHERE citation_base IS NOT NULL;";

    private static readonly string ScopeBasesSql = "SELECT DISTINCT p.citation_base FROM papers p JOIN topics t ON t.id = p.topic_id" +
        Feeds.FeedQueries.InScope + " AND p.citation_base IS NOT NULL;";

    /// <summary>A row of a part: what the formats write, and where the next part starts.</summary>
    private sealed record PartRow : PaperRow
    {
        public long Id { get; init; }
    }

    // The fields the three formats write (BibTex, Ris, CslJson) and the key's basis; (topic_id, position) is an index.
    private static readonly string PartSql = "SELECT p.slug AS Slug, p.id AS Id, p.position AS Position, " +
        PaperFields.RowColumns("p", row => row is nameof(PaperRow.Title) or nameof(PaperRow.Venue) or nameof(PaperRow.PdfUrl) or nameof(PaperRow.AuthorList)
            or nameof(PaperRow.ArxivId) or nameof(PaperRow.Published) or nameof(PaperRow.CitationBase)) + ", " + PaperQueries.KeywordListColumn + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        """ + Feeds.FeedQueries.InScope + """

          AND p.topic_id = @topicId AND (p.position > @position OR (p.position = @position AND p.id > @id))
        ORDER BY p.position, p.id
        LIMIT @size;
        """;

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
