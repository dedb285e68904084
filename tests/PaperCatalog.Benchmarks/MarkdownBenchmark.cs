using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using PaperCatalog.Markdown;
using PaperCatalog.Testing;

/// <summary>
/// One render of each hostile Markdown shape at the 64 KB intro limit (tests/Shared/HostileMarkdown.cs), accepted or
/// refused, next to the bundled intros joined to the same size (what a long real intro costs). Goal: each at most
/// 50 ms and 20 MB allocated. Run in Release:
///   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- markdown --job short
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ReadableSummary))]
public class MarkdownBenchmark
{
    private readonly MarkdownRenderer _renderer = new();

    public static IEnumerable<HostileShape> Shapes() =>
        [new HostileShape("bundled intros joined to 64 KB", BundledIntros()), .. HostileMarkdown.Reproductions, .. HostileMarkdown.All];

    [ParamsSource(nameof(Shapes))]
    public HostileShape Shape { get; set; } = null!;

    [Benchmark]
    public RenderedMarkdown Render() => _renderer.RenderChecked(Shape.Markdown);

    /// <summary>Whole shape names, times in milliseconds and sizes in KB, to read against the goal.</summary>
    private sealed class ReadableSummary : ManualConfig
    {
        public ReadableSummary() =>
            SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(60).WithTimeUnit(Perfolizer.Horology.TimeUnit.Millisecond).WithSizeUnit(Perfolizer.Metrology.SizeUnit.KB);
    }

    /// <summary>The bundled intros (data/TOPIC/PAPER/README.md) one after another, as long as they fit in 64 KB.</summary>
    private static string BundledIntros()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln"))) dir = dir.Parent;
        var data = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("PaperCatalog.sln not found above " + AppContext.BaseDirectory), "data");
        var intros = Directory.GetFiles(data, "README.md", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(data, f).Split(Path.DirectorySeparatorChar).Length == 3)
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var text = new StringBuilder();
        for (var i = 0; Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(intros[i % intros.Count]) + 2 <= MarkdownBudget.DefaultMaxInputBytes; i++)
            text.Append(intros[i % intros.Count]).Append("\n\n");
        return text.ToString();
    }
}
