using System.Net;
using System.Text.Json;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>
/// Finding a paper as a reader does (issue 16): by identifier, by person, by a word in any case, past a typo or a
/// search that finds nothing, and through the index pages; snippets and summaries with no TeX source.
/// </summary>
[Collection(BundledSiteCollection.Name)]
public sealed class FindingPapersTests(CatalogFactory factory)
{
    private readonly HttpClient _client = factory.CreateReader();

    private static string Search(string q) => "/search?q=" + Uri.EscapeDataString(q);

    [Theory]
    [InlineData("2205.14135")]
    [InlineData("arXiv:2205.14135")]
    [InlineData(" https://arxiv.org/abs/2205.14135v2 ")]
    [InlineData("https://arxiv.org/pdf/2205.14135.pdf")]
    [InlineData("10.48550/arXiv.2205.14135")]
    [InlineData("https://doi.org/10.48550/ARXIV.2205.14135")]
    public async Task Search_ForAnArxivIdLinkOrDoi_GoesStraightToThePaper(string q)
    {
        var response = await _client.GetAsync(Search(q));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/papers/flashattention", response.Headers.Location!.OriginalString);

        using var api = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=" + Uri.EscapeDataString(q)));
        Assert.Equal("/papers/flashattention", api.RootElement.GetProperty("paper").GetString());
    }

    [Theory]
    [InlineData("2401.99999", "arXiv:2401.99999")]
    [InlineData("cs/0112017", "arXiv:cs/0112017")]
    [InlineData("doi:10.1145/3600006.3613165", "DOI 10.1145/3600006.3613165")]
    public async Task Search_ForAnIdentifierNoPaperHas_SaysSoAndOffersToSubmitIt(string q, string named)
    {
        var doc = await Html.GetOkAsync(_client, Search(q));
        var none = doc.QuerySelector(".no-results")!;
        Assert.Contains("No paper in the catalog has " + named, none.Text());
        Assert.Contains(none.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/submit");
    }

    [Fact]
    public async Task Search_ForAPersonsName_RanksThePapersTheyWroteFirst()
    {
        // The bundled list names Tri Dao among the authors of seven papers; FlashAttention-2's intro also mentions him.
        string[] his = ["flashattention", "flashattention-2", "flashattention-3", "flash-decoding-for-long-context-inference", "mamba", "transformers-are-ssms", "medusa"];
        using var api = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=Tri%20Dao"));
        var slugs = api.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("slug").GetString()).ToList();
        Assert.Equal(his.Order(), slugs.Take(his.Length).Order());

        // One author's surname alone finds their papers too (authors are in the index, not only in the page).
        using var byName = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=Leviathan"));
        Assert.Equal("fast-inference-from-transformers-via-speculative-decoding", byName.RootElement.GetProperty("results")[0].GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Search_ForACamelCaseWordTypedInLowercase_FindsWhatTheCamelCaseSpellingFinds()
    {
        async Task<long> Total(string q)
        {
            using var api = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=" + q));
            return api.RootElement.GetProperty("total").GetInt64();
        }
        var camel = await Total("FlashAttention");
        Assert.True(camel > 10, $"FlashAttention finds {camel}");
        Assert.Equal(camel, await Total("flashattention"));
        Assert.Equal(camel, await Total("FLASHATTENTION"));
        Assert.Equal(await Total("SmoothQuant"), await Total("smoothquant"));
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("cope interpolated")]
    [InlineData("group query heads")]
    [InlineData("kivi quantize")]
    public async Task Snippets_ShowTextAsAReaderSeesIt_NeverTexSource(string q)
    {
        var doc = await Html.GetOkAsync(_client, Search(q));
        var snippets = doc.QuerySelectorAll(".snippet").Select(s => s.Text()).ToList();
        Assert.NotEmpty(snippets);
        Assert.All(snippets, s => Assert.DoesNotContain('\\', s));
        Assert.All(snippets, s => Assert.DoesNotContain("$", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MathSourceWords_AreNotSearchable()
    {
        // "\lfloor" and "\mathrm" are TeX, not words of any intro as a reader reads it.
        foreach (var q in new[] { "lfloor", "mathrm" })
        {
            using var api = JsonDocument.Parse(await _client.GetStringAsync("/api/search?q=" + q + "&exact=1"));
            Assert.Equal(0, api.RootElement.GetProperty("total").GetInt64());
        }
    }

    [Theory]
    [InlineData("/papers/contextual-position-encoding")]
    [InlineData("/papers/gqa")]
    [InlineData("/papers/kivi")]
    public async Task PaperMetaDescription_IsTheIntrosOpeningAsPlainText(string url)
    {
        var doc = await Html.GetOkAsync(_client, url);
        var description = doc.QuerySelector("meta[name=description]")!.GetAttribute("content")!;
        Assert.InRange(description.Length, 40, 201);
        Assert.DoesNotContain('\\', description);
        Assert.DoesNotContain("$", description, StringComparison.Ordinal);
        Assert.DoesNotContain("#", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typo_WithOneClearCorrection_ShowsItsResultsAtOnce_AndOffersWhatWasTyped()
    {
        var doc = await Html.GetOkAsync(_client, Search("quantizaton"));
        var corrected = doc.QuerySelector(".corrected")!;
        Assert.Equal("Showing results for Quantization; search instead for quantizaton.", string.Join(' ', corrected.Text().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.NotEmpty(doc.QuerySelectorAll(".hit"));
        var typed = corrected.QuerySelector("a")!.GetAttribute("href")!;
        Assert.Equal("/search?q=quantizaton&exact=1", typed);

        var exact = await Html.GetOkAsync(_client, typed);
        Assert.Null(exact.QuerySelector(".corrected"));
        Assert.Empty(exact.QuerySelectorAll(".hit"));
        Assert.Equal("Quantization", exact.QuerySelector(".did-you-mean a")!.Text());
    }

    [Fact]
    public async Task NoResults_OffersPopularKeywordsAndASubmitLink_NeverADeadEnd()
    {
        var doc = await Html.GetOkAsync(_client, Search("zzqqxx"));
        Assert.Contains("No papers match", doc.QuerySelector(".result-count").Text());
        var none = doc.QuerySelector(".no-results")!;
        var chips = none.QuerySelectorAll("a.chip");
        Assert.True(chips.Length >= 10);
        Assert.All(chips, c => Assert.StartsWith("/search?q=", c.GetAttribute("href")));
        Assert.Contains(none.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/submit");
    }

    [Fact]
    public async Task SearchFilters_AreADisclosure_OpenWhenInUse()
    {
        var plain = await Html.GetOkAsync(_client, Search("attention"));
        Assert.All(plain.QuerySelectorAll("details.search-filters"), d => Assert.False(d.HasAttribute("open")));
        Assert.Equal(2, plain.QuerySelectorAll("details.search-filters > summary").Length);
        var filtered = await Html.GetOkAsync(_client, "/search?q=attention&topic=attention");
        Assert.All(filtered.QuerySelectorAll("details.search-filters"), d => Assert.True(d.HasAttribute("open")));
    }

    [Fact]
    public async Task TopicsIndex_ListsEveryTopicWithItsPaperCount()
    {
        var doc = await Html.GetOkAsync(_client, "/topics");
        var items = doc.QuerySelectorAll(".index-list li");
        Assert.Equal(["LLM Inference", "Attention", "Quantization", "Serving", "Batching", "Architectures"], items.Select(li => li.QuerySelector("a")!.Text()));
        Assert.Equal("/topics/attention", items[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("21 papers", items[1].QuerySelector(".count")!.Text());
    }

    [Fact]
    public async Task KeywordsIndex_ListsEveryKeywordAToZWithItsCount()
    {
        var doc = await Html.GetOkAsync(_client, "/keywords");
        var items = doc.QuerySelectorAll(".index-list li");
        var names = items.Select(li => li.QuerySelector("a")!.Text()).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        var kv = items.Single(li => li.QuerySelector("a")!.Text() == "KV Cache Quantization");
        Assert.Equal("2", kv.QuerySelector(".count")!.Text());
        var keyword = await Html.GetOkAsync(_client, kv.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal(2, keyword.QuerySelectorAll("table.papers tbody tr").Length);
    }

    [Fact]
    public async Task AllPapers_IsOneSortableTable_WithTheListOrderExplained()
    {
        var doc = await Html.GetOkAsync(_client, "/papers");
        Assert.Equal(62, doc.QuerySelectorAll("table.papers tbody tr").Length);
        Assert.Null(doc.QuerySelector(".pager"));
        Assert.Contains("List order is the curators' own order", doc.QuerySelector(".explain")!.Text());
        var byCitations = await Html.GetOkAsync(_client, "/papers?sort=citations");
        var counts = byCitations.QuerySelectorAll("table.papers tbody .col-citations").Select(td => td.Text()).Where(t => t != "–")
            .Select(t => long.Parse(t, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        // Unknown sort values and pages are the default table, never an error.
        foreach (var url in new[] { "/papers?sort=nope&dir=sideways", "/papers?page=-4", "/papers?page=99999999999", "/papers?page=x" })
            Assert.Equal(62, (await Html.GetOkAsync(_client, url)).QuerySelectorAll("table.papers tbody tr").Length);
    }

    [Fact]
    public async Task EveryBreadcrumb_IsALink()
    {
        foreach (var url in new[] { "/topics", "/keywords", "/papers", "/topics/attention", "/keywords/onebit", "/papers/gqa" })
        {
            var doc = await Html.GetOkAsync(_client, url);
            var crumbs = doc.QuerySelector("nav.crumbs")!;
            Assert.All(crumbs.Children.Where(c => c.GetAttribute("aria-hidden") != "true"), c => Assert.Equal("A", c.TagName));
        }
    }

    [Fact]
    public async Task TopicPage_ExplainsListOrder()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/attention");
        var bar = doc.QuerySelector(".sort-bar")!;
        Assert.Equal("list-order-hint", bar.GetAttribute("aria-describedby"));
        Assert.Contains("curators' own order", doc.GetElementById("list-order-hint")!.Text());
    }

    [Fact]
    public async Task Footer_NamesWhoKeepsTheList_ItsSource_AndHowToReachThem_ByDefaultFromTheList()
    {
        var doc = await Html.GetOkAsync(_client, "/");
        var footer = doc.QuerySelector("footer.site-footer")!;
        Assert.Contains("kept by the curators of Awesome LLM Inference Acceleration", footer.Text());
        Assert.Contains("README.md", footer.Text());
        Assert.Contains(footer.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/submit");
    }
}

/// <summary>The footer as the operator configures it, and the paging of a catalog longer than one page.</summary>
public sealed class ConfiguredCatalogTests : IDisposable
{
    private readonly CatalogFactory _site;

    public ConfiguredCatalogTests()
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var list = new System.Text.StringBuilder("# Long list\n\nA list longer than a page.\n\n## Many\n\n| Keywords | Title | Authors | Paper | Code | Affiliation | Date | Citation |\n|---|---|---|---|---|---|---|---|\n");
        for (var i = 1; i <= 230; i++)
            list.Append(System.Globalization.CultureInfo.InvariantCulture, $"| K{i % 7} | **Generated paper number {i}** | Author {i} | [[pdf](https://arxiv.org/abs/2401.{10000 + i})] | | Lab | 2024.01 | {i} |\n");
        var source = Path.Combine(folder, "README.md");
        File.WriteAllText(source, list.ToString());
        _site = new CatalogFactory { Source = source };
        _site.Settings["Curators:Name"] = "the inference reading group";
        _site.Settings["Curators:SourceUrl"] = "https://github.com/example/long-list";
        _site.Settings["Curators:Contact"] = "javascript:alert(1)";
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Footer_UsesTheConfiguredCuratorsAndSource_AndNeverAScriptLink()
    {
        var doc = await Html.GetOkAsync(_site.CreateReader(), "/");
        var footer = doc.QuerySelector("footer.site-footer")!;
        Assert.Contains("kept by the inference reading group", footer.Text());
        Assert.Contains(footer.QuerySelectorAll("a"), a => a.GetAttribute("href") == "https://github.com/example/long-list");
        Assert.DoesNotContain(footer.QuerySelectorAll("a"), a => a.GetAttribute("href")!.StartsWith("javascript", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AllPapers_ShowsAtMostAHundredRowsAPage_WithPageLinksInTheUrl()
    {
        var client = _site.CreateReader();
        var first = await Html.GetOkAsync(client, "/papers");
        Assert.Equal(100, first.QuerySelectorAll("table.papers tbody tr").Length);
        var pages = first.QuerySelectorAll(".pager a:not([rel])").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/papers?page=2", "/papers?page=3"], pages);
        Assert.Equal("1", first.QuerySelector(".pager [aria-current=page]")!.Text());

        var last = await Html.GetOkAsync(client, "/papers?sort=citations&page=3");
        Assert.Equal(30, last.QuerySelectorAll("table.papers tbody tr").Length);
        // Most cited first across pages: page 3 holds the 30 least cited, and its links keep the order.
        Assert.Equal("30", last.QuerySelectorAll("table.papers tbody .col-citations")[0].Text());
        Assert.Equal("/papers?sort=citations&page=2", last.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.Null(last.QuerySelector(".pager a[rel=next]"));
        // A page past the end is the last page.
        Assert.Equal(30, (await Html.GetOkAsync(client, "/papers?page=50")).QuerySelectorAll("table.papers tbody tr").Length);
    }
}
