using PaperCatalog.Lookup;
using PaperCatalog.Tests.Search;

namespace PaperCatalog.Tests.Lookup;

/// <summary>The 404 page's suggestions, read from an in-memory index of every slug that follows the catalog's writes.</summary>
public sealed class SlugSuggestionsTests : IAsyncLifetime
{
    private readonly SearchCatalog _catalog = new();
    private SlugSuggestions _suggestions = null!;

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        _suggestions = new SlugSuggestions(_catalog.Database, _catalog.Cache);
    }

    public Task DisposeAsync() => _catalog.DisposeAsync();

    private async Task<List<string>> UrlsAsync(string slug, string? kind) =>
        (await _suggestions.ForAsync(slug, kind, 5, CancellationToken.None)).Select(s => s.Url).ToList();

    [Fact]
    public async Task AMistypedPaperAddress_SuggestsThePapersThatShareTheLongestPrefix_WithTheirTitles()
    {
        var found = await _suggestions.ForAsync("flashattention-2-faster", "paper", 5, CancellationToken.None);
        var first = found[0];
        Assert.Equal("FlashAttention-2: Faster Attention with Better Parallelism", first.Name);
        Assert.Equal("paper", first.Kind);
    }

    [Fact]
    public async Task PagesOfTheKindAsked_ComeFirst_AndShorterSlugsBeforeLonger()
    {
        // "gqa" is a paper slug's start and a keyword.
        var asKeyword = await UrlsAsync("gqa-x", "keyword");
        Assert.Equal("/keywords/gqa", asKeyword[0]);
        var asPaper = await UrlsAsync("gqa-x", "paper");
        Assert.StartsWith("/papers/gqa", asPaper[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("zzzzzzzzzzzz")]
    [InlineData("%00%ff")]
    public async Task NothingLikeAnySlug_SuggestsNothing(string slug) => Assert.Empty(await UrlsAsync(slug, null));

    [Fact]
    public async Task APaperWrittenAfterTheIndexWasRead_IsSuggestedOnceTheCacheIsInvalidated()
    {
        Assert.Empty(await UrlsAsync("quokka-decoding-x", "paper"));
        await using (var connection = await _catalog.Database.OpenAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE papers SET slug = 'quokka-decoding' WHERE slug LIKE 'windowed%';";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        _catalog.Cache.Invalidate(); // what every write through the store does
        Assert.Equal(["/papers/quokka-decoding"], await UrlsAsync("quokka-decoding-x", "paper"));
    }
}
