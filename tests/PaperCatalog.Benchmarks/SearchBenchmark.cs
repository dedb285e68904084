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
            var rare = vocabulary.Skip(20_000).Where(w => !IntroList.IsDomain(w)).ToArray();
            var mix = new (string Kind, string[] Queries)[]
            {
                ("rare", rare[..5]),
                ("common", ["attention", "memory", "latency", "cache", "throughput"]),
                ("prefix", ["quant", "spec", "atte", "lat", "deco"]),
                ("multi-word", ["kv cache compression", "speculative decoding draft", "attention memory bandwidth", "\"tensor parallel\"", "batch scheduling latency"]),
                ("typo", ["atention", "speculatve", "quantizaton"]),
            };
            var stream = new QueryStream(rare);

            // The site's way: one SearchQueries for every search, so what it keeps between searches (a word's match
            // set) is kept here too. Every search of the stream is one it has not answered before (a word again, but
            // never the same query and page), so its answer cache serves none of them.
            var shared = new SearchQueries(db, cache, topicQueries);
            async Task<double> TimeOne(SearchQueries search, string q, int page)
            {
                var sw = Stopwatch.StartNew();
                var results = await search.SearchAsync(new SearchRequest { Q = q, Page = page }, CancellationToken.None);
                if (results.Hits.Count == 0 && results.Total > (page - 1) * SearchRequest.DefaultPageSize)
                    throw new InvalidOperationException($"no hits on page {page} of {q}");
                return sw.Elapsed.TotalMilliseconds;
            }
            async Task<Dictionary<string, List<double>>> Round()
            {
                var times = QueryStream.Kinds.ToDictionary(k => k, _ => new List<double>());
                for (var i = 0; i < 30; i++)
                    foreach (var kind in QueryStream.Kinds)
                    {
                        var (q, page) = stream.Next(kind);
                        times[kind].Add(await TimeOne(shared, q, page));
                    }
                return times;
            }
            // 16 clients at once, each taking the stream's next search when it has its answer.
            async Task<List<double>> ConcurrentRound()
            {
                var work = new System.Collections.Concurrent.ConcurrentQueue<(string, int)>(
                    Enumerable.Range(0, 20 * Clients).Select(i => stream.Next(QueryStream.Kinds[i % QueryStream.Kinds.Length])));
                var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
                {
                    var times = new List<double>();
                    while (work.TryDequeue(out var next)) times.Add(await TimeOne(shared, next.Item1, next.Item2));
                    return times;
                })).ToArray();
                return (await Task.WhenAll(clients)).SelectMany(t => t).ToList();
            }
            // The first search of a word since the last write: a fresh SearchQueries for each, which knows no word.
            async Task<Dictionary<string, List<double>>> ColdRound()
            {
                var times = new Dictionary<string, List<double>>();
                foreach (var (kind, queries) in mix)
                {
                    times[kind] = [];
                    foreach (var q in queries) times[kind].Add(await TimeOne(new SearchQueries(db, cache, topicQueries), q, 1));
                }
                return times;
            }

            // Warm (JIT, page cache, the words of the stream) until two rounds agree within 5%, then three measured
            // rounds of each kind, interleaved; each figure is the median over the measured rounds.
            double previous = double.MaxValue;
            for (var w = 0; w < 8; w++)
            {
                var median = Percentile((await Round()).Values.SelectMany(t => t).ToList(), 0.5);
                Console.WriteLine($"warm-up round {w + 1}: p50 {median:F2} ms");
                if (Math.Abs(median - previous) <= 0.05 * previous) break;
                previous = median;
            }
            // CPU time of the process per search (every thread, the read-ahead and GC included): on a shared machine the
            // wall-clock figures mostly measure waiting for a core, this one the work.
            static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            var cpu = new List<double>();
            var cpuConcurrent = new List<double>();
            var rounds = new List<Dictionary<string, List<double>>>();
            var concurrent = new List<List<double>>();
            var cold = new List<Dictionary<string, List<double>>>();
            var keyRead = new List<double>();
            for (var r = 0; r < 3; r++)
            {
                var before = Cpu();
                rounds.Add(await Round());
                cpu.Add((Cpu() - before) / rounds[^1].Values.Sum(t => t.Count));
                before = Cpu();
                concurrent.Add(await ConcurrentRound());
                cpuConcurrent.Add((Cpu() - before) / concurrent[^1].Count);
                cold.Add(await ColdRound());
                keyRead.Add(await KeyReadAsync(db, papers));
                Console.WriteLine($"measured round {r + 1} done; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            }
            double Median(IEnumerable<double> xs) => Percentile(xs.ToList(), 0.5);
            Console.WriteLine("one client, a stream of searches not answered before (words seen before):");
            foreach (var kind in QueryStream.Kinds)
                Console.WriteLine($"  {kind,-10} p50 {Median(rounds.Select(r => Percentile(r[kind], 0.50))),7:F2} ms  p99 {Median(rounds.Select(r => Percentile(r[kind], 0.99))),7:F2} ms  ({rounds[0][kind].Count} searches a round)");
            var p50 = Median(rounds.Select(r => Percentile(r.Values.SelectMany(t => t).ToList(), 0.50)));
            var p99 = Median(rounds.Select(r => Percentile(r.Values.SelectMany(t => t).ToList(), 0.99)));
            Console.WriteLine($"  all        p50 {p50,7:F2} ms  p99 {p99,7:F2} ms");
            Console.WriteLine($"  CPU time per search (the process's, over each round): {Median(cpu):F2} ms");
            Console.WriteLine($"{Clients} clients, the same stream: p50 {Median(concurrent.Select(c => Percentile(c, 0.50))),7:F2} ms  p99 {Median(concurrent.Select(c => Percentile(c, 0.99))),7:F2} ms  ({concurrent[0].Count} searches a round); CPU time per search {Median(cpuConcurrent):F2} ms");
            Console.WriteLine("one client, first search of its words (a fresh SearchQueries each):");
            foreach (var (kind, queries) in mix)
                Console.WriteLine($"  {kind,-10} p50 {Median(cold.Select(r => Percentile(r[kind], 0.50))),7:F2} ms  max {Median(cold.Select(r => r[kind].Max())),7:F2} ms  ({queries.Length} searches a round: {string.Join(", ", queries)})");
            var b50 = Median(keyRead);
            Console.WriteLine($"baseline (one-row primary-key read, same run) p50 {b50:F3} ms; ratio search p50 / baseline p50: {p50 / b50:F0}");
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

            if (pagesFile is not null)
            {
                // The fixed mix and the first 200 first pages of a new stream (its own seed, so both builds get them).
                var more = new QueryStream(rare);
                var firstPages = Enumerable.Range(0, 200).Select(i => more.Next(QueryStream.Kinds[i % QueryStream.Kinds.Length])).Where(s => s.Page == 1).Select(s => s.Query);
                await FirstPagesAsync(pagesFile, mix.SelectMany(m => m.Queries).Concat(firstPages).Distinct(), new SearchQueries(db, cache, topicQueries));
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static async Task<long> StoredPapersAsync(string dbPath)
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
        int sameTop10 = 0, samePage = 0, differing = 0;
        foreach (var (q, slugs) in mine)
        {
            var other = theirs[q];
            var top = other.Take(10).ToArray();
            overlap += top.Length == 0 ? 1 : (double)slugs.Take(10).Intersect(top).Count() / top.Length;
            if (slugs.Take(10).SequenceEqual(top)) sameTop10++;
            if (slugs.SequenceEqual(other)) samePage++;
            else if (differing++ < 5) Console.WriteLine($"  first page differs for {q}: {string.Join(' ', slugs.Take(5))} … against {string.Join(' ', other.Take(5))} …");
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

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}

/// <summary>
/// Searches as readers make them, by class, each one new (never the same query and page twice), from a fixed seed so
/// two builds measured on one store get the same searches. Common words are the intros' domain words; a prefix is
/// one typed to three to five letters; multi-word queries are two or three domain words, some as a quoted phrase;
/// a typo drops, doubles or swaps a letter of a domain word.
/// </summary>
internal sealed class QueryStream(string[] rare)
{
    public static readonly string[] Kinds = ["rare", "common", "prefix", "multi-word", "typo"];

    private readonly Random _random = new(11);
    private readonly Dictionary<string, int> _pages = new(StringComparer.Ordinal);

    public (string Query, int Page) Next(string kind)
    {
        var q = kind switch
        {
            "rare" => rare[_random.Next(rare.Length)],
            "common" => Domain(),
            "prefix" => Prefix(),
            "multi-word" => _random.Next(4) == 0 ? "\"" + Domain() + " " + Domain() + "\"" : string.Join(' ', Enumerable.Range(0, _random.Next(2, 4)).Select(_ => Domain())),
            _ => Typo(),
        };
        // A query seen before is asked for its next page, so no search repeats an earlier one.
        var page = _pages[q] = _pages.GetValueOrDefault(q) + 1;
        return (q, page);
    }

    private string Domain() => IntroList.DomainWords[_random.Next(IntroList.DomainWords.Count)];

    private string Prefix()
    {
        var word = Domain();
        return word[..Math.Min(word.Length, _random.Next(3, 6))];
    }

    private string Typo()
    {
        string word;
        do word = Domain(); while (word.Length < 6);
        var at = _random.Next(1, word.Length - 1);
        return _random.Next(3) switch
        {
            0 => word.Remove(at, 1),
            1 => word.Insert(at, word[at].ToString()),
            _ => word[..at] + word[at + 1] + word[at] + word[(at + 2)..],
        };
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

    public static IReadOnlyList<string> DomainWords => Domain;

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
