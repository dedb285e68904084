using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;

namespace PaperCatalog.Search;

/// <summary>One paper's text as the search index reads it (see <see cref="SearchText"/>).</summary>
public sealed record SearchDocument(string Title, string Keywords, string Aliases, string Venue, string Affiliation, string Authors, string Intro);

/// <summary>
/// Keeps the full-text index in step with the papers. <see cref="Papers.PaperWriter"/>, the one writer of papers,
/// calls <see cref="Write"/> in its own transaction, so a paper and its index entry commit together; deleting a
/// paper removes its entry through the foreign key.
/// </summary>
public sealed class SearchIndex(MarkdownRenderer markdown)
{
    internal const string UpsertSql = """
        INSERT INTO search_documents (paper_id, title, keywords, aliases, venue, affiliation, intro)
        VALUES ($id, $title, $keywords, $aliases, $venue, $affiliation, $intro)
        ON CONFLICT (paper_id) DO UPDATE SET
            title = excluded.title, keywords = excluded.keywords, aliases = excluded.aliases,
            venue = excluded.venue, affiliation = excluded.affiliation, intro = excluded.intro;
        """;

    /// <summary>The document for a paper's fields; the intro is read as plain text.</summary>
    public SearchDocument Document(string title, IReadOnlyList<string> keywords, string? venue, string? affiliation, IReadOnlyList<string> authors, string? introMarkdown) =>
        new(
            SearchText.ForIndex(title),
            SearchText.ForIndex(string.Join(", ", keywords)),
            SearchText.Aliases(keywords.Prepend(title)),
            SearchText.ForIndex(venue),
            SearchText.ForIndex(affiliation),
            SearchText.ForIndex(string.Join("; ", authors)),
            string.IsNullOrEmpty(introMarkdown) ? "" : SearchText.ForIndex(markdown.ToPlainText(WithoutTitle(introMarkdown))));

    /// <summary>An intro without its opening "# Title" line, which repeats the title (and would fill every snippet).</summary>
    private static string WithoutTitle(string markdown)
    {
        var text = markdown.TrimStart();
        if (!text.StartsWith("# ", StringComparison.Ordinal)) return markdown;
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? "" : text[(end + 1)..];
    }

    /// <summary>A prepared upsert for writers that index many papers in one transaction.</summary>
    public static SqliteCommand PrepareWrite(SqliteConnection connection, SqliteTransaction tx)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = UpsertSql;
        foreach (var name in (string[])["$id", "$title", "$keywords", "$aliases", "$venue", "$affiliation", "$intro"])
            command.Parameters.Add(new SqliteParameter(name, null));
        return command;
    }

    /// <summary>Writes <paramref name="document"/> for <paramref name="paperId"/> through a command from <see cref="PrepareWrite"/>.</summary>
    public static void Write(SqliteCommand prepared, long paperId, SearchDocument document)
    {
        var p = prepared.Parameters;
        p["$id"].Value = paperId;
        p["$title"].Value = document.Title;
        p["$keywords"].Value = document.Keywords;
        p["$aliases"].Value = document.Aliases;
        p["$venue"].Value = document.Venue;
        p["$affiliation"].Value = IndexedAffiliation(document);
        p["$intro"].Value = document.Intro;
        prepared.ExecuteNonQuery();
    }

    /// <summary>
    /// Writes <paramref name="documents"/> in one statement. FTS5 writes out the terms it holds in memory as a new segment
    /// whenever a later statement of the transaction opens its statement savepoint (every write with a trigger does, since
    /// migration 0027 every table has one): written one per statement between a paper's other rows, each document became a
    /// segment of its own, and merging those made each changed paper of a re-import cost 4.5 ms. One statement for many
    /// documents gives one segment for them all.
    /// </summary>
    public static void WriteMany(SqliteConnection connection, SqliteTransaction tx, IReadOnlyCollection<(long PaperId, SearchDocument Document)> documents)
    {
        const string sql = """
            INSERT INTO search_documents (paper_id, title, keywords, aliases, venue, affiliation, intro)
            SELECT d.value ->> 0, d.value ->> 1, d.value ->> 2, d.value ->> 3, d.value ->> 4, d.value ->> 5, d.value ->> 6
            FROM json_each($documents) AS d WHERE true
            ON CONFLICT (paper_id) DO UPDATE SET
                title = excluded.title, keywords = excluded.keywords, aliases = excluded.aliases,
                venue = excluded.venue, affiliation = excluded.affiliation, intro = excluded.intro;
            """;
        if (documents.Count == 0) return;
        var rows = documents.Select(d => new object[] { d.PaperId, d.Document.Title, d.Document.Keywords, d.Document.Aliases, d.Document.Venue, IndexedAffiliation(d.Document), d.Document.Intro });
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$documents", System.Text.Json.JsonSerializer.Serialize(rows));
        command.ExecuteNonQuery();
    }

    // Authors share the affiliation's column (who wrote it): the index's columns are schema, and a person is found the same
    // way as an institution. A name typed whole ranks first (see SearchQueries.RankedIdsAsync).
    private static string IndexedAffiliation(SearchDocument document) =>
        document.Authors.Length == 0 ? document.Affiliation : document.Authors + " ; " + document.Affiliation;

    /// <summary>
    /// Bump when the text the index reads changes (<see cref="SearchText"/> or <see cref="Document"/>): stores
    /// indexed by another version are re-indexed on their next start or import.
    /// </summary>
    public const int Version = 5; // 5: astral ideographs kept whole (SearchText.ForIndex)

    /// <summary>
    /// Indexes every paper that has no index entry yet (a store made before search existed, or indexed by another
    /// <see cref="Version"/>); returns how many.
    /// </summary>
    public async Task<int> FillMissingAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        const string versionSql = "SELECT value FROM catalog_info WHERE key = 'search_version';";
        const string setVersionSql = """
            INSERT INTO catalog_info (key, value) VALUES ('search_version', @version)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
            """;
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(versionSql, transaction: tx, cancellationToken: ct));
        var version = Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (stored != version)
        {
            // The triggers take each old entry out of the index as its document goes.
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM search_documents;", transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(setVersionSql, new { version }, tx, cancellationToken: ct));
        }
        return await FillAsync(connection, tx, "WHERE NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.paper_id = p.id)", null, ct);
    }

    /// <summary>Opens the store and indexes what is missing, in one transaction.</summary>
    public async Task<int> FillMissingAsync(CatalogDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var count = await FillMissingAsync(connection, tx, ct);
        await tx.CommitAsync(ct);
        return count;
    }

    private sealed record StoredPaper
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string? Keywords { get; init; }
        public string? Venue { get; init; }
        public string? Affiliation { get; init; }
        public string? Authors { get; init; }
        public string? IntroMarkdown { get; init; }
    }

    private async Task<int> FillAsync(SqliteConnection connection, SqliteTransaction tx, string where, object? args, CancellationToken ct)
    {
        // The filter is the constant clause above, never input.
        var sql = """
            SELECT p.id AS Id, p.title AS Title, p.venue AS Venue, p.affiliation AS Affiliation, p.authors AS Authors, p.intro_markdown AS IntroMarkdown,
                   (SELECT group_concat(name, char(30)) FROM (
                        SELECT k.name FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                        WHERE pk.paper_id = p.id ORDER BY pk.position)) AS Keywords
            FROM papers p
            """ + "\n" + where + ";";
        var papers = await connection.QueryAsync<StoredPaper>(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        using var write = PrepareWrite(connection, tx);
        var count = 0;
        foreach (var p in papers)
        {
            var keywords = string.IsNullOrEmpty(p.Keywords) ? [] : p.Keywords.Split('\u001e');
            var authors = string.IsNullOrEmpty(p.Authors) ? [] : p.Authors.Split('\n');
            Write(write, p.Id, Document(p.Title, keywords, p.Venue, p.Affiliation, authors, p.IntroMarkdown));
            count++;
        }
        return count;
    }

    /// <summary>
    /// Pauses the triggers that keep both indexes (<c>paper_search</c>, <c>paper_headings</c>) in step with
    /// <c>search_documents</c>, for the rest of the transaction; <see cref="Rebuild"/> must follow before the commit.
    /// Rolled back with the transaction (migration 0020).
    /// </summary>
    public static void Pause(SqliteConnection connection, SqliteTransaction tx) =>
        connection.Execute("INSERT OR IGNORE INTO search_index_paused (id) VALUES (1);", transaction: tx);

    /// <summary>
    /// Resumes the triggers and rebuilds both indexes from every document, in the open transaction. FTS5 gathers terms in
    /// memory and writes a segment each time they fill its hash (1 MB by default), then merges the segments: a rebuild
    /// with a 32 MB hash writes a tenth of the segments and took 0.6 of the time on 20,000 intros (the queries on the
    /// index it made were faster too). Set for the rebuild only, so the site's own writers stay at FTS5's 1 MB.
    /// </summary>
    public static void Rebuild(SqliteConnection connection, SqliteTransaction tx)
    {
        const string sql = """
            DELETE FROM search_index_paused;
            INSERT INTO paper_search (paper_search, rank) VALUES ('hashsize', 33554432);
            INSERT INTO paper_search (paper_search) VALUES ('rebuild');
            INSERT INTO paper_search (paper_search, rank) VALUES ('hashsize', 1048576);
            INSERT INTO paper_headings (paper_headings, rank) VALUES ('hashsize', 33554432);
            INSERT INTO paper_headings (paper_headings) VALUES ('rebuild');
            INSERT INTO paper_headings (paper_headings, rank) VALUES ('hashsize', 1048576);
            """;
        connection.Execute(sql, transaction: tx);
    }
}
