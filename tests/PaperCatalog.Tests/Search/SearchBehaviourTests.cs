using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

public sealed class SearchBehaviourTests(SearchCatalog catalog) : IClassFixture<SearchCatalog>
{
    private const string FlashAttention2 = "FlashAttention-2: Faster Attention with Better Parallelism";
    private const string Gqa = "GQA: Training Generalized Multi-Query Transformer Models";
    private const string SmoothQuant = "SmoothQuant: Accurate and Efficient Post-Training Quantization";
    private const string Int8 = "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale";
    private const string BitNet = "The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits";
    private const string Orca = "Orca: A Distributed Serving System for Transformer Models";
    private const string Batching = "Batching Without Pauses";
    private const string Zephyr = "Zephyr: Direct Distillation of LM Alignment";
    private const string Sparse = "Sparse Attention & \"Routing\" Tricks";
    private const string Windowed = "Windowed Decoding";

    [Fact]
    public async Task Ranking_TitleOrKeyword_Then_Affiliation_Then_IntroText()
    {
        // "zephyr" is a title word of one paper, the affiliation of another and a word in a third one's intro.
        Assert.Equal([Zephyr, Sparse, Windowed], await catalog.TitlesAsync("zephyr"));
    }

    [Fact]
    public async Task Highlighting_MarksMatches_And_EncodesEverythingElse()
    {
        var hit = Assert.Single((await catalog.FindAsync("routing")).Hits);
        Assert.Equal("Sparse Attention &amp; &quot;<mark>Routing</mark>&quot; Tricks", hit.TitleHtml);

        var snippet = Assert.Single((await catalog.FindAsync("window recent")).Hits).SnippetHtml;
        Assert.Contains("<mark>window</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>recent</mark>", snippet, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("推理", BitNet)] // Chinese, a two-character word inside a sentence with no spaces
    [InlineData("模型推理加速", BitNet)]
    [InlineData("推論の高速化", BitNet)] // Japanese
    public async Task ScriptsWithoutSpaces_AreFoundBySubstring(string q, string title)
    {
        var hit = Assert.Single((await catalog.FindAsync(q)).Hits);
        Assert.Equal(title, hit.Title);
        Assert.Contains("<mark>" + q + "</mark>", hit.SnippetHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdeographBeyondTheBasicPlane_IsFoundItself_AndNoOtherIsFoundForIt()
    {
        // U+2000B is in the intro; U+20000 (the same plane, the same high surrogate) is in no paper. Split between its
        // two halves, each was indexed as U+FFFD, which FTS5 reads as no word at all.
        var hit = Assert.Single((await catalog.FindAsync("\U0002000B")).Hits);
        Assert.Equal(BitNet, hit.Title);
        Assert.Contains("<mark>&#131083;</mark>", hit.SnippetHtml, StringComparison.Ordinal); // the encoder writes an astral character as a reference
        Assert.Single((await catalog.FindAsync("用字\U0002000B亦")).Hits);
        Assert.Empty(await catalog.TitlesAsync("\U00020000"));
    }

    [Theory]
    [InlineData("a\U0002000Bb", "a\u200B\U0002000B\u200Bb")]
    [InlineData("\U0002000B\U00020000", "\U0002000B\u200B\U00020000")]
    [InlineData("推\U0002000B", "推\u200B\U0002000B")]
    [InlineData("\U0001F600x", "\U0001F600x")] // an emoji is no ideograph: nothing split
    public void ForIndex_SplitsAroundWholeCharacters(string text, string indexed) => Assert.Equal(indexed, SearchText.ForIndex(text));

    [Fact]
    public async Task Substring_OfNoSpaceScript_NotInText_FindsNothing() =>
        Assert.Empty(await catalog.TitlesAsync("推理模型"));

    [Theory]
    [InlineData("batching", Batching)] // stemming: the keyword "Continuous batching" and the title "Batching"
    [InlineData("batch", Batching)]
    [InlineData("BATCHING", Batching)] // case
    [InlineData("ecole", Windowed)] // accents: "École Polytechnique"
    [InlineData("polytechnique école", Windowed)] // words in any order
    [InlineData("LLM.int8", Int8)]
    [InlineData("llm.int8()", Int8)]
    [InlineData("FlashAttention-2", FlashAttention2)]
    [InlineData("flashattention-2", FlashAttention2)]
    [InlineData("W8A8", SmoothQuant)]
    [InlineData("w8a8", SmoothQuant)]
    [InlineData("1.58-bit", BitNet)]
    [InlineData("KV cache", Gqa)]
    [InlineData("KV-cache", Gqa)]
    [InlineData("GQA", Gqa)]
    [InlineData("\"multi-query transformer\"", Gqa)] // phrase in quotes
    [InlineData("seoul", Orca)] // affiliation
    [InlineData("ICLR", FlashAttention2)] // venue
    [InlineData("ternary", BitNet)] // intro text
    public async Task Finds_WhatPeopleType(string q, string expectedFirst)
    {
        var titles = await catalog.TitlesAsync(q);
        Assert.NotEmpty(titles);
        Assert.Equal(expectedFirst, titles[0]);
    }

    [Fact]
    public async Task Prefix_Quant_FindsSmoothQuant_And_Quantization()
    {
        var titles = await catalog.TitlesAsync("quant");
        Assert.Contains(SmoothQuant, titles);
        var hit = (await catalog.FindAsync("quant")).Hits.Single(h => h.Title == SmoothQuant);
        Assert.StartsWith("Smooth<mark>Quant</mark>", hit.TitleHtml, StringComparison.Ordinal);
        Assert.Contains("<mark>Quantization</mark>", hit.TitleHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefix_FollowsTyping()
    {
        Assert.Contains(Orca, await catalog.TitlesAsync("orc"));
        Assert.Contains(Orca, await catalog.TitlesAsync("distributed serv"));
    }

    [Fact]
    public async Task QuotedPhrase_IsExact()
    {
        Assert.Empty(await catalog.TitlesAsync("\"transformer multi-query\""));
        Assert.Empty(await catalog.TitlesAsync("\"orc\""));
        Assert.NotEmpty(await catalog.TitlesAsync("orc"));
    }

    [Theory]
    [InlineData("flashatention", "FlashAttention")]
    [InlineData("smoothqunat", "SmoothQuant")]
    [InlineData("zephir", "Zephyr")]
    public async Task Typos_OfferTheNearestCatalogTerm(string q, string expected)
    {
        var results = await catalog.FindAsync(q, exact: true);
        Assert.Equal(0, results.Total);
        var suggestion = results.Suggestions.First();
        Assert.Equal(expected, suggestion.Term);
        Assert.NotEmpty(await catalog.TitlesAsync(suggestion.Query));
    }

    [Theory]
    [InlineData("flashatention", "FlashAttention")]
    [InlineData("smoothqunat", "SmoothQuant")]
    public async Task Typo_WithOneClearCorrection_GivesTheCorrectionsResultsAtOnce(string q, string expected)
    {
        var results = await catalog.FindAsync(q);
        Assert.Equal(q, results.CorrectedFrom);
        Assert.Equal(expected, results.Query.Text);
        Assert.True(results.Total > 0);
        Assert.Equal(results.Total, (await catalog.FindAsync(expected)).Total);
    }

    [Fact]
    public async Task Typo_InOneOfTwoWords_KeepsTheOther()
    {
        var results = await catalog.FindAsync("orca seriving", exact: true);
        Assert.Contains(results.Suggestions, s => string.Equals(s.Query, "orca serving", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Stemming_ForgivesSomeMisspellings() => Assert.Contains(Zephyr, await catalog.TitlesAsync("distilation"));

    [Fact]
    public async Task WellSpeltQuery_GetsNoSuggestion() => Assert.Empty((await catalog.FindAsync("orca")).Suggestions);
}
