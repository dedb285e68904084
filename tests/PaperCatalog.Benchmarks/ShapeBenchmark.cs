using System.Diagnostics;
using System.Globalization;
using PaperCatalog.Data;
using PaperCatalog.Feeds;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Shape;

/// <summary>
/// The shape page's queries (ShapeQueries.GetAsync: papers per year and topic, most cited, affiliations) over the search
/// benchmark's catalog (an intro of 1–2 KB per paper, so rows are as long as real ones), against the site-wide feed's
/// query (FeedQueries.LatestAsync: the 50 newest papers with their intros) in the same run: interleaved rounds, warmed
/// until two rounds agree within 5 %, the median of the rounds.
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- shape [papers=20000] [topics=20]
/// </summary>
internal static class ShapeBenchmark
{
    public static async Task<int> RunAsync(int papers, int topics)
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-shape-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var (listPath, _) = IntroList.Write(folder, papers, topics);
            var db = new CatalogDatabase(Path.Combine(folder, "catalog.db"));
            var importer = new CatalogImporter(db, new MarkdownRenderer(), TimeProvider.System, new CatalogCache(TimeProvider.System));
            var (plan, result) = await importer.ImportAsync(listPath, null, CancellationToken.None);
            if (result is null) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));
            var shape = new ShapeQueries(db);
            var feeds = new FeedQueries(db);
            var sample = await shape.GetAsync(CancellationToken.None);
            Console.WriteLine($"{papers:N0} papers in {topics} topics: {sample.Years.Count} years, {sample.Affiliations.Count} affiliations shown; load average {File.ReadAllText("/proc/loadavg").Trim()}");

            const int perRound = 15;
            var rounds = new List<(double Shape, double Feed)>();
            for (var round = 1; round <= 12; round++)
            {
                var s = new List<double>();
                var f = new List<double>();
                for (var i = 0; i < perRound; i++)
                {
                    // Interleaved, so load that comes and goes falls on both alike.
                    var sw = Stopwatch.StartNew();
                    await shape.GetAsync(CancellationToken.None);
                    s.Add(sw.Elapsed.TotalMilliseconds);
                    sw.Restart();
                    await feeds.LatestAsync(null, null, CancellationToken.None);
                    f.Add(sw.Elapsed.TotalMilliseconds);
                }
                rounds.Add((Median(s), Median(f)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: shape {rounds[^1].Shape:F2} ms, feed {rounds[^1].Feed:F2} ms, ratio {rounds[^1].Shape / rounds[^1].Feed:F2}"));
                if (rounds.Count >= 4 && Math.Abs(rounds[^1].Shape - rounds[^2].Shape) <= 0.05 * rounds[^2].Shape) break;
            }
            // The first round is warm-up (JIT, page cache); the rest are measured.
            var measured = rounds.Skip(1).ToList();
            var shapeMs = Median(measured.Select(r => r.Shape).ToList());
            var feedMs = Median(measured.Select(r => r.Feed).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median of {measured.Count} rounds: shape {shapeMs:F2} ms, feed query {feedMs:F2} ms, ratio {shapeMs / feedMs:F2}; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
