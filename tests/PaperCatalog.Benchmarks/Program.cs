using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;

// Import benchmark: generates a list of N papers in T topics (no intros) and imports it, against a baseline
// measured in the same run: the same number of rows written by a bare prepared INSERT into a one-table SQLite
// file. Run in Release:
//   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- import [papers] [topics]
// The page benchmark (wrk against the site and nginx) is tests/PaperCatalog.Benchmarks/web-bench.sh.

if (args.Length >= 1 && args[0] == "markdown")
{
    // Markdown render budget (BenchmarkDotNet): the rest of the arguments go to BenchmarkDotNet (e.g. --job short).
    string[] options = args.Contains("--filter") ? args[1..] : [.. args[1..], "--filter", "*"];
    // Reports go beside this project (tests/PaperCatalog.Benchmarks/BenchmarkDotNet.Artifacts, ignored by git), not
    // into whatever folder the command was run from.
    if (!options.Contains("--artifacts"))
        options = [.. options, "--artifacts", Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts")];
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(MarkdownBenchmark)]).Run(options);
    return 0;
}
if (args.Length >= 1 && args[0] == "search")
{
    // Search latency and index size over a generated catalog with intros (see SearchBenchmark).
    return await SearchBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20,
        args.Length > 3 ? args[3] : null);
}
if (args.Length >= 1 && args[0] == "shape")
{
    // The shape page's queries against the feed's, over a generated catalog with intros (see ShapeBenchmark).
    return await ShapeBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20);
}
if (args.Length >= 2 && args[0] == "generate")
{
    // Writes the synthetic list to a file, to time the real `catalog import` process on it.
    var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
    var topicCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
    File.WriteAllText(args[1], GeneratedList.Build(count, topicCount));
    return 0;
}
if (args.Length >= 2 && args[0] == "queue-store")
{
    // A store with a long moderation queue, for queue-bench.sh (see QueueStore).
    return await QueueStore.BuildAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100);
}
if (args.Length == 0 || args[0] != "import")
{
    Console.Error.WriteLine("usage: PaperCatalog.Benchmarks import [papers=100000] [topics=20]\n       PaperCatalog.Benchmarks search [papers=100000] [topics=20] [keep-db-path]\n       PaperCatalog.Benchmarks shape [papers=20000] [topics=20]\n       PaperCatalog.Benchmarks generate FILE [papers=100000] [topics=20]\n       PaperCatalog.Benchmarks queue-store FILE [pending=10000] [with-64KB-intros=100]\n       PaperCatalog.Benchmarks markdown [BenchmarkDotNet options, e.g. --job short]");
    return 2;
}
var papers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var topics = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var folder = Path.Combine(Path.GetTempPath(), "papercatalog-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var listPath = Path.Combine(folder, "README.md");
    File.WriteAllText(listPath, GeneratedList.Build(papers, topics));
    Console.WriteLine($"list: {papers:N0} papers in {topics} topics, {new FileInfo(listPath).Length / 1024.0 / 1024.0:F1} MiB");

    var markdown = new MarkdownRenderer();
    var runs = new List<(double Baseline, double Parse, double Import, double Reimport)>();
    for (var run = 1; run <= 3; run++)
    {
        var baseline = Baseline(Path.Combine(folder, $"baseline{run}.db"), papers);
        var sw = Stopwatch.StartNew();
        var plan = ImportPlan.Load(listPath, markdown);
        var parse = sw.Elapsed.TotalSeconds;
        if (plan.HasErrors) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));

        var db = new CatalogDatabase(Path.Combine(folder, $"catalog{run}.db"));
        await db.MigrateAsync(CancellationToken.None);
        var importer = new CatalogImporter(db, markdown, TimeProvider.System);
        sw.Restart();
        var first = await importer.ApplyAsync(plan, null, CancellationToken.None);
        var import = parse + sw.Elapsed.TotalSeconds; // read and check the list, then write it: the whole import
        sw.Restart();
        var again = ImportPlan.Load(listPath, markdown);
        var second = await importer.ApplyAsync(again, null, CancellationToken.None);
        var reimport = sw.Elapsed.TotalSeconds;
        if (first.Added != papers || second.Unchanged != papers) throw new InvalidOperationException($"unexpected result {first} / {second}");
        runs.Add((baseline, parse, import, reimport));
        Console.WriteLine($"run {run}: baseline insert {papers / baseline,10:N0} rows/s | parse {papers / parse,10:N0} papers/s | import into empty store (parse + write) {papers / import,10:N0} papers/s | re-import (unchanged) {papers / reimport,10:N0} papers/s");
        SqliteConnection.ClearAllPools();
    }
    var median = runs.OrderBy(r => r.Import).ElementAt(runs.Count / 2);
    Console.WriteLine();
    Console.WriteLine($"median import: {papers / median.Import:N0} papers/s ({median.Import:F2} s for {papers:N0}); re-import {papers / median.Reimport:N0} papers/s");
    Console.WriteLine($"ratio import / bare-insert baseline (same run): {median.Baseline / median.Import:F2}");
    Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; allocated: {GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0:F0} MiB over all runs");
    return 0;
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

static double Baseline(string path, int rows)
{
    var sw = Stopwatch.StartNew();
    using var c = new SqliteConnection($"Data Source={path}");
    c.Open();
    using (var pragma = c.CreateCommand()) { pragma.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, title TEXT, pdf TEXT, published TEXT, citations INTEGER);"; pragma.ExecuteNonQuery(); }
    using var tx = c.BeginTransaction();
    using var insert = c.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = "INSERT INTO t (slug, title, pdf, published, citations) VALUES ($s, $t, $p, $d, $c);";
    var s = insert.Parameters.Add("$s", SqliteType.Text);
    var t = insert.Parameters.Add("$t", SqliteType.Text);
    var p = insert.Parameters.Add("$p", SqliteType.Text);
    var d = insert.Parameters.Add("$d", SqliteType.Text);
    var n = insert.Parameters.Add("$c", SqliteType.Integer);
    for (var i = 0; i < rows; i++)
    {
        s.Value = "generated-paper-" + i;
        t.Value = "Generated Paper " + i;
        p.Value = "https://arxiv.org/abs/2401." + i.ToString("D5", CultureInfo.InvariantCulture);
        d.Value = "2024.01";
        n.Value = i;
        insert.ExecuteNonQuery();
    }
    tx.Commit();
    return sw.Elapsed.TotalSeconds;
}

/// <summary>A synthetic list in the curator's format, with the irregularities real lists have.</summary>
internal static class GeneratedList
{
    public static string Build(int papers, int topics)
    {
        var sb = new StringBuilder(papers * 200);
        sb.Append("# Generated list\n\nA synthetic list for the import benchmark.\n\n");
        var perTopic = (papers + topics - 1) / topics;
        var i = 0;
        for (var t = 0; t < topics && i < papers; t++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## Topic {t + 1}\n\nLast update of citation was on {t % 28 + 1}th July, 2024.\n\n");
            sb.Append("|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
            for (var k = 0; k < perTopic && i < papers; k++, i++)
            {
                var month = i % 12 + 1;
                var venue = i % 3 == 0 ? " [ICLR 2024]" : "";
                var citations = i % 17 == 0 ? "" : (i % 5000).ToString(CultureInfo.InvariantCulture);
                sb.Append(CultureInfo.InvariantCulture,
                    $"| K{i % 500}, Shared{i % 37} | **Generated Paper {i}: Efficient Inference Trick Number {i}**{venue} | [[pdf](https://arxiv.org/abs/{20 + i / 10000 % 10}{month:D2}.{i % 100000:D5}v2)] | Lab {i % 100}, University {i % 7} | 20{18 + i % 7}.{month:D2} | {citations} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
