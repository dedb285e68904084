using PaperCatalog.Importing;
using PaperCatalog.Markdown;

namespace PaperCatalog.Tests.Importing;

/// <summary>The list PaperCatalog ships with, as `catalog check` reads it.</summary>
public sealed class BundledListTests
{
    private static string BundledList()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "README.md");
            if (File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln")) && File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("data/README.md not found above the test folder");
    }

    [Fact]
    public void BundledList_ChecksWithNoWarningsAndNoErrors()
    {
        var plan = ImportPlan.Load(BundledList(), new MarkdownRenderer());
        Assert.Empty(plan.Diagnostics);
    }

    [Fact]
    public void BundledList_HasTheSixTopicsInTheSeedsOrderAndAnIntroForEveryPaper()
    {
        var plan = ImportPlan.Load(BundledList(), new MarkdownRenderer());
        Assert.Equal(["LLM Inference", "Attention", "Quantization", "Serving", "Batching", "Architectures"], plan.List.Topics.Select(t => t.Name));
        Assert.Equal([2, 13, 5, 1, 3, 3], plan.List.Topics.Select(t => t.Papers.Count));
        Assert.Equal(27, plan.Intros.Count);
        Assert.All(plan.List.Papers.Where(p => p.PdfUrl!.Contains("arxiv.org")), p => Assert.NotNull(p.ArxivId));
        Assert.Equal(25, plan.List.Papers.Count(p => p.ArxivId is not null));
        Assert.All(plan.Intros, pair => Assert.StartsWith("# " + pair.Key.Title + "\n", pair.Value.Markdown.Replace("\r\n", "\n")));
    }
}
