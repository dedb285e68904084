using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;

/// <summary>
/// Import benchmark: the generated list with an intro of 1–2 KB per paper (<see cref="IntroList"/>), imported through
/// the real importer in three ways: into an empty store, again with nothing changed, and again with 1% of the intros
/// changed. Each figure is a ratio to a baseline measured in the same round: the same number of rows written by a bare
/// prepared INSERT into a one-table SQLite file. A small warm-up import first (JIT), then rounds until two in a row agree
/// within 5% on the first import (at least 3, at most <c>maxRounds</c>); the median of the measured rounds is reported.
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- import [papers=100000] [topics=20] [maxRounds=5]
/// </summary>
internal static class ImportBenchmark
{
    private sealed record Round(double Baseline, double First, double Unchanged, double Changed, string Phases);

    public static async Task<int> RunAsync(int papers, int topics, int maxRounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-import-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var warm = Path.Combine(folder, "warm");
            Directory.CreateDirectory(warm);
            var (warmList, _) = IntroList.Write(warm, Math.Min(2_000, papers), topics);
            var (listPath, rawBytes) = IntroList.Write(folder, papers, topics);
            Console.WriteLine($"list: {papers:N0} papers in {topics} topics, each with an intro; raw text {rawBytes / 1048576.0:F1} MiB; {Environment.ProcessorCount} cores; load average {Machine.LoadAverage()}");
            // A file written in the 2 s before an import is not recorded (IntroLoader.Settled): every round starts after that.
            await Task.Delay(TimeSpan.FromSeconds(2.1));
            await MeasureAsync(warmList, Path.Combine(warm, "catalog.db"), Math.Min(2_000, papers), 0);

            var rounds = new List<Round>();
            for (var r = 1; r <= maxRounds; r++)
            {
                var round = await MeasureAsync(listPath, Path.Combine(folder, $"catalog{r}.db"), papers, r);
                rounds.Add(round);
                Console.WriteLine($"round {r}: baseline insert {papers / round.Baseline,9:N0} rows/s | first import {papers / round.First,9:N0} papers/s ({round.Baseline / round.First:F3}) " +
                                  $"| re-import unchanged {papers / round.Unchanged,9:N0} ({round.Baseline / round.Unchanged:F3}) | re-import 1% changed {papers / round.Changed,9:N0} ({round.Baseline / round.Changed:F3})");
                Console.WriteLine("         " + round.Phases);
                if (rounds.Count >= 3 && Math.Abs(rounds[^1].First / rounds[^2].First - 1) <= 0.05) break;
            }
            var measured = rounds.Count > 3 ? rounds.Skip(rounds.Count - 3).ToList() : rounds;
            double Median(Func<Round, double> f) => measured.Select(f).Order().ElementAt(measured.Count / 2);
            Console.WriteLine();
            Console.WriteLine($"median of {measured.Count} rounds ({papers:N0} papers with intros; ratio = papers/s over the bare-insert baseline's rows/s in the same round):");
            Console.WriteLine($"  baseline insert      {papers / Median(r => r.Baseline),9:N0} rows/s");
            Console.WriteLine($"  first import         {papers / Median(r => r.First),9:N0} papers/s  ratio {Median(r => r.Baseline / r.First):F3}  ({Median(r => r.First):F2} s)");
            Console.WriteLine($"  re-import unchanged  {papers / Median(r => r.Unchanged),9:N0} papers/s  ratio {Median(r => r.Baseline / r.Unchanged):F3}  ({Median(r => r.Unchanged):F2} s)");
            Console.WriteLine($"  re-import 1% changed {papers / Median(r => r.Changed),9:N0} papers/s  ratio {Median(r => r.Baseline / r.Changed):F3}  ({Median(r => r.Changed):F2} s)");
            Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB (the whole benchmark process); load average {Machine.LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One round: the baseline, then the three imports of one store, each timed from reading the list to the commit.</summary>
    private static async Task<Round> MeasureAsync(string listPath, string dbPath, int papers, int round)
    {
        var baseline = Baseline(dbPath + ".baseline", papers);
        var db = new CatalogDatabase(dbPath);
        await db.MigrateAsync(CancellationToken.None);
        var importer = new CatalogImporter(db, new MarkdownRenderer(), TimeProvider.System);

        var (first, firstTime, phases) = await TimeAsync(importer, listPath);
        if (first.Added != papers) throw new InvalidOperationException($"first import: {first}");
        var (unchanged, unchangedTime, unchangedPhases) = await TimeAsync(importer, listPath);
        if (unchanged.Unchanged != papers) throw new InvalidOperationException($"re-import: {unchanged}");

        // Every hundredth intro gets a sentence more (another one each round, so no round repeats the last one's text).
        var folder = Path.GetDirectoryName(listPath)!;
        var changedCount = 0;
        // Dated 10 s back, as files a curator edited a moment before the import: one written in the last 2 s is not recorded
        // (IntroLoader.Settled), so whether the next round's unchanged import is taken as unchanged would hang on the machine's speed.
        for (var i = 0; i < papers; i += 100, changedCount++)
        {
            var intro = Path.Combine(folder, $"intros/{i / 1000}/p{i}/README.md");
            File.AppendAllText(intro, $"\nRevised in round {round}.\n");
            File.SetLastWriteTimeUtc(intro, DateTime.UtcNow.AddSeconds(-10));
        }
        var (changed, changedTime, changedPhases) = await TimeAsync(importer, listPath);
        if (changed.Updated != changedCount) throw new InvalidOperationException($"1% changed: {changed}");
        SqliteConnection.ClearAllPools();
        return new Round(baseline, firstTime, unchangedTime, changedTime,
            $"first: {phases}\n         unchanged: {unchanged.Rendered} intros rendered, {unchangedPhases}\n         1% changed: {changed.Rendered} rendered, {changedPhases}");
    }

    private static async Task<(ImportResult Result, double Seconds, string Phases)> TimeAsync(CatalogImporter importer, string listPath)
    {
        // The process's processor time beside the wall time: on a busy machine it says what the import cost, not how long it waited.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var (plan, result) = await importer.ImportAsync(listPath, null, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (result is null) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));
        var phases = string.Join(", ", result.Phases.Select(p => $"{p.Name} {p.Time.TotalSeconds:F2}"));
        return (result, seconds, $"wall {seconds:F2} s, cpu {cpuSeconds:F2} s: read {plan.LoadTime.TotalSeconds:F2}, {phases} s");
    }

    /// <summary>The same number of rows by a bare prepared INSERT in one transaction: what SQLite alone costs here.</summary>
    private static double Baseline(string path, int rows)
    {
        var sw = Stopwatch.StartNew();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using (var pragma = c.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, title TEXT, pdf TEXT, published TEXT, citations INTEGER);";
                pragma.ExecuteNonQuery();
            }
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
        }
        var seconds = sw.Elapsed.TotalSeconds;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")) File.Delete(file);
        return seconds;
    }
}
