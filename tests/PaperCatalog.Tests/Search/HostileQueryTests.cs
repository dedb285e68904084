using Dapper;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>Whatever a reader types becomes valid FTS5 (or nothing); it never reaches SQLite as syntax.</summary>
public sealed class HostileQueryTests(SearchCatalog catalog) : IClassFixture<SearchCatalog>
{
    public static TheoryData<string> Hostile() => new()
    {
        "\"", "\"\"", "\"unclosed phrase", "a\"b\"c", "'", "''; DROP TABLE papers; --",
        "AND", "OR", "NOT", "NEAR", "a AND", "OR b", "NOT NOT", "NEAR(a b, 2)", "a NEAR/2 b",
        "*", "**", "a*", "*a", "^", "^title", "a^b",
        "(", ")", "((a)", "a)", "()", "{title}: a", "{title keywords}", "title:", "title:attention", "-title:x", "paper_search:x", "rank:1",
        ":", "::", "a:b:c", "-", "--", "+", "a + b", "a - b", "!", "|", "\\", "/", "%", "_", "%_%", "[", "]", "a[0]",
        "😀", "🔥 attention 🔥", "👩‍👩‍👧‍👦", "\0", "a\0b", "\u0001\u0002\u0003", "\u200B", "\u202Eevil", "x\uFFFDy", "\uD800", "a\uDC00b", "\uDBFF\uDFFF",
        // Half a character or a noncharacter in a word that matches nothing: "did you mean" folds it, and normalization
        // refuses both (was a 500).
        "atention\uD800", "quantizaton\uDC00x", "\uDBFFspeculatve", "flash\uD800attention", "atention\uFFFE", "quantizaton\uFFFF",
        "   ", "\t\n", "<script>alert(1)</script>", "javascript:alert(1)", "\"><img src=x onerror=alert(1)>",
        // Two CamelCase words each become an OR group; FTS5 has no implicit AND between groups (was a 500).
        "FlashAttention SmoothQuant", "attention FlashAttention KVCache", "<IMG SRC=x OnErRoR=alert(1)> MoE",
        "NEAR(\"a\" \"b\")", "a OR b NOT c AND (d OR e*)", "\"a\" * \"b\"", "a\"*", "rowid=1", "MATCH", "bm25",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task HostileQuery_GivesAnAnswer_NotAnError(string q)
    {
        var results = await catalog.FindAsync(q);
        Assert.NotNull(results);
        Assert.True(results.Total >= 0);
        if (results.Query.Match is not null) await AssertValidFtsAsync(results.Query.Match);
    }

    [Fact]
    public async Task OperatorWords_AreSearchedAsWords()
    {
        var parsed = SearchQuery.Parse("attention AND NOT quantization");
        Assert.Equal("\"attention\" AND \"AND\" AND \"NOT\" AND \"quantization\"*", parsed.Match);
        await AssertValidFtsAsync(parsed.Match!);
    }

    [Fact]
    public async Task LongQuery_IsCut_WithANotice()
    {
        var q = string.Join(' ', Enumerable.Repeat("attention", 2_000)); // about 20,000 characters
        var results = await catalog.FindAsync(q);
        Assert.NotNull(results.Query.Notice);
        Assert.True(results.Query.Text.Length <= SearchQuery.MaxLength);
        Assert.NotEmpty(results.Hits);

        var single = await catalog.FindAsync(new string('x', 10_000));
        Assert.NotNull(single.Query.Notice);
        Assert.Equal(0, single.Total);
    }

    [Fact]
    public async Task ManyWords_AreLimited_WithANotice()
    {
        var results = await catalog.FindAsync(string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i)));
        Assert.NotNull(results.Query.Notice);
        Assert.Equal(SearchQuery.MaxTerms, results.Query.Terms.Count);
    }

    [Fact]
    public async Task NothingSearchable_GivesNoMatch_AndNoHits()
    {
        foreach (var q in new[] { "", "   ", "*", "😀", "\"\"", "()" })
        {
            var results = await catalog.FindAsync(q);
            Assert.Null(results.Query.Match);
            Assert.Empty(results.Hits);
        }
    }

    private async Task AssertValidFtsAsync(string match)
    {
        await using var c = await catalog.Database.OpenAsync(CancellationToken.None);
        // Throws on any FTS5 syntax error.
        await c.ExecuteScalarAsync<long>("SELECT count(*) FROM paper_search WHERE paper_search MATCH @match", new { match });
    }
}
