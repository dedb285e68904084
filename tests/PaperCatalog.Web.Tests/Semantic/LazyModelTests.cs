using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Search;
using PaperCatalog.Semantic;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>
/// The model is loaded when a search first needs it (or when the site is idle: <see cref="SemanticSite"/> becomes ready
/// with no search at all), never beside the first pages after a start; until it is ready, search is keyword search.
/// </summary>
public sealed class LazyModelTests
{
    [Fact]
    public async Task PagesAloneLoadNoModel_TheFirstSearchIsAnsweredByKeywords_AndLoadsIt_ThenSearchIsHybrid()
    {
        using var site = new SiteFactory { Semantic = true };
        site.Settings["Semantic:LoadWhenIdle"] = "false";
        var reader = site.CreateReader();
        var index = site.Services.GetRequiredService<SemanticIndex>();
        await Html.GetOkAsync(reader, "/");
        await Html.GetOkAsync(reader, "/papers/kivi");
        await Html.GetOkAsync(reader, "/topics/attention");
        Assert.False(index.Wanted.IsCompleted);
        Assert.Null(index.Encoder);

        const string q = "serve many LoRA adapters on one GPU";
        var keyword = (await site.Services.GetRequiredService<SearchQueries>().SearchAsync(new SearchRequest { Q = q }, CancellationToken.None))
            .Hits.Select(h => h.Slug).ToList();
        Assert.Equal(keyword, await SemanticSearchTests.ApiSlugsAsync(reader, q));
        Assert.True(index.Wanted.IsCompleted);

        for (var waited = TimeSpan.Zero; !index.IsReady; waited += TimeSpan.FromMilliseconds(200))
        {
            Assert.True(waited < TimeSpan.FromMinutes(5), "the vectors were not ready five minutes after the first search");
            await Task.Delay(200);
        }
        var hybrid = await SemanticSearchTests.ApiSlugsAsync(reader, q);
        Assert.NotEqual(keyword, hybrid);
        Assert.Contains(hybrid.Take(3), s => s is "punica" or "s-lora");
    }
}
