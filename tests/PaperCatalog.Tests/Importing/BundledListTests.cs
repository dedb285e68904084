using PaperCatalog.Importing;
using PaperCatalog.Markdown;

namespace PaperCatalog.Tests.Importing;

/// <summary>The list PaperCatalog ships with, as `catalog check` reads it.</summary>
public sealed class BundledListTests
{
    public static string BundledList()
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
        Assert.Equal([8, 21, 12, 8, 5, 8], plan.List.Topics.Select(t => t.Papers.Count));
        Assert.Equal(62, plan.Intros.Count);
        Assert.All(plan.List.Papers.Where(p => p.PdfUrl!.Contains("arxiv.org")), p => Assert.NotNull(p.ArxivId));
        Assert.Equal(59, plan.List.Papers.Count(p => p.ArxivId is not null)); // not on arXiv: cellular batching, Orca, Flash-Decoding
        Assert.All(plan.Intros, pair => Assert.StartsWith("# " + pair.Key.Title + "\n", File.ReadAllText(pair.Value.FullPath).Replace("\r\n", "\n")));
    }

    [Fact]
    public void BundledList_HasNoPaperTwice_ByArxivIdFoldedTitleOrLink()
    {
        var papers = ImportPlan.Load(BundledList(), new MarkdownRenderer()).List.Papers.ToList();
        Assert.Equal(62, papers.Count);
        static void Unique(IEnumerable<(string Key, string Title)> keyed, string what)
        {
            var twice = keyed.GroupBy(k => k.Key).Where(g => g.Count() > 1)
                .Select(g => $"{what} '{g.Key}': {string.Join(" | ", g.Select(k => k.Title))}").ToList();
            Assert.True(twice.Count == 0, string.Join("\n", twice));
        }
        Unique(papers.Where(p => p.ArxivId is not null).Select(p => (p.ArxivId!, p.Title)), "arXiv id");
        // Folded the way the importer matches a paper across imports: case, spacing and punctuation do not count.
        Unique(papers.Select(p => (Slugs.TitleKey(p.Title), p.Title)), "folded title");
        Unique(papers.Select(p => (p.PdfUrl!.TrimEnd('/').ToLowerInvariant(), p.Title)), "paper link");
        Assert.All(papers, p => Assert.NotEqual("", Slugs.TitleKey(p.Title)));
    }
}
