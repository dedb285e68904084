using System.Diagnostics;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Semantic;
using PaperCatalog.Topics;

/// <summary>
/// Semantic search at scale: the search benchmark's generated catalog (intros included) with a synthetic unit vector
/// per paper, then, in interleaved rounds in one run, hybrid search (<see cref="HybridSearch"/>: keyword window, query
/// vector from the cache, brute-force nearest over every vector, fusion) against keyword search alone
/// (<see cref="SearchQueries"/>), until two rounds' medians agree within 5%. Also the brute-force scan alone, the cost of
/// embedding changed papers (what an import of 1,000 changed papers adds in the background) and the process's RSS.
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- semantic [papers=100000] [topics=20] [keep-db-path]
/// A kept store (e.g. a copy of the search benchmark's) that already holds the catalog is used as it is: no list, no
/// import (an import of 100k papers takes a quarter of an hour on a loaded machine); its vectors are overwritten.
/// </summary>
internal static class SemanticBenchmark
{
    public static async Task<int> RunAsync(int papers, int topics, string? keep = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-semantic-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"load average at start: {Machine.LoadAverage()}");
            var db = new CatalogDatabase(keep ?? Path.Combine(folder, "catalog.db"));
            var cache = new CatalogCache(TimeProvider.System);
            if (keep is not null && await SearchBenchmark.StoredPapersAsync(keep) == papers)
            {
                Console.WriteLine($"store: {keep} already holds {papers:N0} papers; used as it is");
                await db.MigrateAsync(CancellationToken.None);
            }
            else
            {
                var (listPath, _) = IntroList.Write(folder, papers, topics);
                var (plan, result) = await new CatalogImporter(db, new MarkdownRenderer(), TimeProvider.System, cache).ImportAsync(listPath, null, CancellationToken.None);
                if (result is null) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));
            }
            var texts = await SampleTextsAsync(db, 160); // read before the fill: a kept store's vectors leave nothing pending
            await WriteSyntheticVectorsAsync(db);

            var rssBefore = Machine.Rss();
            var index = new SemanticIndex(db, new SemanticOptions(), NullLogger<SemanticIndex>.Instance);
            var sw = Stopwatch.StartNew();
            if (!index.LoadModel()) throw new InvalidOperationException("the model did not load");
            var modelLoad = sw.Elapsed.TotalSeconds;
            var rssModel = Machine.Rss();
            sw.Restart();
            await index.CatchUpAsync(CancellationToken.None);
            Console.WriteLine($"model load {modelLoad:F1} s (+{(rssModel - rssBefore) / 1048576.0:F0} MiB RSS); {index.Vectors.Count:N0} vectors loaded in {sw.Elapsed.TotalSeconds:F1} s (+{(Machine.Rss() - rssModel) / 1048576.0:F0} MiB RSS); RSS now {Machine.Rss() / 1048576.0:F0} MiB");

            // What 1,000 changed papers cost in the background: their texts embedded in the service's batches.
            sw.Restart();
            foreach (var batch in texts.Chunk(16)) index.Encoder!.Encode(batch.Select(t => t.Text).ToList());
            Console.WriteLine($"embedding changed papers: {sw.Elapsed.TotalMilliseconds / texts.Count:F1} ms each, {sw.Elapsed.TotalSeconds / texts.Count * 1000:F0} s per 1,000 changed papers (one thread)");

            var queries = new[] { "attention", "kv cache compression", "speculative decoding draft", "batch scheduling latency", "quant", "how to reduce memory bandwidth of decoding", "cheaper attention for long documents" };
            sw.Restart();
            foreach (var q in queries) index.QueryVector(q);
            Console.WriteLine($"query vector (encoded once, then cached): {sw.Elapsed.TotalMilliseconds / queries.Length:F1} ms each");

            var scan = new List<double>();
            var reRanked = new List<double>();
            var probe = index.QueryVector(queries[1])!;
            for (var i = 0; i < 50; i++)
            {
                sw.Restart();
                index.Vectors.Nearest(probe, index.ReRanked);
                scan.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await index.NearestAsync(probe, HybridSearch.Candidates, CancellationToken.None);
                reRanked.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"quantised brute-force scan over {index.Vectors.Count:N0} vectors ({index.Vectors.Bytes / 1048576.0:F0} MiB; floats would be {index.Vectors.Count * (long)index.Vectors.Dimensions * sizeof(float) / 1048576.0:F0} MiB): " +
                              $"p50 {SearchBenchmark.Percentile(scan, 0.5):F2} ms, p99 {SearchBenchmark.Percentile(scan, 0.99):F2} ms; with the re-rank of its best {index.ReRanked} by the stored floats: " +
                              $"p50 {SearchBenchmark.Percentile(reRanked, 0.5):F2} ms, p99 {SearchBenchmark.Percentile(reRanked, 0.99):F2} ms");
            await CompareWithFloatsAsync(db, index, queries);

            var topicQueries = new TopicQueries(db, cache);
            var rounds = new List<(double K50, double K99, double H50, double H99)>();
            for (var round = 1; round <= 12; round++)
            {
                var keyword = new List<double>();
                var hybrid = new List<double>();
                for (var r = 0; r < 5; r++)
                    foreach (var q in queries)
                    {
                        // Fresh SearchQueries each time, as in the search benchmark: its 5-second answer cache would serve the repeats.
                        sw.Restart();
                        await new SearchQueries(db, cache, topicQueries).SearchAsync(new SearchRequest { Q = q }, CancellationToken.None);
                        keyword.Add(sw.Elapsed.TotalMilliseconds);
                        sw.Restart();
                        await new HybridSearch(new SearchQueries(db, cache, topicQueries), index, db).SearchAsync(new SearchRequest { Q = q }, CancellationToken.None);
                        hybrid.Add(sw.Elapsed.TotalMilliseconds);
                    }
                rounds.Add((SearchBenchmark.Percentile(keyword, 0.5), SearchBenchmark.Percentile(keyword, 0.99), SearchBenchmark.Percentile(hybrid, 0.5), SearchBenchmark.Percentile(hybrid, 0.99)));
                var last = rounds[^1];
                Console.WriteLine($"round {round}: keyword p50 {last.K50:F1} ms p99 {last.K99:F1} ms; hybrid p50 {last.H50:F1} ms p99 {last.H99:F1} ms; ratio p50 {last.H50 / last.K50:F2}");
                if (rounds.Count >= 4 && Math.Abs(rounds[^1].H50 / rounds[^1].K50 - rounds[^2].H50 / rounds[^2].K50) <= 0.05 * rounds[^2].H50 / rounds[^2].K50) break;
            }
            var measured = rounds.Skip(1).ToList(); // the first round warms up
            double Median(Func<(double K50, double K99, double H50, double H99), double> f) => SearchBenchmark.Percentile(measured.Select(f).ToList(), 0.5);
            Console.WriteLine($"median of {measured.Count} rounds: keyword p50 {Median(r => r.K50):F1} ms p99 {Median(r => r.K99):F1} ms; hybrid p50 {Median(r => r.H50):F1} ms p99 {Median(r => r.H99):F1} ms; " +
                              $"hybrid / keyword p50 {Median(r => r.H50 / r.K50):F2}, p99 {Median(r => r.H99 / r.K99):F2}; RSS {Machine.Rss() / 1048576.0:F0} MiB; load average at end: {Machine.LoadAverage()}");
            index.Dispose();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The quantised scan with its re-rank against the exact float ranking over every stored float, for the queries' nearest
    /// <see cref="HybridSearch.Candidates"/>: random vectors are the hard case (their cosines crowd together near 0).
    /// </summary>
    private static async Task CompareWithFloatsAsync(CatalogDatabase db, SemanticIndex index, string[] queries)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var floats = (await connection.QueryAsync<(long Id, byte[] Blob)>("SELECT paper_id, vector FROM paper_vectors WHERE vector IS NOT NULL;"))
            .Select(r => (r.Id, Vector: MemoryMarshal.Cast<byte, float>(r.Blob).ToArray())).ToList();
        int same = 0, sameOrder = 0;
        foreach (var q in queries)
        {
            var vector = index.QueryVector(q)!;
            var exact = floats.Select(f => (f.Id, Score: System.Numerics.Tensors.TensorPrimitives.Dot(vector, f.Vector)))
                .OrderByDescending(f => f.Score).ThenBy(f => f.Id).Take(HybridSearch.Candidates).Select(f => f.Id).ToList();
            var got = (await index.NearestAsync(vector, HybridSearch.Candidates, CancellationToken.None)).Select(n => n.PaperId).ToList();
            same += exact.Intersect(got).Count();
            if (exact.SequenceEqual(got)) sameOrder++;
        }
        Console.WriteLine($"against the exact float ranking: {same} of {queries.Length * HybridSearch.Candidates} nearest papers the same, {sameOrder} of {queries.Length} lists in the same order");
    }

    /// <summary>
    /// A random unit vector per paper, stored as the site stores computed ones: under the hash of the paper's text and the
    /// site's model, so none is recomputed, and written whether or not the store already has a row for the paper (a store
    /// made before vectors, or by an import that did not queue them, has none). Throws when a paper is left without one.
    /// </summary>
    private static async Task WriteSyntheticVectorsAsync(CatalogDatabase db)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        var docs = await connection.QueryAsync<(long Id, string Title, string Keywords, string Intro)>(
            "SELECT paper_id, title, keywords, intro FROM search_documents;", transaction: tx);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO paper_vectors (paper_id, text_hash, vector) VALUES ($id, $hash, $vector)
            ON CONFLICT (paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector;
            """;
        var id = command.Parameters.Add(new SqliteParameter("$id", null));
        var hash = command.Parameters.Add(new SqliteParameter("$hash", null));
        var vector = command.Parameters.Add(new SqliteParameter("$vector", null));
        var random = new Random(11);
        var v = new float[TextEncoder.Dimensions];
        foreach (var doc in docs)
        {
            for (var i = 0; i < v.Length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
            System.Numerics.Tensors.TensorPrimitives.Divide(v, System.Numerics.Tensors.TensorPrimitives.Norm(v), v);
            id.Value = doc.Id;
            hash.Value = PaperVectors.Hash(PaperVectors.TextOf(doc.Title, doc.Keywords, doc.Intro));
            vector.Value = MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
            await command.ExecuteNonQueryAsync();
        }
        await connection.ExecuteAsync("INSERT INTO catalog_info (key, value) VALUES ('semantic_model', @model) ON CONFLICT (key) DO UPDATE SET value = excluded.value;", new { model = new SemanticOptions().Model }, tx);
        var missing = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.paper_id = p.id AND v.vector IS NOT NULL);", transaction: tx);
        if (missing > 0) throw new InvalidOperationException($"{missing:N0} papers have no vector after the synthetic fill (papers without a search document?)");
        await tx.CommitAsync();
    }

    /// <summary>The texts of the first <paramref name="count"/> papers, as the site embeds them.</summary>
    private static async Task<List<PendingText>> SampleTextsAsync(CatalogDatabase db, int count)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var docs = await connection.QueryAsync<(long Id, string Title, string Keywords, string Intro)>(
            "SELECT paper_id, title, keywords, intro FROM search_documents ORDER BY paper_id LIMIT @count;", new { count });
        return docs.Select(d =>
        {
            var text = PaperVectors.TextOf(d.Title, d.Keywords, d.Intro);
            return new PendingText(d.Id, text, PaperVectors.Hash(text), null);
        }).ToList();
    }
}
