using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Search;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>Hybrid search and related papers as a reader meets them, and the switch that turns both off.</summary>
[Collection(SemanticSiteCollection.Name)]
public sealed class SemanticSearchTests(SemanticSite site)
{
    /// <summary>The slugs <c>/api/search</c> answers for <paramref name="q"/>, in order.</summary>
    internal static async Task<List<string>> ApiSlugsAsync(HttpClient client, string q)
    {
        var json = await client.GetFromJsonAsync<JsonElement>("/api/search?q=" + Uri.EscapeDataString(q));
        return json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("slug").GetString()!).ToList();
    }

    [Fact]
    public async Task DescribedPaper_IsFoundByMeaning_BeforeWhatOnlySharesWords()
    {
        await site.ReadyAsync();
        var slugs = await ApiSlugsAsync(site.CreateReader(), "serve many LoRA adapters on one GPU");
        Assert.Contains(slugs.Take(3), s => s is "punica" or "s-lora");
        var page = await Html.GetOkAsync(site.CreateReader(), "/search?q=" + Uri.EscapeDataString("why do streaming models keep the first tokens?"));
        Assert.Equal("/papers/efficient-streaming-language-models-with-attention-sinks", page.QuerySelector(".hit-title a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task PaperPage_ShowsRelatedPapers_EachWithAReason()
    {
        await site.ReadyAsync();
        var page = await Html.GetOkAsync(site.CreateReader(), "/papers/kivi");
        var items = page.QuerySelectorAll("section.related li");
        Assert.InRange(items.Length, 1, 5);
        Assert.Contains(items, li => li.QuerySelector("a")!.GetAttribute("href") == "/papers/kvquant");
        Assert.All(items, li => Assert.False(string.IsNullOrWhiteSpace(li.QuerySelector(".reason").Text())));
    }

    [Fact]
    public async Task SwitchedOff_SearchRanksExactlyAsKeywordSearch_AndPagesShowNoRelatedPapers()
    {
        await site.ReadyAsync();
        using var off = new SiteFactory();
        var reader = off.CreateReader();
        var keyword = site.Services.GetRequiredService<SearchQueries>();
        foreach (var q in Judgements.Queries().Select(j => j.Query).Take(20))
        {
            var expected = (await keyword.SearchAsync(new SearchRequest { Q = q }, CancellationToken.None)).Hits.Select(h => h.Slug).ToList();
            Assert.Equal(expected, await ApiSlugsAsync(reader, q));
        }
        Assert.Null((await Html.GetOkAsync(reader, "/papers/kivi")).QuerySelector("section.related"));
    }
}
