using System.Net;
using System.Text.Json;
using PaperCatalog.Web.Tests.Infrastructure;
using PaperCatalog.Web.Tests.Security;

namespace PaperCatalog.Web.Tests.Api;

/// <summary>The JSON API for papers, topics and keywords over the bundled list, and its OpenAPI description.</summary>
[Collection(BundledSiteCollection.Name)]
public sealed class CatalogApiTests(CatalogFactory site)
{
    private async Task<JsonElement> JsonAsync(string url)
    {
        var response = await site.CreateReader().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task OpenApiDocument_AtItsDocumentedUrl_DescribesEveryApiRoute()
    {
        var document = await JsonAsync("/openapi/v1.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var routes = SiteMap.Routes(site.Services).Select(r => r.Template).Where(t => t.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.Contains("/api/papers/{slug}", routes);
        Assert.All(routes, r => Assert.True(paths.Contains(r), $"{r} is not in the OpenAPI document ({string.Join(", ", paths)})"));
        Assert.All(paths, p => Assert.StartsWith("/api/", p, StringComparison.Ordinal)); // pages and images are no API
    }

    [Fact]
    public async Task Papers_ArePagedLikeTheTables_AndAPageOutOfRangeIsTheNearestOne()
    {
        var all = await JsonAsync("/api/papers");
        Assert.Equal(62, all.GetProperty("paging").GetProperty("total").GetInt64());
        Assert.Equal(1, all.GetProperty("paging").GetProperty("page").GetInt32());
        Assert.Equal(62, all.GetProperty("papers").GetArrayLength());
        var first = all.GetProperty("papers")[0];
        Assert.Equal("/papers/" + first.GetProperty("slug").GetString(), first.GetProperty("url").GetString());
        Assert.Equal("llm-inference", first.GetProperty("topic").GetProperty("slug").GetString());
        foreach (var odd in new[] { "99", "-1", "x", "99999999999" })
            Assert.Equal(1, (await JsonAsync("/api/papers?page=" + odd)).GetProperty("paging").GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task OnePaper_TopicsAndKeywords_GiveWhatTheirPagesShow_AndAnUnknownSlugIs404()
    {
        var gqa = await JsonAsync("/api/papers/gqa");
        Assert.Equal("https://arxiv.org/abs/2305.13245", gqa.GetProperty("paper").GetProperty("pdf").GetString());
        Assert.Contains("<", gqa.GetProperty("introHtml").GetString());

        var topics = await JsonAsync("/api/topics");
        Assert.Equal(["llm-inference", "attention", "quantization", "serving", "batching", "architectures"], topics.EnumerateArray().Select(t => t.GetProperty("slug").GetString()));
        var attention = await JsonAsync("/api/topics/attention?sort=citations&order=desc");
        Assert.Equal(21, attention.GetProperty("papers").GetArrayLength());
        Assert.Equal("LoRA: Low-Rank Adaptation of Large Language Models", attention.GetProperty("papers")[0].GetProperty("title").GetString());

        var keyword = await JsonAsync("/api/keywords/gqa");
        Assert.Equal("gqa", keyword.GetProperty("papers")[0].GetProperty("slug").GetString());

        var reader = site.CreateReader();
        foreach (var url in new[] { "/api/papers/no-such-paper", "/api/topics/no-such-topic", "/api/keywords/no-such-keyword" })
            Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/api/papers")]
    [InlineData("/api/topics/attention")]
    [InlineData("/openapi/v1.json")]
    public async Task ApiAnswers_AreServedFromTheOutputCache(string url)
    {
        var reader = site.CreateReader();
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(url)).StatusCode);
        var second = await reader.GetAsync(url);
        Assert.True(second.Headers.Age is not null, $"{url}: the second answer did not come from the output cache");
    }
}
