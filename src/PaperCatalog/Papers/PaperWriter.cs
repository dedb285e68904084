using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Search;
using PaperCatalog.Semantic;

namespace PaperCatalog.Papers;

/// <summary>
/// One transaction of writes to papers, from <see cref="PaperStore.BeginAsync"/>. Each paper is written with its
/// keywords, images and search document in the same transaction, so readers see all of a change or none of it; other
/// writes that belong to the same change (topics, the audit log, a submission's decision) use <see cref="Connection"/>
/// and <see cref="Transaction"/>. The statements are prepared once and reused for every paper, because an import of
/// 100,000 papers should take seconds (Dapper builds a command per call, which costs more than the insert itself here).
/// </summary>
public sealed class PaperWriter : IAsyncDisposable
{
    // Built once from the field list: column names are constants of PaperFields, never input. Parameters 1-7 are the
    // place (slug, topic, position), the origin (insert) or the editing moderator (update), the hash, the time and the
    // source key; the fields follow in PaperFields.All's order.
    private const int FirstField = 8;
    private static readonly string InsertSql =
        "INSERT INTO papers (slug, topic_id, position, origin, content_hash, added_at, updated_at, source_key, "
        + string.Join(", ", PaperFields.All.Select(f => f.Column)) + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, "
        + string.Join(", ", PaperFields.All.Select((_, i) => "?" + (FirstField + i))) + ");";
    // A null hash keeps the stored one: a moderator's edit of a list paper keeps the hash of the list's row, so the
    // next import tells an unchanged row (the edit stays) from a changed one (the list's version replaces the edit). The
    // source key goes with the hash it stands for.
    private static readonly string UpdateSql =
        "UPDATE papers SET slug = ?1, topic_id = ?2, position = ?3, edited_by = ?4, edited_at = CASE WHEN ?4 IS NULL THEN NULL ELSE ?6 END, "
        + "content_hash = coalesce(?5, content_hash), source_key = CASE WHEN ?5 IS NULL THEN source_key ELSE ?7 END, updated_at = ?6, "
        + string.Join(", ", PaperFields.All.Select((f, i) => $"{f.Column} = ?{FirstField + i}"))
        + $" WHERE id = ?{FirstField + PaperFields.All.Count};";

    private readonly SearchIndex _searchIndex;
    private readonly CatalogCache? _cache;
    private readonly Dictionary<string, string> _keywordSlugs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _keywordIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _slugsGiven = new(StringComparer.Ordinal);
    private readonly bool _allKeywordsKnown;
    private RawStatement? _insert, _update, _move, _slugTaken, _endOf, _findKeyword, _newKeyword, _addKeyword, _clearKeywords, _clearMedia, _clearLinks, _addLink;
    private SqliteCommand? _addMedia, _indexDocument, _markVector;
    private bool _keywordsMayBeOrphaned;
    private bool _indexPaused;
    private readonly bool _bulk;

    internal PaperWriter(SqliteConnection connection, SqliteTransaction tx, SearchIndex search, CatalogCache? cache, bool bulk)
    {
        Connection = connection;
        Transaction = tx;
        _searchIndex = search;
        _cache = cache;
        _bulk = bulk;
        if (bulk)
        {
            // An import meets most keywords many times: one read of them all beats a lookup per paper.
            foreach (var (id, slug) in connection.Query<(long, string)>("SELECT id, slug FROM keywords;", transaction: tx)) _keywordIds[slug] = id;
            _allKeywordsKnown = true;
        }
    }

    public SqliteConnection Connection { get; }
    public SqliteTransaction Transaction { get; }

    /// <summary>Adds a paper with its keywords, images and search document; returns its id.</summary>
    public long Insert(PaperPlace place, PaperRecord paper, string origin, string now)
    {
        var insert = _insert ??= Prepare(InsertSql);
        BindRow(insert, place, origin, paper.Hash, now, paper).Run();
        var id = insert.LastInsertRowId;
        WriteChildren(id, paper.Content, paper.Search, isNew: true);
        return id;
    }

    /// <summary>
    /// Rewrites a paper. <paramref name="hash"/> null keeps the stored content hash; <paramref name="editedBy"/> names the
    /// moderator whose edit this is (kept with the time), null clears that mark (the list's version).
    /// </summary>
    public void Update(long id, PaperPlace place, PaperRecord paper, string? hash, string now, string? editedBy)
    {
        var update = _update ??= Prepare(UpdateSql);
        BindRow(update, place, editedBy, hash, now, paper).Bind(FirstField + PaperFields.All.Count, id).Run();
        WriteChildren(id, paper.Content, paper.Search, isNew: false);
    }

    /// <summary>Moves a paper within its topic's table (nothing it says has changed).</summary>
    public void Move(long id, long position) =>
        (_move ??= Prepare("UPDATE papers SET position = ?2 WHERE id = ?1;")).Bind(1, id).Bind(2, position).Run();

    /// <summary>Deletes papers; their keyword links, images and search documents go with them (foreign keys).</summary>
    public async Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        WriteDocuments(); // a document held back for a paper deleted now would have no paper to belong to
        const string sql = "DELETE FROM papers WHERE id IN @ids;";
        foreach (var chunk in ids.Chunk(500))
            await Connection.ExecuteAsync(new CommandDefinition(sql, new { ids = chunk }, Transaction, cancellationToken: ct));
        if (ids.Count > 0) _keywordsMayBeOrphaned = true;
    }

    /// <summary>
    /// <paramref name="baseSlug"/>, or the first of <c>base-2</c>, <c>base-3</c>, … that no other stored paper (than
    /// <paramref name="except"/>) has and this writer has not handed out; the slug returned counts as handed out.
    /// </summary>
    public string FreeSlug(string baseSlug, long? except = null)
    {
        var taken = _slugTaken ??= Prepare("SELECT EXISTS (SELECT 1 FROM papers WHERE slug = ?1 AND id IS NOT ?2);");
        var slug = baseSlug;
        for (var n = 2; _slugsGiven.Contains(slug) || taken.Bind(1, slug).Bind(2, except).RunScalar() == 1; n++) slug = $"{baseSlug}-{n}";
        _slugsGiven.Add(slug);
        return slug;
    }

    /// <summary>The position after the last paper of a topic.</summary>
    public long EndOf(long topicId) =>
        (_endOf ??= Prepare("SELECT coalesce(max(position), -1) + 1 FROM papers WHERE topic_id = ?1;")).Bind(1, topicId).RunScalar() ?? 0;

    /// <summary>
    /// Stops keeping the search indexes in step with each document written, until the commit rebuilds them from all the
    /// documents in one pass: for a writer that rewrites most of the catalog (see <see cref="SearchIndex.Pause"/>).
    /// </summary>
    public void PauseSearchIndex()
    {
        if (_indexPaused) return;
        WriteDocuments();
        SearchIndex.Pause(Connection, Transaction);
        _indexPaused = true;
    }

    /// <summary>Commits, clearing out keywords no paper carries any more, and tells the site's caches.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        WriteDocuments();
        if (_indexPaused)
        {
            var started = Stopwatch.GetTimestamp();
            SearchIndex.Rebuild(Connection, Transaction);
            IndexTime += Stopwatch.GetElapsedTime(started);
        }
        if (_keywordsMayBeOrphaned)
        {
            const string orphansSql = "DELETE FROM keywords WHERE NOT EXISTS (SELECT 1 FROM paper_keywords pk WHERE pk.keyword_id = keywords.id);";
            await Connection.ExecuteAsync(new CommandDefinition(orphansSql, transaction: Transaction, cancellationToken: ct));
        }
        await Transaction.CommitAsync(ct);
        _cache?.Invalidate();
    }

    private static RawStatement BindRow(RawStatement statement, PaperPlace place, string? fourth, string? hash, string now, PaperRecord paper)
    {
        statement.Bind(1, place.Slug).Bind(2, place.TopicId).Bind(3, place.Position).Bind(4, fourth).Bind(5, hash).Bind(6, now).Bind(7, paper.SourceKey);
        var values = paper.Values;
        for (var i = 0; i < values.Length; i++) statement.Bind(FirstField + i, values[i]);
        return statement;
    }

    /// <summary>Keywords, intro links, images and the search document; <paramref name="isNew"/> skips clearing rows that cannot exist yet.</summary>
    private void WriteChildren(long paperId, PaperContent content, SearchDocument? search, bool isNew)
    {
        if (!isNew)
        {
            (_clearKeywords ??= Prepare("DELETE FROM paper_keywords WHERE paper_id = ?1;")).Bind(1, paperId).Run();
            _keywordsMayBeOrphaned = true;
        }
        var link = _addKeyword ??= Prepare("INSERT OR IGNORE INTO paper_keywords (paper_id, keyword_id, position) VALUES (?1, ?2, ?3);");
        for (var i = 0; i < content.Keywords.Count; i++)
        {
            var name = content.Keywords[i];
            if (!_keywordSlugs.TryGetValue(name, out var slug)) _keywordSlugs[name] = slug = Slugs.From(name);
            if (slug.Length == 0) continue;
            link.Bind(1, paperId).Bind(2, KeywordId(slug, name)).Bind(3, i).Run();
        }

        if (!isNew) (_clearLinks ??= Prepare(PaperLinks.ClearSql)).Bind(1, paperId).Run();
        foreach (var target in PaperLinks.Targets(content.IntroHtml)) (_addLink ??= Prepare(PaperLinks.AddSql)).Bind(1, target).Bind(2, paperId).Run();

        if (content.Media is { } media)
        {
            if (!isNew) (_clearMedia ??= Prepare("DELETE FROM paper_media WHERE paper_id = ?1;")).Bind(1, paperId).Run();
            foreach (var m in media)
            {
                var add = _addMedia ??= Command("INSERT INTO paper_media (paper_id, path, content_type, bytes) VALUES ($paper, $path, $type, $bytes);", "$paper", "$path", "$type", "$bytes");
                add.Parameters["$paper"].Value = paperId;
                add.Parameters["$path"].Value = m.Path;
                add.Parameters["$type"].Value = m.ContentType;
                add.Parameters["$bytes"].Value = m.Bytes;
                add.ExecuteNonQuery();
            }
        }

        var document = search ?? _searchIndex.Document(content.Title, content.Keywords, content.Venue, content.Affiliation, content.Authors, content.IntroMarkdown);
        // The vector's text hash in the same transaction (the vector itself is computed by the site, outside it).
        PaperVectors.Mark(_markVector ??= PaperVectors.PrepareMark(Connection, Transaction), paperId, document);
        if (_indexPaused)
        {
            var started = Stopwatch.GetTimestamp();
            _indexDocument ??= SearchIndex.PrepareWrite(Connection, Transaction);
            SearchIndex.Write(_indexDocument, paperId, document);
            IndexTime += Stopwatch.GetElapsedTime(started);
            return;
        }
        // With the index's triggers on, documents are written a batch at a time (see SearchIndex.WriteMany).
        _documents.Add((paperId, document));
        if (_documents.Count >= DocumentBatch) WriteDocuments();
    }

    private const int DocumentBatch = 256;
    private readonly List<(long PaperId, SearchDocument Document)> _documents = [];

    private void WriteDocuments()
    {
        var started = Stopwatch.GetTimestamp();
        SearchIndex.WriteMany(Connection, Transaction, _documents);
        _documents.Clear();
        IndexTime += Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Time spent writing search documents (the FTS index's triggers run inside) and rebuilding the indexes, for the import's timings.</summary>
    internal TimeSpan IndexTime { get; private set; }

    private long KeywordId(string slug, string name)
    {
        if (_keywordIds.TryGetValue(slug, out var id)) return id;
        if (!_allKeywordsKnown && (_findKeyword ??= Prepare("SELECT id FROM keywords WHERE slug = ?1;")).Bind(1, slug).RunScalar() is { } found)
            return _keywordIds[slug] = found;
        var insert = _newKeyword ??= Prepare("INSERT INTO keywords (slug, name) VALUES (?1, ?2);");
        insert.Bind(1, slug).Bind(2, name).Run();
        return _keywordIds[slug] = insert.LastInsertRowId;
    }

    private RawStatement Prepare(string sql) => new(Connection, sql);

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, null));
        return command;
    }

    private const string ResetBulkPragmasSql = "PRAGMA cache_size = -2000; PRAGMA synchronous = FULL; PRAGMA temp_store = DEFAULT;";

    public async ValueTask DisposeAsync()
    {
        foreach (var s in (RawStatement?[])[_insert, _update, _move, _slugTaken, _endOf, _findKeyword, _newKeyword, _addKeyword, _clearKeywords, _clearMedia, _clearLinks, _addLink]) s?.Dispose();
        _addMedia?.Dispose();
        _indexDocument?.Dispose();
        _markVector?.Dispose();
        await Transaction.DisposeAsync(); // rolls back what was not committed
        try
        {
            // The connection goes back to the pool: without this, an import's 64 MB page cache would stay with it for good.
            if (_bulk) await Connection.ExecuteAsync(ResetBulkPragmasSql);
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
