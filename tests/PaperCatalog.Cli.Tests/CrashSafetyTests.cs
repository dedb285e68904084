using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog.Tests;
using Xunit.Abstractions;

namespace PaperCatalog.Cli.Tests;

/// <summary>
/// A curator's machine dies in the middle of an import: the real `catalog` process is killed (SIGKILL) at a random
/// moment while it rewrites a big store, again and again. After every kill the store passes SQLite's and FTS5's
/// integrity checks and holds exactly the old catalog or exactly the new one, never a mix.
/// Kills: <c>PAPERCATALOG_CRASH_RUNS</c> (default 3); list size: <c>PAPERCATALOG_CRASH_PAPERS</c> (default 20,000);
/// <c>PAPERCATALOG_CRASH_SEED</c> repeats a run's kill moments.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static Process StartImport(string list, string db)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "catalog.dll"), "import", list, "--db", db }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        // Drained so the tool never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs an import to the end; returns how long it took and the largest its write-ahead log grew.</summary>
    private static async Task<(TimeSpan Duration, long MaxWal)> ImportAsync(string list, string db)
    {
        var clock = Stopwatch.StartNew();
        using var process = StartImport(list, db);
        long maxWal = 0;
        while (!process.HasExited)
        {
            maxWal = Math.Max(maxWal, WalLength(db));
            await Task.Delay(1);
        }
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return (clock.Elapsed, maxWal);
    }

    private static long WalLength(string db)
    {
        var wal = new FileInfo(db + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    private static SqliteConnection Open(string db)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>SQLite's integrity check and the FTS5 index's check against its content table.</summary>
    private static void AssertSound(string db)
    {
        using var c = Open(db);
        using var integrity = c.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", integrity.ExecuteScalar() as string);
        using var fts = c.CreateCommand();
        fts.CommandText = "INSERT INTO paper_search(paper_search, rank) VALUES('integrity-check', 1);";
        fts.ExecuteNonQuery(); // throws SQLITE_CORRUPT_VTAB when the index and its documents disagree
    }

    /// <summary>
    /// A hash of what the catalog shows: topics, papers (without the import's timestamps), their keywords and their
    /// search documents. Two stores with the same hash show the same catalog.
    /// </summary>
    private static string CatalogHash(string db)
    {
        string[] queries =
        [
            "SELECT slug, name, position, citation_date, upcoming FROM topics ORDER BY slug",
            """
            SELECT p.id, p.slug, t.slug, p.position, p.title, p.title_key, p.venue, p.pdf_url, p.intro_url, p.arxiv_id,
                   p.affiliation, p.published, p.citations, p.intro_html, p.origin, p.content_hash
            FROM papers p JOIN topics t ON t.id = p.topic_id ORDER BY p.slug
            """,
            "SELECT slug, name FROM keywords ORDER BY slug",
            "SELECT p.slug, k.slug, pk.position FROM paper_keywords pk JOIN papers p ON p.id = pk.paper_id JOIN keywords k ON k.id = pk.keyword_id ORDER BY p.slug, k.slug",
            "SELECT p.slug, d.title, d.keywords, d.aliases, d.venue, d.affiliation, d.intro FROM search_documents d JOIN papers p ON p.id = d.paper_id ORDER BY p.slug",
            "SELECT key, value FROM catalog_info ORDER BY key",
        ];
        using var c = Open(db);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var sql in queries)
        {
            using var command = c.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    sha.AppendData(Encoding.UTF8.GetBytes(reader.IsDBNull(i) ? "\u0001null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!));
                    sha.AppendData("\u0000"u8);
                }
                sha.AppendData("\n"u8);
            }
            sha.AppendData("\u0002"u8);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static void Replace(string from, string to)
    {
        SqliteConnection.ClearAllPools();
        foreach (var stale in new[] { to, to + "-wal", to + "-shm", to + "-journal" }) File.Delete(stale);
        File.Copy(from, to);
    }

    [Fact]
    public async Task ImportKilledAtRandomMoments_LeavesASoundStoreWithExactlyTheOldOrTheNewCatalog()
    {
        var papers = FromEnvironment("PAPERCATALOG_CRASH_PAPERS", 20_000);
        var runs = FromEnvironment("PAPERCATALOG_CRASH_RUNS", 3);
        var seed = FromEnvironment("PAPERCATALOG_CRASH_SEED", Random.Shared.Next(1, int.MaxValue));
        var random = new Random(seed);
        var oldList = _temp.Write("old/README.md", GeneratedLists.Build(papers, 20, edition: 0));
        var newList = _temp.Write("new/README.md", GeneratedLists.Build(papers, 20, edition: 1));

        // The two catalogs a kill may leave: the old list imported, and the new list imported over it, each run to the end.
        var oldStore = _temp.File("old.db");
        await ImportAsync(oldList, oldStore);
        var newStore = _temp.File("new.db");
        Replace(oldStore, newStore);
        var (duration, maxWal) = await ImportAsync(newList, newStore);
        AssertSound(oldStore);
        AssertSound(newStore);
        var (oldHash, newHash) = (CatalogHash(oldStore), CatalogHash(newStore));
        Assert.NotEqual(oldHash, newHash);

        var store = _temp.File("store.db");
        Replace(oldStore, store);
        int endedOld = 0, endedNew = 0, finishedFirst = 0, killedInCommit = 0;
        var clock = Stopwatch.StartNew();
        for (var run = 1; run <= runs; run++)
        {
            // Odd runs: a moment anywhere in a whole import, start-up and commit included. Even runs: a moment inside
            // the commit, when the write-ahead log has grown to a random part of its full size (the short window
            // a uniform moment rarely hits, where a torn write would show).
            var inCommit = run % 2 == 0;
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds);
            var walTarget = (long)(random.NextDouble() * maxWal);
            string moment;
            using (var process = StartImport(newList, store))
            {
                var sinceStart = Stopwatch.StartNew();
                if (inCommit)
                {
                    while (!process.HasExited && WalLength(store) <= walTarget && sinceStart.Elapsed < 4 * duration) await Task.Delay(1);
                    // The log keeps growing between this look and the kill: the size is a lower bound.
                    moment = $"once the log passed {walTarget:N0} of {maxWal:N0} bytes (seen at {WalLength(store):N0}), after {sinceStart.Elapsed.TotalMilliseconds:F0} ms";
                    if (WalLength(store) > 0) killedInCommit++;
                }
                else
                {
                    await Task.Delay(delay);
                    moment = $"after {sinceStart.Elapsed.TotalMilliseconds:F0} ms";
                }
                if (process.HasExited)
                {
                    finishedFirst++;
                    Assert.Equal(0, process.ExitCode);
                }
                else process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no rollback, no checkpoint
                await process.WaitForExitAsync();
            }

            AssertSound(store);
            var hash = CatalogHash(store);
            Assert.True(hash == oldHash || hash == newHash, $"kill {run} {moment} (seed {seed}) left a catalog that is neither the old nor the new one");
            output.WriteLine($"kill {run} {moment}: {(hash == oldHash ? "old" : "new")} catalog");
            if (hash == oldHash) endedOld++;
            else
            {
                endedNew++;
                // Start the next kill from the old catalog again; a store left old keeps whatever the kill left behind.
                Replace(oldStore, store);
            }
        }
        output.WriteLine($"{papers:N0} papers, full import {duration.TotalSeconds:F2} s, seed {seed}: {runs} runs in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{endedOld} ended old, {endedNew} ended new ({finishedFirst} of them finished before the kill); {killedInCommit} kills while the log was being written");
        Assert.Equal(runs, endedOld + endedNew);
    }
}
