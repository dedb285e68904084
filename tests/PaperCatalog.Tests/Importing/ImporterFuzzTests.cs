using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Exporting;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Testing;
using Xunit.Abstractions;

namespace PaperCatalog.Tests.Importing;

/// <summary>
/// Property: whatever a mutated list holds, reading and importing it never throws and never hangs, and it either
/// imports into a sound store (SQLite and FTS5 integrity checks pass, one paper per parsed row) or reports errors
/// at real lines of real files and leaves the store exactly as it was.
/// Cases: <c>PAPERCATALOG_FUZZ_CASES</c> (default 300); time limit per case: <c>PAPERCATALOG_FUZZ_TIMEOUT_SECONDS</c> (default 10).
/// </summary>
public sealed class ImporterFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly MarkdownRenderer _markdown = new();

    public void Dispose() => _temp.Dispose();

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln")) && File.Exists(Path.Combine(dir.FullName, "data", "README.md"))) return dir.FullName;
        }
        throw new InvalidOperationException("data/README.md not found above the test folder");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Every row of every table, as text: two equal dumps mean nothing changed.</summary>
    internal static async Task<string> DumpAsync(CatalogDatabase db)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        var parts = new List<string>();
        foreach (var table in new[] { "topics", "papers", "keywords", "paper_keywords", "paper_media", "catalog_info", "search_documents" })
        {
            // Table names come from the fixed list above, not from input.
            var rows = await c.QueryAsync("SELECT * FROM " + table + " ORDER BY 1, 2");
            parts.AddRange(rows.Select(r => table + ":" + string.Join("|", ((IDictionary<string, object?>)r).Select(kv => kv.Value is byte[] b ? Convert.ToHexString(b) : kv.Value?.ToString()))));
        }
        return string.Join("\n", parts);
    }

    /// <summary>SQLite's own check and the FTS5 index's check against its content table; throws when either fails.</summary>
    internal static async Task AssertSoundAsync(CatalogDatabase db)
    {
        await using var c = await db.OpenAsync(CancellationToken.None);
        Assert.Equal("ok", await c.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
        await c.ExecuteAsync("INSERT INTO paper_search(paper_search, rank) VALUES('integrity-check', 1);");
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The bundled list copied into a folder of its own, and the store it imports into (checkpointed into one file).</summary>
    private sealed record Baseline(string Folder, string DatabasePath, string Hash, string Dump);

    private async Task<Baseline> BaselineAsync()
    {
        var folder = _temp.File("list");
        CopyFolder(Path.Combine(RepositoryRoot(), "data"), folder);
        var baseline = new CatalogDatabase(_temp.File("baseline.db"));
        var (seedPlan, seeded) = await new CatalogImporter(baseline, _markdown, TimeProvider.System).ImportAsync(Path.Combine(folder, "README.md"), null, CancellationToken.None);
        Assert.NotNull(seeded);
        Assert.Empty(seedPlan.Diagnostics);
        var dump = await DumpAsync(baseline);
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(baseline.Path + "-wal"));
        return new Baseline(folder, baseline.Path, Sha256(baseline.Path), dump);
    }

    /// <summary>
    /// Imports <paramref name="listPath"/> into a fresh copy of the baseline store under a time limit: it either imports
    /// into a sound store or reports errors at real lines of real files and leaves the store exactly as it was.
    /// Returns true when it imported.
    /// </summary>
    private bool ImportsSoundlyOrChangesNothing(Baseline baseline, string listPath, TimeSpan timeout)
    {
        var dbPath = _temp.File("case.db");
        SqliteConnection.ClearAllPools();
        foreach (var stale in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" }) File.Delete(stale);
        File.Copy(baseline.DatabasePath, dbPath);
        var db = new CatalogDatabase(dbPath);
        var importer = new CatalogImporter(db, _markdown, TimeProvider.System);

        using var cts = new CancellationTokenSource(timeout);
        var run = Task.Run(() => importer.ImportAsync(listPath, null, cts.Token));
        var finished = Task.WhenAny(run, Task.Delay(timeout + TimeSpan.FromSeconds(5))).GetAwaiter().GetResult() == run;
        // The token is only cancelled when the time is up, so a cancelled import is a hang too.
        if (!finished || run.IsCanceled) Assert.Fail($"import did not finish within {timeout.TotalSeconds} s");
        if (run.Exception is { } failed) Assert.Fail("import threw " + failed.InnerException);
        var (plan, result) = run.Result;

        foreach (var d in plan.Diagnostics)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.File), $"diagnostic without a file: {d}");
            var file = Path.GetFullPath(d.File);
            Assert.True(File.Exists(file), $"diagnostic names a file that does not exist: {d}");
            // Lines as Markdown (and every editor) counts them: a lone CR ends a line too, as CRLF and LF do.
            var lineCount = File.ReadAllText(file).Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Length;
            Assert.True(d.Line >= 1 && d.Line <= lineCount, $"diagnostic line outside the file's {lineCount} lines: {d}");
        }

        if (plan.HasErrors)
        {
            Assert.Null(result);
            Assert.Equal(baseline.Hash, Sha256(dbPath));
            Assert.Equal(baseline.Dump, DumpAsync(db).GetAwaiter().GetResult());
            return false;
        }
        Assert.NotNull(result);
        AssertSoundAsync(db).GetAwaiter().GetResult();
        using var connection = db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        Assert.Equal(plan.List.Papers.Count(), connection.ExecuteScalar<int>("SELECT COUNT(*) FROM papers;"));
        Assert.Equal(plan.List.Papers.Count(), connection.ExecuteScalar<int>("SELECT COUNT(*) FROM search_documents;"));
        // The list round trip: an export right after the import gives the list back as it was read (byte for byte for
        // any UTF-8 list; bytes that are no UTF-8 were already read as U+FFFD by the import).
        var source = ListSource.Read(listPath);
        byte[] expected = [.. source.Bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>(), .. System.Text.Encoding.UTF8.GetBytes(source.Text)];
        var exported = new ListExport(db).ExportAsync(CancellationToken.None).GetAwaiter().GetResult()[0];
        Assert.Equal(Path.GetFileName(listPath), exported.Path);
        Assert.True(expected.AsSpan().SequenceEqual(exported.Bytes), "the export right after the import is not the list as imported");
        return true;
    }

    private static TimeSpan Timeout => TimeSpan.FromSeconds(FromEnvironment("PAPERCATALOG_FUZZ_TIMEOUT_SECONDS", 10));

    [Fact]
    public async Task MutatedLists_ImportSoundlyOrReportErrorsAndChangeNothing()
    {
        var baseline = await BaselineAsync();
        string[] seeds =
        [
            Lists.OneTopic(Lists.Mqa, Lists.Gqa, Lists.Alibi),
            await File.ReadAllTextAsync(Path.Combine(baseline.Folder, "README.md")),
            ListMutations.Generated(40, 3),
        ];

        var cases = FromEnvironment("PAPERCATALOG_FUZZ_CASES", 300);
        int imported = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        var listPath = Path.Combine(baseline.Folder, "fuzzed.md");

        // The property runs synchronously (FsCheck calls it once per case); each import runs on the thread pool
        // under a time limit, so a hang fails the case instead of the whole test run.
        void Property(FuzzCase c)
        {
            File.WriteAllBytes(listPath, ListMutations.Apply(seeds[c.Seed], c.Mutations));
            if (ImportsSoundlyOrChangesNothing(baseline, listPath, Timeout)) imported++;
            else rejected++;
        }

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Prop.ForAll(ListMutations.Cases(), Property));
        output.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {imported} imported, {rejected} rejected with errors");
        Assert.Equal(cases, imported + rejected);
    }

    /// <summary>
    /// The hostile Markdown shapes (tests/Shared/HostileMarkdown.cs) as an intro of the bundled list and as the list's
    /// description: each imports soundly or is an error at a real line that changes nothing, within the time limit.
    /// </summary>
    [Fact]
    public async Task HostileMarkdownShapes_AsIntrosAndDescription_ImportSoundlyOrReportErrorsAndChangeNothing()
    {
        var baseline = await BaselineAsync();
        var list = await File.ReadAllTextAsync(Path.Combine(baseline.Folder, "README.md"));
        var intro = Directory.GetFiles(baseline.Folder, "README.md", SearchOption.AllDirectories).Where(f => Path.GetDirectoryName(f) != baseline.Folder).Order(StringComparer.Ordinal).First();
        var original = await File.ReadAllTextAsync(intro);
        var listPath = Path.Combine(baseline.Folder, "hostile.md");
        var title = list.IndexOf('\n', StringComparison.Ordinal) + 1;
        var outcomes = new List<string>();
        foreach (var shape in HostileMarkdown.Reproductions.Concat(HostileMarkdown.All))
        {
            var clock = Stopwatch.StartNew();
            await File.WriteAllTextAsync(intro, shape.Markdown);
            await File.WriteAllTextAsync(listPath, list);
            var asIntro = ImportsSoundlyOrChangesNothing(baseline, listPath, Timeout);
            await File.WriteAllTextAsync(intro, original);
            await File.WriteAllTextAsync(listPath, list.Insert(title, "\n" + shape.Markdown + "\n\n"));
            var asDescription = ImportsSoundlyOrChangesNothing(baseline, listPath, Timeout);
            outcomes.Add($"{HostileMarkdown.Describe(shape)}: intro {(asIntro ? "imported" : "refused")}, description {(asDescription ? "imported" : "refused")} ({clock.Elapsed.TotalSeconds:F1} s for both imports)");
        }
        output.WriteLine(string.Join("\n", outcomes));
    }
}
