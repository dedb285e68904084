using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Search;

namespace PaperCatalog.Semantic;

/// <summary>A paper whose vector is missing or out of date, with the text to embed and the hash it was stored under.</summary>
public sealed record PendingText(long PaperId, string Text, string Hash, string? StoredHash);

/// <summary>
/// The vectors in the store (table <c>paper_vectors</c>, migration 0016). <see cref="Papers.PaperWriter"/> calls
/// <see cref="Mark"/> for every paper it writes, in its transaction: the text's hash is stored and the vector cleared
/// when the hash changed. <see cref="SemanticIndex"/> computes what is missing outside any import's transaction.
/// </summary>
public static class PaperVectors
{
    internal const string MarkSql = """
        INSERT INTO paper_vectors (paper_id, text_hash, vector) VALUES ($id, $hash, NULL)
        ON CONFLICT (paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = NULL
        WHERE paper_vectors.text_hash <> excluded.text_hash;
        """;

    /// <summary>
    /// The text a paper is embedded from: its title, keywords and intro as the search index reads them (intro as plain
    /// text, math left out), without the index's separators.
    /// </summary>
    public static string TextOf(string indexedTitle, string indexedKeywords, string indexedIntro) =>
        SearchText.ToPlain(indexedTitle) + ". " + SearchText.ToPlain(indexedKeywords) + ". " + SearchText.ToPlain(indexedIntro);

    /// <summary>The hash stored with a vector: a different text is a different vector.</summary>
    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);

    /// <summary>A prepared <see cref="Mark"/> for a writer that writes many papers in one transaction.</summary>
    public static SqliteCommand PrepareMark(SqliteConnection connection, SqliteTransaction tx)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = MarkSql;
        command.Parameters.Add(new SqliteParameter("$id", null));
        command.Parameters.Add(new SqliteParameter("$hash", null));
        return command;
    }

    /// <summary>Records the text a paper's vector must be computed from; its vector is cleared when that text changed.</summary>
    public static void Mark(SqliteCommand prepared, long paperId, SearchDocument document)
    {
        prepared.Parameters["$id"].Value = paperId;
        prepared.Parameters["$hash"].Value = Hash(TextOf(document.Title, document.Keywords, document.Intro));
        prepared.ExecuteNonQuery();
    }

    private sealed record PendingRow
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string Keywords { get; init; } = "";
        public string Intro { get; init; } = "";
        public string? StoredHash { get; init; }
    }

    /// <summary>Up to <paramref name="limit"/> papers without a current vector (none stored, or cleared by a change).</summary>
    public static async Task<IReadOnlyList<PendingText>> PendingAsync(CatalogDatabase database, int limit, CancellationToken ct)
    {
        // Cleared vectors through the partial index, then papers from before migration 0016 (no row at all).
        const string sql = """
            SELECT d.paper_id AS Id, d.title AS Title, d.keywords AS Keywords, d.intro AS Intro, v.text_hash AS StoredHash
            FROM paper_vectors v INDEXED BY ix_paper_vectors_pending JOIN search_documents d ON d.paper_id = v.paper_id
            WHERE v.vector IS NULL
            LIMIT @limit;
            SELECT d.paper_id AS Id, d.title AS Title, d.keywords AS Keywords, d.intro AS Intro, NULL AS StoredHash
            FROM search_documents d
            WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.paper_id = d.paper_id)
            LIMIT @limit;
            """;
        await using var connection = await database.OpenAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { limit }, cancellationToken: ct));
        var rows = (await grid.ReadAsync<PendingRow>()).Concat(await grid.ReadAsync<PendingRow>()).Take(limit);
        return rows.Select(r =>
        {
            var text = TextOf(r.Title, r.Keywords, r.Intro);
            return new PendingText(r.Id, text, Hash(text), r.StoredHash);
        }).ToList();
    }

    /// <summary>
    /// Stores computed vectors in one short transaction. A paper changed since it was read (its stored hash moved on) is
    /// left for the next round, so a vector never lands on a text it was not computed from. Returns how many were stored.
    /// </summary>
    public static async Task<int> SaveAsync(CatalogDatabase database, IReadOnlyList<PendingText> texts, float[][] vectors, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO paper_vectors (paper_id, text_hash, vector)
            SELECT $id, $hash, $vector WHERE EXISTS (SELECT 1 FROM papers WHERE id = $id)
            ON CONFLICT (paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector
            WHERE paper_vectors.text_hash IS $seen;
            """;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        var id = command.Parameters.Add(new SqliteParameter("$id", null));
        var hash = command.Parameters.Add(new SqliteParameter("$hash", null));
        var vector = command.Parameters.Add(new SqliteParameter("$vector", null));
        var seen = command.Parameters.Add(new SqliteParameter("$seen", null));
        var saved = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            id.Value = texts[i].PaperId;
            hash.Value = texts[i].Hash;
            vector.Value = MemoryMarshal.AsBytes(vectors[i].AsSpan()).ToArray();
            seen.Value = (object?)texts[i].StoredHash ?? DBNull.Value;
            saved += await command.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>
    /// Clears every vector when they were computed by another model than <paramref name="model"/> (the model is recorded in
    /// catalog_info); returns true when it did.
    /// </summary>
    public static async Task<bool> ForgetOtherModelAsync(CatalogDatabase database, string model, CancellationToken ct)
    {
        const string readSql = "SELECT value FROM catalog_info WHERE key = 'semantic_model';";
        const string resetSql = """
            UPDATE paper_vectors SET vector = NULL WHERE vector IS NOT NULL;
            INSERT INTO catalog_info (key, value) VALUES ('semantic_model', @model)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
            """;
        await using var connection = await database.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(readSql, cancellationToken: ct)) == model) return false;
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(resetSql, new { model }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Every stored vector, quantised into one contiguous array (row i is paper <c>ids[i]</c>), read from one snapshot of
    /// the store; the floats stay in the store for <see cref="ReadAsync"/>.
    /// </summary>
    public static async Task<VectorIndex> LoadAsync(CatalogDatabase database, CancellationToken ct)
    {
        const string countSql = "SELECT count(*) FROM paper_vectors WHERE vector IS NOT NULL;";
        const string sql = "SELECT paper_id, vector FROM paper_vectors WHERE vector IS NOT NULL ORDER BY paper_id;";
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, transaction: tx, cancellationToken: ct));
        const int dim = TextEncoder.Dimensions;
        var ids = new long[count];
        var high = new byte[count * (dim / 2)];
        var low = new byte[count * (dim / 2)];
        var scales = new float[count];
        var n = 0;
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
        while (n < count && await reader.ReadAsync(ct))
        {
            var blob = (byte[])reader.GetValue(1);
            if (blob.Length != dim * sizeof(float)) continue; // not a vector of this size: skipped (another model's are cleared)
            ids[n] = reader.GetInt64(0);
            scales[n] = VectorIndex.Quantise(MemoryMarshal.Cast<byte, float>(blob), high.AsSpan(n * (dim / 2), dim / 2), low.AsSpan(n * (dim / 2), dim / 2));
            n++;
        }
        return n == count
            ? new VectorIndex(ids, high, low, scales, dim)
            : new VectorIndex(ids[..n], high[..(n * (dim / 2))], low[..(n * (dim / 2))], scales[..n], dim);
    }

    /// <summary>The stored float vectors of <paramref name="ids"/> (those that have one now), for re-ranking and related papers.</summary>
    public static async Task<Dictionary<long, float[]>> ReadAsync(CatalogDatabase database, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        const string sql = "SELECT paper_id AS Id, vector AS Blob FROM paper_vectors WHERE paper_id IN @ids AND vector IS NOT NULL;";
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, byte[] Blob)>(new CommandDefinition(sql, new { ids }, cancellationToken: ct));
        var vectors = new Dictionary<long, float[]>(ids.Count);
        foreach (var (id, blob) in rows)
            if (FromBlob(blob) is { } vector) vectors[id] = vector;
        return vectors;
    }

    /// <summary>
    /// The dot products of <paramref name="query"/> with the stored floats of <paramref name="ids"/>, in their order (NaN
    /// where a paper has no vector of this size now): one statement over the ids as one JSON array, where an IN list made
    /// a statement of 100 parameters to prepare for every scan, and no float[] copies of the blobs.
    /// </summary>
    public static async Task<float[]> SimilaritiesAsync(CatalogDatabase database, float[] query, IReadOnlyList<long> ids, CancellationToken ct)
    {
        const string sql = """
            SELECT j.key, v.vector
            FROM json_each($ids) AS j JOIN paper_vectors AS v ON v.paper_id = j.value
            WHERE v.vector IS NOT NULL;
            """;
        var similarities = new float[ids.Count];
        Array.Fill(similarities, float.NaN);
        if (ids.Count == 0) return similarities;
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', ids) + "]");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if ((byte[])reader.GetValue(1) is { Length: TextEncoder.Dimensions * sizeof(float) } blob)
                similarities[reader.GetInt32(0)] = System.Numerics.Tensors.TensorPrimitives.Dot(query, MemoryMarshal.Cast<byte, float>(blob));
        return similarities;
    }

    /// <summary>A stored vector as floats, or null when it is not a vector of this size.</summary>
    private static float[]? FromBlob(byte[] blob) =>
        blob.Length == TextEncoder.Dimensions * sizeof(float) ? MemoryMarshal.Cast<byte, float>(blob).ToArray() : null;
}
