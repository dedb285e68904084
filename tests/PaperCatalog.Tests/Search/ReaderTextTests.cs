using PaperCatalog.Markdown;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>Text as a reader sees it (no TeX source), and queries that find what the catalog spells in CamelCase.</summary>
public sealed class ReaderTextTests
{
    private readonly MarkdownRenderer _markdown = new();

    [Fact]
    public void PlainText_ReadsSimpleMathAsText_AndLeavesOutMathWithNoPlainReading()
    {
        var text = _markdown.ToPlainText("The score matrix $N \\times N$ with $\\mathrm{softmax}$ and $W_{q}$, then $\\frac{a}{b}$, done.\n\n$$\ne[p] = (p - \\lfloor p \\rfloor)\n$$\n\nAfter.");
        Assert.Equal("The score matrix N × N with softmax and W_q, then, done.\nAfter.", text);
        Assert.DoesNotContain('\\', text);
    }

    [Fact]
    public void Excerpt_CutsAtAWord_WithAnEllipsis_AndDropsTheIndexSeparators()
    {
        var indexed = SearchText.ForIndex("FlashAttention computes exact attention with far fewer memory reads than the textbook kernel does.");
        var excerpt = SearchText.Excerpt(indexed, 40);
        Assert.Equal("FlashAttention computes exact attention…", excerpt);
        Assert.DoesNotContain(SearchText.Split, excerpt);
    }

    [Fact]
    public void Query_ForALowercaseCamelCaseWord_AlsoMatchesItsParts_WhenTheCatalogSpellsItSo()
    {
        var camel = SearchText.CamelWords(["FlashAttention-2, SmoothQuant", "vLLM"]);
        Assert.Equal("FlashAttention", camel["flashattention"]);
        Assert.False(camel.ContainsKey("vllm")); // an acronym, not CamelCase
        var typed = SearchQuery.Parse("flashattention", camel);
        Assert.Equal(SearchQuery.Parse("FlashAttention", camel).Match, typed.Match, StringComparer.OrdinalIgnoreCase); // FTS5 folds case
        Assert.Contains("\"Flash Attention\"", typed.Match, StringComparison.Ordinal);
        // Without the catalog's words a lowercase word is just itself.
        Assert.Equal("\"flashattention\"*", SearchQuery.Parse("flashattention").Match);
    }

    [Theory]
    [InlineData("Tri Dao", "\"Tri Dao\"")]
    [InlineData("tri dao smith", "\"tri dao smith\"")]
    [InlineData("attention", null)]
    [InlineData("2205 14135", null)]
    [InlineData("one two three four five", null)]
    public void Query_ThatReadsAsAName_CarriesItAsOnePhrase(string q, string? phrase) =>
        Assert.Equal(phrase, SearchQuery.Parse(q).NamePhrase);
}
