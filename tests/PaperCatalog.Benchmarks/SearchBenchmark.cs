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
/// (ranked page, facets, suggestions) for rare, common, prefix and multi-word queries, against a one-row primary-key
/// read measured in the same run; and the index's size against the raw text.
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- search [papers=100000] [topics=20]
/// </summary>
internal static class SearchBenchmark
{
    public static async Task<int> RunAsync(int papers, int topics, string? keep)
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-search-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var sw = Stopwatch.StartNew();
            var (listPath, rawBytes, vocabulary) = IntroList.Write(folder, papers, topics);
            Console.WriteLine($"list: {papers:N0} papers in {topics} topics with intros; raw text {rawBytes / 1048576.0:F1} MiB; written in {sw.Elapsed.TotalSeconds:F1} s");

            var dbPath = keep ?? Path.Combine(folder, "catalog.db");
            var db = new CatalogDatabase(dbPath);
            var cache = new CatalogCache(TimeProvider.System);
            var importer = new CatalogImporter(db, new MarkdownRenderer(), TimeProvider.System, cache);
            sw.Restart();
            var (plan, result) = await importer.ImportAsync(listPath, null, CancellationToken.None);
            if (result is null) throw new InvalidOperationException(string.Join("\n", plan.Diagnostics.Take(5)));
            Console.WriteLine($"import with search index: {sw.Elapsed.TotalSeconds:F1} s ({papers / sw.Elapsed.TotalSeconds:N0} papers/s)");

            // Sizes without dbstat (not compiled into the bundled SQLite): compact copies with the search tables dropped.
            {
                var full = Compact(dbPath, Path.Combine(folder, "size-full.db"), []);
                var withoutFts = Compact(dbPath, Path.Combine(folder, "size-nofts.db"), ["DROP TABLE paper_search;"]);
                var withoutSearch = Compact(dbPath, Path.Combine(folder, "size-nosearch.db"), ["DROP TABLE paper_search;", "DROP TABLE search_documents;"]);
                var ftsBytes = full - withoutFts;
                var allBytes = full - withoutSearch;
                Console.WriteLine($"index: FTS5 {ftsBytes / 1048576.0:F1} MiB ({(double)ftsBytes / rawBytes:F2}x raw text); " +
                                  $"with its content table search_documents {allBytes / 1048576.0:F1} MiB ({(double)allBytes / rawBytes:F2}x raw text); whole store {full / 1048576.0:F1} MiB");
            }

            var topicQueries = new TopicQueries(db, cache);
            var search = new SearchQueries(db, cache, topicQueries);
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
            // Warm up (JIT, page cache), then measure.
            foreach (var (_, queries) in mix) foreach (var q in queries) await search.SearchAsync(new SearchRequest { Q = q }, CancellationToken.None);
            var all = new List<double>();
            const int rounds = 20;
            foreach (var (kind, queries) in mix)
            {
                var times = new List<double>();
                long hits = 0;
                for (var r = 0; r < rounds; r++)
                    foreach (var q in queries)
                    {
                        sw.Restart();
                        // A fresh SearchQueries each time: its 5-second answer cache would otherwise serve the repeats, and this
                        // measures ranking, facets and snippets cold (the long-lived facet and vocabulary reads stay cached).
                        var cold = new SearchQueries(db, cache, topicQueries);
                        var results = await cold.SearchAsync(new SearchRequest { Q = q, Page = r % 3 + 1 }, CancellationToken.None);
                        times.Add(sw.Elapsed.TotalMilliseconds);
                        hits += results.Total;
                    }
                all.AddRange(times);
                Console.WriteLine($"{kind,-10} p50 {Percentile(times, 0.50),7:F2} ms  p99 {Percentile(times, 0.99),7:F2} ms  ({times.Count} searches, {hits / times.Count:N0} matches each on average)");
            }
            var baseline = new List<double>();
            var random = new Random(7);
            for (var i = 0; i < 500; i++)
            {
                sw.Restart();
                await using var c = await db.OpenAsync(CancellationToken.None);
                await c.ExecuteScalarAsync<string>("SELECT title FROM papers WHERE id = @id;", new { id = random.Next(1, papers) });
                baseline.Add(sw.Elapsed.TotalMilliseconds);
            }
            var p50 = Percentile(all, 0.50);
            var p99 = Percentile(all, 0.99);
            var b50 = Percentile(baseline, 0.50);
            Console.WriteLine($"all        p50 {p50,7:F2} ms  p99 {p99,7:F2} ms");
            Console.WriteLine($"baseline (one-row primary-key read, same run) p50 {b50:F3} ms; ratio search p50 / baseline p50: {p50 / b50:F0}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
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

    public static (string Path, long RawBytes, string[] Vocabulary) Write(string folder, int papers, int topics)
    {
        var list = GeneratedList.Build(papers, topics);
        // Give every row an intro link (the generated rows end their pdf cell with ")]"), and write the intro.
        var sb = new StringBuilder(list.Length + papers * 40);
        var random = new Random(42);
        // Domain words sit at ranks 40, 80, 120, …: common in the catalog, but not in every intro.
        var vocabulary = Enumerable.Range(0, 30_000).Select(i => i % 40 == 39 && i / 40 < Domain.Length ? Domain[i / 40] : Word(random)).ToArray();
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
        return (path, raw, vocabulary);
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
