using System.Globalization;
using System.Text;

// Benchmarks, run in Release: dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- VERB ...
// import (ImportBenchmark), search (SearchBenchmark), generate, queue-store (QueueStore), markdown (MarkdownBenchmark).
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
        args.Length > 3 ? args[3] : null,
        args.Length > 4 ? args[4] : null);
}
if (args.Length >= 1 && args[0] == "semantic")
{
    // Hybrid against keyword search with 100,000 synthetic vectors, the cost of embedding, RSS (see SemanticBenchmark).
    return await SemanticBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20,
        args.Length > 3 ? args[3] : null);
}
if (args.Length >= 2 && args[0] == "nearest")
{
    // The nearest-neighbour step alone on a store with vectors: latency, collections, RSS, recall (see NearestBenchmark).
    return await NearestBenchmark.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null);
}
if (args.Length >= 1 && args[0] == "model-memory")
{
    // The embedding model's RSS under one session setting, one process each (see ModelMemoryBenchmark, model-memory.sh).
    return ModelMemoryBenchmark.Run(args.Length > 1 ? args[1] : "site");
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
    Console.Error.WriteLine("usage: PaperCatalog.Benchmarks import [papers=100000] [topics=20] [maxRounds=5]\n       PaperCatalog.Benchmarks search [papers=100000] [topics=20] [keep-db-path] [pages-file]\n       PaperCatalog.Benchmarks semantic [papers=100000] [topics=20] [keep-db-path]\n       PaperCatalog.Benchmarks nearest STORE [queries=200] [re-rank-window]\n       PaperCatalog.Benchmarks shape [papers=20000] [topics=20]\n       PaperCatalog.Benchmarks generate FILE [papers=100000] [topics=20]\n       PaperCatalog.Benchmarks queue-store FILE [pending=10000] [with-64KB-intros=100]\n       PaperCatalog.Benchmarks markdown [BenchmarkDotNet options, e.g. --job short]\n       PaperCatalog.Benchmarks model-memory [site|ort-defaults|opt-basic]");
    return 2;
}
// Import: first import, unchanged re-import and 1% changed, with intros, against a bare-INSERT baseline (see ImportBenchmark).
return await ImportBenchmark.RunAsync(
    args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
    args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20,
    args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);

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
