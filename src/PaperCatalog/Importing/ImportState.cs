using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Search;

namespace PaperCatalog.Importing;

/// <summary>
/// What the last import read (table <c>import_state</c>, migration 0026), so that an import of a list whose bytes, intro
/// files and images are as that import found them, into a store nobody has written since, is known to change nothing
/// without parsing the list or touching a row: the same rule as <see cref="KnownIntro"/> (same size and time, same file),
/// taken for the whole list at once. Parsing the list and matching its rows was most of an unchanged re-import.
/// </summary>
internal static class ImportState
{
    /// <summary>Bump when the importer writes something else for the same list (what the renderer and the index do have their own versions).</summary>
    private const int Version = 1;

    /// <summary>The counts and warnings of the import that wrote the state, reported again by one that finds nothing changed.</summary>
    internal sealed record Summary(int Topics, int Papers, int Intros, int IntroFiles, int Images, IReadOnlyList<StoredWarning> Warnings);

    internal sealed record StoredWarning(string File, int Line, string Message);

    /// <summary>The stored row, as read: an import compares it again in its transaction before it reports nothing changed.</summary>
    internal sealed record Row(string ListHash, string Context, string Media, string Summary);

    /// <summary>A list found unchanged: the row it matched and what it says.</summary>
    internal sealed record Match(Row Row, Summary Summary);

    private const string RowSql = "SELECT list_hash AS ListHash, context AS Context, media AS Media, summary AS Summary FROM import_state WHERE id = 1;";

    /// <summary>What an import's output depends on besides the files it reads.</summary>
    private static string Context(string listPath) =>
        $"import {Version}; markdown {MarkdownRenderer.Version}; search {SearchIndex.Version}; schema {CatalogDatabase.LatestMigration}; "
        + $"list {Path.GetFullPath(listPath)}; cwd {Environment.CurrentDirectory}";

    internal static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>The stored row, or null (none: no import yet, or a write since the last one).</summary>
    internal static Task<Row?> ReadAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(RowSql, transaction: tx, cancellationToken: ct));

    /// <summary>
    /// The stored state when the list at <paramref name="listPath"/>, every intro file and every image are as the last
    /// import found them and neither papers nor topics were written since; otherwise null. Reads the list's bytes and the
    /// size and time of each file, on every core; parses nothing.
    /// </summary>
    internal static async Task<Match?> MatchAsync(SqliteConnection connection, string listPath, CancellationToken ct)
    {
        const string searchVersionSql = "SELECT value FROM catalog_info WHERE key = 'search_version';";
        const string filesSql = "SELECT path, size, modified FROM intro_files;";
        if (await ReadAsync(connection, null, ct) is not { } row || row.Context != Context(listPath)) return null;
        // The search index of another version is rebuilt by the next import (SearchIndex.FillMissingAsync).
        var searchVersion = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(searchVersionSql, cancellationToken: ct));
        if (searchVersion != SearchIndex.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)) return null;
        if (Hash(await File.ReadAllBytesAsync(listPath, ct)) != row.ListHash) return null;
        var summary = JsonSerializer.Deserialize<Summary>(row.Summary);
        if (summary is null) return null;

        var root = Path.GetDirectoryName(Path.GetFullPath(listPath))!;
        var files = (await connection.QueryAsync<(string Path, long Size, long Modified)>(new CommandDefinition(filesSql, cancellationToken: ct))).ToList();
        if (files.Count != summary.IntroFiles) return null;
        var media = JsonSerializer.Deserialize<List<FileProbe>>(row.Media) ?? [];
        var same = true;
        Parallel.For(0, files.Count + media.Count, new ParallelOptions { CancellationToken = ct }, (i, loop) =>
        {
            var probe = i < files.Count ? new FileProbe(Path.Combine(root, files[i].Path), files[i].Size, files[i].Modified) : media[i - files.Count];
            if (Unchanged(probe)) return;
            Volatile.Write(ref same, false);
            loop.Stop();
        });
        return same ? new Match(row, summary) : null;
    }

    private static bool Unchanged(FileProbe probe)
    {
        var info = new FileInfo(probe.FullPath);
        if (probe.Size < 0) return !info.Exists && !Directory.Exists(probe.FullPath);
        return info.Exists && info.Length == probe.Size && info.LastWriteTimeUtc.Ticks == probe.Modified;
    }

    /// <summary>
    /// Records what <paramref name="plan"/> read, in the import's transaction after its last write to papers and topics
    /// (each of which deletes the row, see migration 0026). Nothing is recorded when a file the import read was written too
    /// recently to be told apart by its size and time (see <see cref="IntroLoader.Settled"/>): the next import goes row by row.
    /// </summary>
    internal static void Write(SqliteConnection connection, SqliteTransaction tx, ImportPlan plan, ImportResult result)
    {
        const string upsertSql = """
            INSERT INTO import_state (id, list_hash, context, media, summary) VALUES (1, @ListHash, @Context, @Media, @Summary)
            ON CONFLICT (id) DO UPDATE SET list_hash = excluded.list_hash, context = excluded.context, media = excluded.media, summary = excluded.summary;
            """;
        var intros = plan.Intros.Values.DistinctBy(i => i.FullPath).ToList();
        var media = intros.SelectMany(i => i.MediaProbes).Distinct().ToList();
        if (intros.Any(i => i.File is null) || media.Any(m => m.Size >= 0 && !plan.Loader.Settled(m.Modified)))
        {
            connection.Execute("DELETE FROM import_state;", transaction: tx);
            return;
        }
        var summary = new Summary(result.Topics, plan.List.Papers.Count(), result.Intros, intros.Count, result.Images,
            plan.Diagnostics.Select(d => new StoredWarning(d.File, d.Line, d.Message)).ToList());
        connection.Execute(upsertSql, new
        {
            ListHash = plan.Source.Hash,
            Context = Context(plan.ListPath),
            Media = JsonSerializer.Serialize(media),
            Summary = JsonSerializer.Serialize(summary),
        }, tx);
    }
}
