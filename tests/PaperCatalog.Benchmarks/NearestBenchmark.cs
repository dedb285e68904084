using System.Diagnostics;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PaperCatalog.Data;
using PaperCatalog.Semantic;

/// <summary>
/// The nearest-neighbour step alone, on a store that already holds a vector per paper (the semantic benchmark's kept store,
/// after one run): the quantised scan and the scan with its float re-rank (<see cref="SemanticIndex.NearestAsync"/>) for
/// a set of random unit queries, one client and 16 at once; the first (cold) call apart, then warm rounds until two
/// agree within 5% (median of the rounds after the first two); the collections the rounds caused; the RSS the loaded
/// vectors add; and how many of the exact float top 10 and top 30 (a scan over every stored float) each query gets back.
/// Only public surface, so another build's library (e.g. main's, with this file and Machine.cs copied into its benchmarks) runs the same measurement:
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- nearest STORE [queries=200] [re-rank window, the site's by default]
/// </summary>
internal static class NearestBenchmark
{
    public static async Task<int> RunAsync(string store, int queryCount, int? window)
    {
        Console.WriteLine($"load average at start: {Machine.LoadAverage()}");
        var db = new CatalogDatabase(store);
        var index = window is { } size
            ? new SemanticIndex(db, new SemanticOptions(), NullLogger<SemanticIndex>.Instance) { ReRanked = size }
            : new SemanticIndex(db, new SemanticOptions(), NullLogger<SemanticIndex>.Instance);
        if (!index.LoadModel()) throw new InvalidOperationException("the model did not load");
        GC.Collect();
        var rssModel = Machine.Rss();
        await index.CatchUpAsync(CancellationToken.None);
        GC.Collect();
        var rssVectors = Machine.Rss();
        Console.WriteLine($"{index.Vectors.Count:N0} vectors, re-rank window {index.ReRanked}, {index.Vectors.Bytes / 1048576.0:F1} MiB; the loaded vectors add {(rssVectors - rssModel) / 1048576.0:F1} MiB of RSS (RSS {rssVectors / 1048576.0:F0} MiB)");
        if (index.Vectors.Count == 0) throw new InvalidOperationException("the store has no vectors: run the semantic benchmark on it first");

        var random = new Random(5);
        var queries = new List<float[]>();
        for (var n = 0; n < queryCount; n++)
        {
            var v = new float[TextEncoder.Dimensions];
            for (var i = 0; i < v.Length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
            System.Numerics.Tensors.TensorPrimitives.Divide(v, System.Numerics.Tensors.TensorPrimitives.Norm(v), v);
            queries.Add(v);
        }

        var sw = Stopwatch.StartNew();
        index.Vectors.Nearest(queries[0], index.ReRanked);
        var coldScan = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        await index.NearestAsync(queries[0], HybridSearch.Candidates, CancellationToken.None);
        Console.WriteLine($"cold: first scan {coldScan:F1} ms, first scan with re-rank {sw.Elapsed.TotalMilliseconds:F1} ms");

        var rounds = new List<(double S50, double S99, double R50, double R99)>();
        for (var round = 1; round <= 12; round++)
        {
            var scan = new List<double>();
            var reRanked = new List<double>();
            var gc0 = GC.CollectionCount(0);
            var gc2 = GC.CollectionCount(2);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            foreach (var q in queries)
            {
                sw.Restart();
                index.Vectors.Nearest(q, index.ReRanked);
                scan.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await index.NearestAsync(q, HybridSearch.Candidates, CancellationToken.None);
                reRanked.Add(sw.Elapsed.TotalMilliseconds);
            }
            var perQuery = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)queries.Count;
            rounds.Add((SearchBenchmark.Percentile(scan, 0.5), SearchBenchmark.Percentile(scan, 0.99), SearchBenchmark.Percentile(reRanked, 0.5), SearchBenchmark.Percentile(reRanked, 0.99)));
            var r = rounds[^1];
            Console.WriteLine($"round {round}: scan p50 {r.S50:F2} p99 {r.S99:F2} ms; with re-rank p50 {r.R50:F2} p99 {r.R99:F2} ms; " +
                              $"{perQuery / 1024:F1} KiB allocated per query (scan and re-ranked scan; this thread), {GC.CollectionCount(0) - gc0} gen0 / {GC.CollectionCount(2) - gc2} gen2 collections; load {Machine.LoadAverage()}");
            if (rounds.Count >= 5 && Math.Abs(rounds[^1].R50 - rounds[^2].R50) <= 0.05 * rounds[^2].R50) break;
        }
        var measured = rounds.Skip(2).ToList(); // two rounds warm up (tiered compilation)
        double Median(Func<(double S50, double S99, double R50, double R99), double> f) => SearchBenchmark.Percentile(measured.Select(f).ToList(), 0.5);
        Console.WriteLine($"RESULT one client, median of {measured.Count} rounds of {queries.Count}: scan p50 {Median(r => r.S50):F2} p99 {Median(r => r.S99):F2} ms; " +
                          $"with re-rank p50 {Median(r => r.R50):F2} p99 {Median(r => r.R99):F2} ms");

        var concurrent = new List<(double P50, double P99)>();
        for (var round = 1; round <= 3; round++)
        {
            var times = new System.Collections.Concurrent.ConcurrentBag<double>();
            await Task.WhenAll(Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
            {
                var watch = new Stopwatch();
                for (var n = c; n < queries.Count; n += 16)
                {
                    watch.Restart();
                    await index.NearestAsync(queries[n], HybridSearch.Candidates, CancellationToken.None);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            })));
            concurrent.Add((SearchBenchmark.Percentile(times.ToList(), 0.5), SearchBenchmark.Percentile(times.ToList(), 0.99)));
            Console.WriteLine($"16 clients, round {round}: with re-rank p50 {concurrent[^1].P50:F2} p99 {concurrent[^1].P99:F2} ms ({times.Count} calls); load {Machine.LoadAverage()}");
        }
        Console.WriteLine($"RESULT 16 clients, median of the last 2 rounds: p50 {SearchBenchmark.Percentile(concurrent.Skip(1).Select(c => c.P50).ToList(), 0.5):F2} p99 {SearchBenchmark.Percentile(concurrent.Skip(1).Select(c => c.P99).ToList(), 0.5):F2} ms");

        await RecallAsync(db, index, queries);
        Console.WriteLine($"load average at end: {Machine.LoadAverage()}");
        index.Dispose();
        SqliteConnection.ClearAllPools();
        return 0;
    }

    /// <summary>How many of each query's exact float top 10 and top 30 (every stored float, ties by id) the index gives back.</summary>
    private static async Task RecallAsync(CatalogDatabase db, SemanticIndex index, List<float[]> queries)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var ids = new List<long>();
        var floats = new List<float>();
        foreach (var (id, blob) in await connection.QueryAsync<(long Id, byte[] Blob)>("SELECT paper_id, vector FROM paper_vectors WHERE vector IS NOT NULL ORDER BY paper_id;"))
        {
            if (blob.Length != TextEncoder.Dimensions * sizeof(float)) continue;
            ids.Add(id);
            floats.AddRange(MemoryMarshal.Cast<byte, float>(blob).ToArray());
        }
        var all = floats.ToArray();
        int ten = 0, thirty = 0, sameOrder = 0;
        foreach (var q in queries)
        {
            var scores = new (float Score, long Id)[ids.Count];
            for (var i = 0; i < ids.Count; i++) scores[i] = (System.Numerics.Tensors.TensorPrimitives.Dot(q, all.AsSpan(i * TextEncoder.Dimensions, TextEncoder.Dimensions)), ids[i]);
            var exact = scores.OrderByDescending(s => s.Score).ThenBy(s => s.Id).Take(HybridSearch.Candidates).Select(s => s.Id).ToList();
            var got = (await index.NearestAsync(q, HybridSearch.Candidates, CancellationToken.None)).Select(n => n.PaperId).ToList();
            ten += exact.Take(10).Intersect(got.Take(10)).Count();
            thirty += exact.Intersect(got).Count();
            if (exact.SequenceEqual(got)) sameOrder++;
        }
        Console.WriteLine($"RESULT recall of the exact float ranking over {queries.Count} random queries: top 10 {ten}/{queries.Count * 10}, top 30 {thirty}/{queries.Count * HybridSearch.Candidates}, {sameOrder} of {queries.Count} lists of 30 in the same order");
    }
}
