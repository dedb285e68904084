using System.Net;
using System.Text.Json;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>/search and /api/search over the bundled list, through real HTTP.</summary>
[Collection(BundledSiteCollection.Name)]
public sealed class SearchPageTests(CatalogFactory factory)
{
    private readonly HttpClient _client = factory.CreateReader();

    [Fact]
    public async Task EveryPage_HasAHeaderSearchBox_ThatSubmitsToSearch()
    {
        foreach (var url in new[] { "/", "/topics/attention", "/papers/gqa", "/keywords/onebit", "/no-such-page" })
        {
            var (_, doc) = await Html.GetAsync(_client, url);
            var form = doc.QuerySelector("header form[role=search]");
            Assert.NotNull(form);
            Assert.Equal("/search", form.GetAttribute("action"));
            Assert.Equal("get", form.GetAttribute("method"));
            var input = form.QuerySelector("input[name=q]");
            Assert.NotNull(input);
            Assert.NotNull(doc.QuerySelector($"label[for={input.Id}]"));
        }
    }

    [Fact]
    public async Task Results_AreRanked_Highlighted_AndLinkToPapers()
    {
        var doc = await Html.GetOkAsync(_client, "/search?q=flashattention");
        var hits = doc.QuerySelectorAll(".hit");
        Assert.True(hits.Length >= 3);
        var titles = hits.Select(h => h.QuerySelector(".hit-title a")!.Text()).ToList();
        // FlashAttention, FlashAttention-2 and FlashAttention-3 all carry the word in title and keywords.
        Assert.Contains("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", titles.Take(3));
        Assert.Equal("/papers/flashattention", hits.First(h => h.QuerySelector(".hit-title a").Text().StartsWith("FlashAttention:", StringComparison.Ordinal)).QuerySelector(".hit-title a")!.GetAttribute("href"));
        Assert.Contains("papers match", doc.QuerySelector(".result-count").Text());

        var gqa = await Html.GetOkAsync(_client, "/search?q=gqa");
        Assert.Equal("GQA", gqa.QuerySelector(".hit-title mark").Text());
    }

    [Fact]
    public async Task Typo_OffersAOneClickSuggestion_WhenTheReaderAskedForExactlyWhatTheyTyped()
    {
        var doc = await Html.GetOkAsync(_client, "/search?q=flashatention&exact=1");
        var link = doc.QuerySelector(".did-you-mean a");
        Assert.NotNull(link);
        Assert.Equal("FlashAttention", link.Text());
        Assert.Equal("/search?q=FlashAttention&exact=1", link.GetAttribute("href"));
        var followed = await Html.GetOkAsync(_client, link.GetAttribute("href")!);
        Assert.NotEmpty(followed.QuerySelectorAll(".hit"));
    }

    [Fact]
    public async Task Filters_Facets_Sort_AndPaging_LiveInTheUrl()
    {
        var doc = await Html.GetOkAsync(_client, "/search?q=attention&topic=attention&sort=date");
        Assert.All(doc.QuerySelectorAll(".hit-meta > a:first-child"), a => Assert.Equal("/topics/attention", a.GetAttribute("href")));
        var topicFacet = doc.QuerySelectorAll(".facets a").Where(a => a.GetAttribute("href")!.Contains("topic=quantization", StringComparison.Ordinal)).ToList();
        Assert.Single(topicFacet);
        Assert.Equal("/search?q=attention&topic=quantization&sort=date", topicFacet[0].GetAttribute("href"));
        Assert.Equal("attention", doc.QuerySelector("select[name=topic] option[selected]")?.GetAttribute("value"));
        Assert.Equal("date", doc.QuerySelector("select[name=sort] option[selected]")?.GetAttribute("value"));
        var dates = doc.QuerySelectorAll(".hit-meta time").Select(t => t.GetAttribute("datetime")).ToList();
        Assert.Equal(dates.OrderByDescending(d => d, StringComparer.Ordinal), dates);

        var all = await Html.GetOkAsync(_client, "/search?q=a");
        var next = all.QuerySelector(".pager a[rel=next]");
        Assert.NotNull(next);
        Assert.Equal("/search?q=a&page=2", next.GetAttribute("href"));
        var page2 = await Html.GetOkAsync(_client, "/search?q=a&page=2");
        Assert.Equal("21", page2.QuerySelector("ol.hit-list")!.GetAttribute("start"));
    }

    [Fact]
    public async Task EmptyQuery_OffersPopularKeywordsAndTopics()
    {
        var doc = await Html.GetOkAsync(_client, "/search");
        Assert.NotEmpty(doc.QuerySelectorAll(".search-start .chip"));
        Assert.Equal(6, doc.QuerySelectorAll(".search-start .topic-links a").Length);
        Assert.Empty(doc.QuerySelectorAll(".hit"));
    }

    [Theory]
    [InlineData("%22")]
    [InlineData("AND%20OR%20NOT")]
    [InlineData("NEAR(a%20b)")]
    [InlineData("*")]
    [InlineData("%5E")]
    [InlineData("title%3Ax")]
    [InlineData("%F0%9F%98%80")]
    [InlineData("%FF%FE%C0%AF")] // invalid UTF-8
    [InlineData("%00")]
    [InlineData("%ED%A0%80")] // an encoded lone surrogate
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    public async Task HostileQueryString_GivesAPage_NotAnError(string q)
    {
        var (response, doc) = await Html.GetAsync(_client, "/search?q=" + q + "&from=abc&to=99999999999&page=-1&sort=evil&topic=%27");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(doc.QuerySelectorAll("script:not([src])"));
        Assert.Empty(doc.QuerySelectorAll("#search-results script"));
        var api = await _client.GetAsync("/api/search?q=" + q);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task ScriptInQuery_IsShownAsText()
    {
        var doc = await Html.GetOkAsync(_client, "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
        Assert.Empty(doc.QuerySelectorAll("img[onerror]"));
        Assert.Equal("<img src=x onerror=alert(1)>", doc.QuerySelector("#search-q")!.GetAttribute("value"));
    }

    [Fact]
    public async Task LongQuery_IsCutWithANotice()
    {
        var doc = await Html.GetOkAsync(_client, "/search?q=" + string.Concat(Enumerable.Repeat("attention%20", 1_000)));
        Assert.Contains("only its first", doc.QuerySelector(".notice").Text());
    }

    [Fact]
    public async Task Api_AnswersTheSameSearchAsJson()
    {
        var response = await _client.GetAsync("/api/search?q=quant&topic=quantization");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("quant", root.GetProperty("query").GetString());
        Assert.True(root.GetProperty("total").GetInt64() >= 3);
        var first = root.GetProperty("results")[0];
        Assert.StartsWith("/papers/", first.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Contains("<mark>", first.GetProperty("titleHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal("quantization", first.GetProperty("topic").GetProperty("slug").GetString());
        Assert.True(root.GetProperty("facets").GetProperty("topics").GetArrayLength() >= 1);

        // A typo with one clear correction answers with the correction's results, and says so.
        var typo = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=flashatention")).RootElement;
        Assert.Equal("flashatention", typo.GetProperty("correctedFrom").GetString());
        Assert.Equal("FlashAttention", typo.GetProperty("query").GetString());
        var exact = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=flashatention&exact=1")).RootElement;
        Assert.Equal("FlashAttention", exact.GetProperty("suggestions")[0].GetProperty("query").GetString());
    }

    [Fact]
    public async Task DuplicateCheck_AnswersAsJson_WithoutRevealingPendingSubmissions()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/api/submissions/duplicates?link=" + Uri.EscapeDataString("http://arxiv.org/abs/2305.13245v1") + "&title=x"));
        var first = json.RootElement[0];
        Assert.True(first.GetProperty("exact").GetBoolean());
        Assert.Equal("/papers/gqa", first.GetProperty("url").GetString());
        using var none = JsonDocument.Parse(await _client.GetStringAsync("/api/submissions/duplicates?title=" + Uri.EscapeDataString("A title nobody wrote")));
        Assert.Equal(0, none.RootElement.GetArrayLength());
    }
}
