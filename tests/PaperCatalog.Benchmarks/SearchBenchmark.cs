using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Topics;

/// <summary>
/// Search benchmark: the generated list with an intro of 1–2 KB per paper (words drawn from a Zipf-distributed
/// vocabulary, as real text is), imported through the real importer; then the latency of SearchQueries.SearchAsync
/// (ranked page, facets, snippets, suggestions) for rare, common, prefix, multi-word and typo queries, one client and
/// 16 at once, against a one-row primary-key read measured in the same run; and the index's size against the raw text.
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- search [papers=100000] [topics=20] [keep-db-path] [pages-file]
/// A kept store that already holds the catalog is searched as it is (no list written, no import). A pages file gets
/// every query's first page; when it exists already (written by another build on the same store), the first pages are
/// compared with it instead: how many of its top 10 are in this build's top 10, and how many first pages are the same.
/// </summary>
internal static class SearchBenchmark
{
    private const int Clients = 16;

    public static async Task<int> RunAsync(int papers, int topics, string? keep, string? pagesFile)
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-search-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var dbPath = keep ?? Path.Combine(folder, "catalog.db");
            var db = new CatalogDatabase(dbPath);
            var cache = new CatalogCache(TimeProvider.System);
            var vocabulary = IntroList.Vocabulary();
            if (await StoredPapersAsync(dbPath) == papers)
            {
                Console.WriteLine($"store: {dbPath} already holds {papers:N0} papers; searched as it is");
                await db.MigrateAsync(CancellationToken.None);
            }
            else
            {
                await BuildAsync(db, dbPath, cache, folder, papers, topics);
            }

            var topicQueries = new TopicQueries(db, cache);
            // Rare words sit deep in the Zipf tail (a few papers each); common ones are the domain words, in many
            // titles and intros; prefixes are what a reader has typed after three or four keystrokes.
            var rare = vocabulary.Skip(20_000).Where(w => !IntroList.IsDomain(w)).Take(5).ToArray();
            var mix = new (string Kind, string[] Queries)[]
            {
                ("rare", rare),
                ("common", ["attention", "memory", "latency", "cache", "throughput"]),
                ("prefix", ["quant", "spec", "atte", "lat", "deco"]),
                ("multi-word", ["kv cache compression", "speculative decoding draft", "attention memory bandwidth", "\"tensor parallel\"", "batch scheduling latency"]),
                ("typo", ["atention", "speculatve", "quantizaton"]),
            };
            // A fresh SearchQueries for every search: its answer cache would otherwise serve the repeats, and this
            // measures ranking, facets and snippets cold (the long-lived facet and vocabulary reads stay cached).
            async Task<double> TimeOne(string q, int page)
            {
                var sw = Stopwatch.StartNew();
                var results = await new SearchQueries(db, cache, topicQueries).SearchAsync(new SearchRequest { Q = q, Page = page }, CancellationToken.None);
                if (results.Hits.Count == 0 && results.Total > (page - 1) * SearchRequest.DefaultPageSize)
                    throw new InvalidOperationException($"no hits on page {page} of {q}");
                return sw.Elapsed.TotalMilliseconds;
            }
            // One round: every query of a class on pages 1 to 3, four times over.
            async Task<Dictionary<string, List<double>>> Round()
            {
                var times = mix.ToDictionary(m => m.Kind, _ => new List<double>());
                for (var repeat = 0; repeat < 4; repeat++)
                    foreach (var (kind, queries) in mix)
                        foreach (var q in queries)
                            for (var page = 1; page <= 3; page++)
                                times[kind].Add(await TimeOne(q, page));
                return times;
            }
            // The same searches from 16 clients at once, each in its own order.
            async Task<List<double>> ConcurrentRound()
            {
                var all = mix.SelectMany(m => m.Queries).SelectMany(q => Enumerable.Range(1, 3).Select(page => (q, page))).ToArray();
                var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
                {
                    var order = all.OrderBy(_ => Random.Shared.Next()).ToArray();
                    var times = new List<double>(order.Length);
                    foreach (var (q, page) in order) times.Add(await TimeOne(q, page));
                    return times;
                })).ToArray();
                return (await Task.WhenAll(clients)).SelectMany(t => t).ToList();
            }

            // Warm (JIT, page cache) until two rounds agree within 5%, then three measured rounds, one-client and
            // 16-client rounds interleaved; each figure is the median over the measured rounds.
            double previous = double.MaxValue;
            for (var w = 0; w < 10; w++)
            {
                var median = Percentile(Round().Result.Values.SelectMany(t => t).ToList(), 0.5);
                Console.WriteLine($"warm-up round {w + 1}: p50 {median:F2} ms");
                if (Math.Abs(median - previous) <= 0.05 * previous) break;
                previous = median;
            }
            var rounds = new List<Dictionary<string, List<double>>>();
            var concurrent = new List<List<double>>();
            var keyRead = new List<double>();
            for (var r = 0; r < 3; r++)
            {
                rounds.Add(await Round());
                concurrent.Add(await ConcurrentRound());
                keyRead.Add(await KeyReadAsync(db, papers));
            }
            double Median(IEnumerable<double> xs) => Percentile(xs.ToList(), 0.5);
            foreach (var (kind, queries) in mix)
                Console.WriteLine($"{kind,-10} p50 {Median(rounds.Select(r => Percentile(r[kind], 0.50))),7:F2} ms  p99 {Median(rounds.Select(r => Percentile(r[kind], 0.99))),7:F2} ms  ({rounds[0][kind].Count} searches a round)");
            var p50 = Median(rounds.Select(r => Percentile(r.Values.SelectMany(t => t).ToList(), 0.50)));
            var p99 = Median(rounds.Select(r => Percentile(r.Values.SelectMany(t => t).ToList(), 0.99)));
            Console.WriteLine($"all        p50 {p50,7:F2} ms  p99 {p99,7:F2} ms");
            Console.WriteLine($"{Clients} clients p50 {Median(concurrent.Select(c => Percentile(c, 0.50))),7:F2} ms  p99 {Median(concurrent.Select(c => Percentile(c, 0.99))),7:F2} ms  ({concurrent[0].Count} searches a round)");
            var b50 = Median(keyRead);
            Console.WriteLine($"baseline (one-row primary-key read, same run) p50 {b50:F3} ms; ratio search p50 / baseline p50: {p50 / b50:F0}");
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

            if (pagesFile is not null) await FirstPagesAsync(pagesFile, mix.SelectMany(m => m.Queries), new SearchQueries(db, cache, topicQueries));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<long> StoredPapersAsync(string dbPath)
    {
        if (!File.Exists(dbPath)) return 0;
        await using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        await c.OpenAsync();
        try { return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM papers;"); }
        catch (SqliteException) { return 0; }
    }

    private static async Task BuildAsync(CatalogDatabase db, string dbPath, CatalogCache cache, string folder, int papers, int topics)
    {
        var sw = Stopwatch.StartNew();
        var (listPath, rawBytes) = IntroList.Write(folder, papers, topics);
        Console.WriteLine($"list: {papers:N0} papers in {topics} topics with intros; raw text {rawBytes / 1048576.0:F1} MiB; written in {sw.Elapsed.TotalSeconds:F1} s");
        var importer = new CatalogImporter(db, new MarkdownRenderer(), TimeProvider.System, cache);
        sw.Restart();
        var (plan, result) = await importer.ImportAsync(listPath, null, CancellationToken.None);
        if (result is null) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));
        Console.WriteLine($"import with search index: {sw.Elapsed.TotalSeconds:F1} s ({papers / sw.Elapsed.TotalSeconds:N0} papers/s)");

        // Sizes without dbstat (not compiled into the bundled SQLite): compact copies with the search tables dropped.
        var full = Compact(dbPath, Path.Combine(folder, "size-full.db"), []);
        var withoutFts = Compact(dbPath, Path.Combine(folder, "size-nofts.db"), ["DROP TABLE paper_search;"]);
        var withoutSearch = Compact(dbPath, Path.Combine(folder, "size-nosearch.db"), ["DROP TABLE paper_search;", "DROP TABLE search_documents;"]);
        var ftsBytes = full - withoutFts;
        var allBytes = full - withoutSearch;
        Console.WriteLine($"index: FTS5 {ftsBytes / 1048576.0:F1} MiB ({(double)ftsBytes / rawBytes:F2}x raw text); " +
                          $"with its content table search_documents {allBytes / 1048576.0:F1} MiB ({(double)allBytes / rawBytes:F2}x raw text); whole store {full / 1048576.0:F1} MiB");
    }

    private static async Task<double> KeyReadAsync(CatalogDatabase db, int papers)
    {
        var times = new List<double>();
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var sw = Stopwatch.StartNew();
            await using var c = await db.OpenAsync(CancellationToken.None);
            await c.ExecuteScalarAsync<string>("SELECT title FROM papers WHERE id = @id;", new { id = random.Next(1, papers) });
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return Percentile(times, 0.5);
    }

    /// <summary>Writes each query's first page (slugs in order), or compares them with the pages another build wrote.</summary>
    private static async Task FirstPagesAsync(string path, IEnumerable<string> queries, SearchQueries search)
    {
        var mine = new List<(string Query, string[] Slugs)>();
        foreach (var q in queries)
            mine.Add((q, (await search.SearchAsync(new SearchRequest { Q = q }, CancellationToken.None)).Hits.Select(h => h.Slug).ToArray()));
        if (!File.Exists(path))
        {
            await File.WriteAllLinesAsync(path, mine.Select(m => m.Query + "\t" + string.Join(' ', m.Slugs)));
            Console.WriteLine($"first pages of {mine.Count} queries written to {path}");
            return;
        }
        var theirs = (await File.ReadAllLinesAsync(path)).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        double overlap = 0;
        int sameTop10 = 0, samePage = 0;
        foreach (var (q, slugs) in mine)
        {
            var other = theirs[q];
            var top = other.Take(10).ToArray();
            overlap += top.Length == 0 ? 1 : (double)slugs.Take(10).Intersect(top).Count() / top.Length;
            if (slugs.Take(10).SequenceEqual(top)) sameTop10++;
            if (slugs.SequenceEqual(other)) samePage++;
            else Console.WriteLine($"  first page differs for {q}: {string.Join(' ', slugs.Take(5))} … against {string.Join(' ', other.Take(5))} …");
        }
        Console.WriteLine($"first pages against {path}: overlap@10 {overlap / mine.Count:P1}; same top 10 {sameTop10}/{mine.Count}; same first page (20) {samePage}/{mine.Count}");
    }

    private static long Compact(string source, string target, string[] drops)
    {
        using (var c = new SqliteConnection($"Data Source={source}"))
        {
            c.Open();
            c.Execute("VACUUM INTO @target;", new { target });
        }
        using (var c = new SqliteConnection($"Data Source={target}"))
        {
            c.Open();
            foreach (var drop in drops) c.Execute(drop);
            c.Execute("VACUUM;");
        }
        SqliteConnection.ClearAllPools();
        return new FileInfo(target).Length;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}

/// <summary>The generated list with an intro file per paper.</summary>
internal static class IntroList
{
    private static readonly string[] Domain =
    [
        "attention", "inference", "memory", "latency", "cache", "kv", "quantization", "speculative", "decoding", "draft",
        "batch", "scheduling", "throughput", "tensor", "parallel", "pipeline", "kernel", "gpu", "bandwidth", "compression",
        "token", "prefill", "sparse", "mixture", "experts", "routing", "weights", "activation", "outliers", "precision",
        "serving", "paged", "block", "window", "context", "length", "rotary", "position", "embedding", "transformer",
        "model", "layer", "head", "query", "key", "value", "softmax", "fused", "operator", "compiler",
    ];

    public static bool IsDomain(string word) => Array.IndexOf(Domain, word) >= 0;

    /// <summary>
    /// The intros' words, most used first. Domain words sit at ranks 40, 80, 120, …: common in the catalog, but not in
    /// every intro. The same every time (its own seed), so a kept store's rare words are known without writing the list.
    /// </summary>
    public static string[] Vocabulary() => Vocabulary(new Random(42));

    private static string[] Vocabulary(Random random) =>
        Enumerable.Range(0, 30_000).Select(i => i % 40 == 39 && i / 40 < Domain.Length ? Domain[i / 40] : Word(random)).ToArray();

    public static (string Path, long RawBytes) Write(string folder, int papers, int topics)
    {
        var list = GeneratedList.Build(papers, topics);
        // Give every row an intro link (the generated rows end their pdf cell with ")]"), and write the intro.
        var sb = new StringBuilder(list.Length + papers * 40);
        var random = new Random(42);
        var vocabulary = Vocabulary(random);
        // Zipf weights: the k-th word is drawn with probability proportional to 1/k.
        var cumulative = new double[vocabulary.Length];
        double sum = 0;
        for (var k = 0; k < vocabulary.Length; k++) cumulative[k] = sum += 1.0 / (k + 1);
        long raw = 0;
        var i = 0;
        foreach (var listLine in list.Split('\n'))
        {
            var line = listLine;
            if (line.StartsWith("| K", StringComparison.Ordinal))
            {
                // A title of domain and ordinary words (as real titles are), in place of "Generated Paper i: …".
                var titleStart = line.IndexOf("**", StringComparison.Ordinal) + 2;
                var titleEnd = line.IndexOf("**", titleStart, StringComparison.Ordinal);
                line = line[..titleStart] + Title(random, vocabulary, cumulative, sum) + line[titleEnd..];
                var at = line.IndexOf(")] |", StringComparison.Ordinal) + 2;
                var relative = $"intros/{i / 1000}/p{i}/README.md";
                sb.Append(line, 0, at).Append(" [[intro](").Append(relative).Append(")]").Append(line, at, line.Length - at).Append('\n');
                var intro = Intro(random, vocabulary, cumulative, sum, i);
                var full = Path.Combine(folder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, intro);
                raw += Encoding.UTF8.GetByteCount(intro) + Encoding.UTF8.GetByteCount(line);
                i++;
            }
            else
            {
                sb.Append(line).Append('\n');
            }
        }
        var path = Path.Combine(folder, "README.md");
        File.WriteAllText(path, sb.ToString());
        return (path, raw);
    }

    private static string Title(Random random, string[] vocabulary, double[] cumulative, double sum)
    {
        var words = new List<string>();
        var count = random.Next(5, 11);
        for (var w = 0; w < count; w++)
        {
            if (random.Next(2) == 0) words.Add(Domain[random.Next(Domain.Length)]);
            else
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
                words.Add(vocabulary[index < 0 ? ~index : index]);
            }
        }
        var title = string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var colon = random.Next(2, 4);
        return string.Join(' ', title.Split(' ').Take(colon)) + ": " + string.Join(' ', title.Split(' ').Skip(colon));
    }

    private static string Word(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var length = random.Next(4, 11);
        return string.Create(length, random, (span, r) => { for (var j = 0; j < span.Length; j++) span[j] = letters[r.Next(letters.Length)]; });
    }

    private static string Intro(Random random, string[] vocabulary, double[] cumulative, double sum, int i)
    {
        var target = random.Next(1024, 2048);
        var sb = new StringBuilder(target + 64);
        sb.Append(CultureInfo.InvariantCulture, $"# Generated Paper {i}\n\n");
        var sentence = 0;
        while (sb.Length < target)
        {
            var words = random.Next(8, 20);
            for (var w = 0; w < words; w++)
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
                var word = vocabulary[index < 0 ? ~index : index];
                sb.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == words - 1 ? ". " : " ");
            }
            if (++sentence % 4 == 0) sb.Append("\n\n");
        }
        sb.Append('\n');
        return sb.ToString();
    }
}
