using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using PaperCatalog.Semantic;

/// <summary>
/// What the embedding model costs in memory: one process per setting (RSS does not shrink back, so settings cannot share
/// one), reporting RSS (anonymous and file-backed apart) before the model, with it loaded, after 200 searches' query
/// vectors, after embedding 160 intros in the catch-up's batches of 16, and after 200 more searches; and the query
/// encoding's median time. <c>site</c> is the site's own session options and load, <c>site-bytes</c> the same with the graph handed over as a byte[]; <c>ort-defaults</c> puts back ONNX Runtime's
/// (memory arena and memory patterns on); <c>opt-basic</c> is the site's with basic graph optimisations only.
///   dotnet PaperCatalog.Benchmarks.dll model-memory [site|ort-defaults|opt-basic]
/// tests/PaperCatalog.Benchmarks/model-memory.sh runs the settings interleaved, each three times.
/// </summary>
internal static class ModelMemoryBenchmark
{
    public static int Run(string setting)
    {
        Action<SessionOptions>? tune = setting switch
        {
            "site" or "site-bytes" => null,
            "ort-defaults" => o =>
            {
                o.EnableCpuMemArena = true;
                o.EnableMemoryPattern = true;
            },
            "opt-basic" => o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            _ => throw new ArgumentException("site, site-bytes, ort-defaults or opt-basic", nameof(setting)),
        };
        var intros = Intros();
        var before = Memory();
        var sw = Stopwatch.StartNew();
        // site-bytes: the graph handed to ONNX Runtime as a byte[] (the site's load before it streamed it to a temporary file).
        var assembly = System.Reflection.Assembly.Load("SentenceTransformers." + new SemanticOptions().Model);
        using var encoder = setting == "site-bytes"
            ? TextEncoder.Load(new SemanticOptions().Model, null, o => { }, SentenceTransformers.ResourceLoader.GetResource(assembly, "model.onnx"))
            : TextEncoder.Load(new SemanticOptions().Model, null, tune);
        var load = sw.Elapsed.TotalSeconds;
        var loaded = Memory();
        var times = new List<double>();
        var checksum = 0.0;
        void Searches(int from)
        {
            for (var i = from; i < from + 200; i++)
            {
                sw.Restart();
                var v = encoder.EncodeQuery($"query {i}: {intros[i % intros.Count].Split('\n')[0]} and how to make it faster");
                times.Add(sw.Elapsed.TotalMilliseconds);
                checksum += v[i % v.Length];
            }
        }
        Searches(0);
        var searched = Memory();
        foreach (var batch in intros.Take(160).Chunk(16)) encoder.Encode(batch);
        var embedded = Memory();
        Searches(200);
        var after = Memory();
        times.Sort();
        Console.WriteLine($"{setting}: model load {load:F1} s; RSS MiB (anon/file) before {before}, model loaded {loaded}, after 200 searches {searched}, " +
                          $"after embedding 160 intros {embedded}, after 200 more searches {after}; query vector p50 {times[times.Count / 2]:F1} ms; checksum {checksum:F6}");
        return 0;
    }

    /// <summary>The bundled intros (the texts the site embeds are title, keywords and intro; the intro is most of it).</summary>
    private static List<string> Intros()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "data", "README.md"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("run from inside the repository (its data/ folder holds the intros)");
        var texts = Directory.GetFiles(Path.Combine(dir.FullName, "data"), "README.md", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f) != Path.Combine(dir.FullName, "data")).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        return Enumerable.Range(0, 3).SelectMany(_ => texts).ToList();
    }

    /// <summary>RSS, its anonymous part and its file-backed part (the model package's mapped resources), in MiB.</summary>
    private static string Memory()
    {
        var status = File.ReadAllLines("/proc/self/status").Select(l => l.Split(':', 2)).Where(p => p[0] is "VmRSS" or "RssAnon" or "RssFile")
            .ToDictionary(p => p[0], p => long.Parse(p[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024);
        return $"{status["VmRSS"]} ({status["RssAnon"]}/{status["RssFile"]})";
    }
}
