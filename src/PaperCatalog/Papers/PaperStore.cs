using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Search;

namespace PaperCatalog.Papers;

/// <summary>Where a paper sits: its address, its topic and its place in the topic's table.</summary>
public readonly record struct PaperPlace(string Slug, long TopicId, long Position);

/// <summary>A paper's content with its stored values and content hash, worked out once per write.</summary>
public sealed class PaperRecord
{
    /// <summary>
    /// <paramref name="linkTargets"/>: where the intro's links lead on the site, when the intro is rendered after the hash
    /// is taken (see <see cref="PaperFields.Hash"/> and <see cref="WithIntro"/>).
    /// </summary>
    public PaperRecord(PaperContent content, long topicId, IEnumerable<string?>? linkTargets = null)
    {
        Content = content;
        Values = PaperFields.Values(content);
        Hash = PaperFields.Hash(Values, content, topicId, linkTargets);
    }

    private PaperRecord(PaperContent content, object?[] values, string hash, SearchDocument? search)
    {
        Content = content;
        Values = values;
        Hash = hash;
        Search = search;
    }

    public PaperContent Content { get; }
    internal object?[] Values { get; }
    public string Hash { get; }

    /// <summary>The list row's source key (see <see cref="PaperFields.SourceKey"/>), stored beside the hash; null for other writers.</summary>
    public string? SourceKey { get; init; }

    /// <summary>The hash as stores kept it before it covered the source (see <see cref="PaperFields.LegacyHash"/>); needs the rendered intro.</summary>
    public string LegacyHash(long topicId) => PaperFields.LegacyHash(Values, Content, topicId);

    /// <summary>The search document, when the caller built it (on another core) ahead of the write.</summary>
    public SearchDocument? Search { get; }

    /// <summary>The same paper with its intro rendered, and its search document; the hash does not change (it covers the source).</summary>
    public PaperRecord WithIntro(string? introHtml, SearchDocument? search)
    {
        var content = Content with { IntroHtml = introHtml };
        var values = (object?[])Values.Clone();
        for (var i = 0; i < values.Length; i++) if (PaperFields.All[i].Rendered) values[i] = PaperFields.All[i].Value(content);
        return new PaperRecord(content, values, Hash, search) { SourceKey = SourceKey };
    }
}

/// <summary>
/// The one store of papers: the importer, approvals and moderators' edits all write through a <see cref="PaperWriter"/>
/// from here, so the insert and update, keywords, slugs, the search document, the content hash and cache invalidation
/// have one home.
/// </summary>
public sealed class PaperStore(CatalogDatabase database, SearchIndex search, CatalogCache? cache = null)
{
    /// <summary>
    /// Opens a connection and an IMMEDIATE transaction (the write lock is taken at once, and a busy store is waited for).
    /// <paramref name="bulk"/> is for an import: synchronous=NORMAL (WAL keeps every commit atomic, a killed import rolls
    /// back) and a larger page cache that keeps the slug and keyword indexes in memory while a big list is written.
    /// </summary>
    public async Task<PaperWriter> BeginAsync(CancellationToken ct, bool bulk = false)
    {
        var connection = await database.OpenAsync(ct);
        try
        {
            if (bulk)
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;", cancellationToken: ct));
            var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            return new PaperWriter(connection, tx, search, cache, bulk);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
