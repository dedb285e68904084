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

    [Theory]
    [InlineData("serve many LoRA adapters on one GPU", false)]
    [InlineData("why do streaming models keep the first tokens?", false)]
    [InlineData("serve many LoRA adapters on one GPU", true)]
    public async Task HybridTotalAndFacets_CountThePapersOnlyTheVectorsFind(string q, bool yearFilter)
    {
        await site.ReadyAsync();
        var hybrid = site.Services.GetRequiredService<PaperCatalog.Semantic.HybridSearch>();
        var keyword = site.Services.GetRequiredService<SearchQueries>();
        // Filtered: by the year of a paper the vectors bring (so the filtered list has one too).
        int? year = null;
        if (yearFilter)
        {
            var keywordSlugs = (await keyword.SearchAsync(new SearchRequest { Q = q, PageSize = SearchRequest.MaxPageSize }, CancellationToken.None)).Hits.Select(h => h.Slug).ToHashSet();
            var byMeaning = (await hybrid.SearchAsync(new SearchRequest { Q = q }, CancellationToken.None)).Hits.First(h => !keywordSlugs.Contains(h.Slug) && h.Published is not null);
            year = int.Parse(byMeaning.Published![..4], System.Globalization.CultureInfo.InvariantCulture);
        }
        var request = new SearchRequest { Q = q, From = year, To = year, PageSize = SearchRequest.MaxPageSize };
        var first = await hybrid.SearchAsync(request, CancellationToken.None);
        var shown = new List<SearchHit>();
        for (var page = 1; page <= first.PageCount; page++)
            shown.AddRange((await hybrid.SearchAsync(request with { Page = page }, CancellationToken.None)).Hits);

        // Some papers are there by meaning alone (else this proves nothing), every paper is shown once, and the total
        // and each facet count exactly the papers shown.
        var keywordTotal = (await keyword.SearchAsync(request, CancellationToken.None)).Total;
        Assert.True(first.Total > keywordTotal, $"{q}: no paper found by meaning alone");
        Assert.Equal(shown.Count, shown.Select(h => h.Slug).Distinct().Count());
        Assert.Equal(shown.Count, first.Total);
        Assert.Equal(shown.GroupBy(h => h.TopicSlug).ToDictionary(g => g.Key, g => (long)g.Count()),
            first.Topics.Where(t => t.Count > 0).ToDictionary(t => t.Value, t => t.Count));
        var years = shown.Where(h => h.Published is not null).GroupBy(h => h.Published![..4]).ToDictionary(g => g.Key, g => (long)g.Count());
        if (year is null) Assert.Equal(years, first.Years.ToDictionary(y => y.Value, y => y.Count));
        else Assert.Equal(shown.Count, Assert.Single(first.Years, y => y.Selected).Count);
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
