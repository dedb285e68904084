using System.Net;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>Every route over the bundled list, read as a person would: real HTTP, HTML parsed with AngleSharp.</summary>
[Collection(BundledSiteCollection.Name)]
public sealed class PageTests(CatalogFactory factory)
{
    private readonly HttpClient _client = factory.CreateReader();

    private static readonly string[] TopicNames = ["LLM Inference", "Attention", "Quantization", "Serving", "Batching", "Architectures"];

    [Fact]
    public async Task Home_ListsTheSixTopicsInListOrderWithCountsAndCitationDates()
    {
        var doc = await Html.GetOkAsync(_client, "/");
        var cards = doc.QuerySelectorAll(".topic-card");
        Assert.Equal(TopicNames, cards.Select(c => c.QuerySelector(".topic-name").Text()));
        Assert.Equal(["8 papers", "21 papers", "12 papers", "8 papers", "5 papers", "8 papers"], cards.Select(c => c.QuerySelector(".topic-count").Text()));
        Assert.Equal("citations as of 23 Jan 2025", cards[1].QuerySelector(".topic-date").Text());
        Assert.Contains("62 papers in 6 topics", doc.QuerySelector(".stats").Text());
        Assert.Equal(8, doc.QuerySelectorAll(".recent li").Length);
    }

    [Fact]
    public async Task Home_ShowsTheListsOwnTitleAndDescriptionWithLinksIntoTheSite()
    {
        var doc = await Html.GetOkAsync(_client, "/");
        Assert.Equal("Awesome LLM Inference Acceleration", doc.QuerySelector("h1").Text());
        Assert.StartsWith("A reading list on making large language models cheaper", doc.QuerySelector(".lede").Text());
        var links = doc.QuerySelectorAll(".about a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/papers/smoothquant", links);   // "[intro of SmoothQuant](quantization/smoothquant/README.md)"
        Assert.Contains("/topics/attention", links);     // "[Attention](#attention)" in the list's contents line
        Assert.DoesNotContain(links, l => l!.EndsWith(".md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryPage_HasHeaderNavigationToEveryTopic()
    {
        foreach (var url in new[] { "/", "/topics/quantization", "/papers/gqa", "/keywords/onebit" })
        {
            var doc = await Html.GetOkAsync(_client, url);
            Assert.Equal(TopicNames, doc.QuerySelectorAll("header .topic-nav a").Select(a => a.Text()));
        }
    }

    [Fact]
    public async Task Topic_ShowsAllSixColumnsAndEveryPaperInListOrder()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/attention");
        Assert.Equal("Attention", doc.QuerySelector("h1").Text());
        Assert.Equal(["Keywords", "Title", "Paper", "Affiliation", "Date", "Citations"], doc.QuerySelectorAll("table.papers thead th").Select(th => th.Text()));
        var rows = doc.QuerySelectorAll("table.papers tbody tr");
        Assert.Equal(21, rows.Length);
        Assert.Equal("Fast Transformer Decoding: One Write-Head is All You Need", rows[0].QuerySelector(".title-link").Text());
        Assert.Equal("HydraLoRA: An Asymmetric LoRA Architecture for Efficient Fine-Tuning", rows[^1].QuerySelector(".title-link").Text());
    }

    [Fact]
    public async Task Topic_RowShowsVenueLinksAffiliationDateAndCitationsWithAsOfDate()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/attention");
        var gqa = doc.QuerySelectorAll("table.papers tbody tr").Single(r => r.QuerySelector(".title-link").Text().StartsWith("GQA"));
        Assert.Equal("EMNLP 2023", gqa.QuerySelector(".venue").Text());
        Assert.Equal("https://arxiv.org/abs/2305.13245", gqa.QuerySelector(".col-paper a")!.GetAttribute("href"));
        // Each link named by where it goes, once: the intro is the paper's page, which the title already links.
        Assert.Equal(["arXiv"], gqa.QuerySelectorAll(".col-paper a").Select(a => a.Text()));
        Assert.Equal("/papers/gqa", gqa.QuerySelector(".title-link")!.GetAttribute("href"));
        Assert.Contains("with intro", gqa.QuerySelector(".col-title").Text());
        Assert.Equal("Google Research", gqa.QuerySelector(".col-affiliation").Text());
        Assert.Equal("May 2023", gqa.QuerySelector(".col-date").Text());
        Assert.Equal("2023-05", gqa.QuerySelector(".col-date time")!.GetAttribute("datetime"));
        Assert.Equal("489", gqa.QuerySelector(".col-citations").Text());
        Assert.Contains("citation counts as of 23 Jan 2025", doc.QuerySelector(".page-head .meta").Text());
    }

    [Fact]
    public async Task Topic_ShowsNoUpcomingTopics_WhenTheListNamesNone()
    {
        // FlashDecoding and QLoRA, once "upcoming", are papers of the bundled list now: no topic names any.
        foreach (var topic in new[] { "llm-inference", "attention", "quantization", "serving", "batching", "architectures" })
        {
            var doc = await Html.GetOkAsync(_client, "/topics/" + topic);
            Assert.Empty(doc.QuerySelectorAll(".upcoming"));
        }
    }

    [Fact]
    public async Task Topic_ShowsUpcomingTopics()
    {
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var list = Path.Combine(folder, "README.md");
            File.WriteAllText(list, """
                # A list

                ## Attention

                Last update of citation was on 20th Oct, 2024.

                Upcoming topics include: FlashDecoding, QLoRA

                |Keywords | Title | Paper | Affiliation | Date | Citation|
                |---|---|---|---|---|---|
                | MQA | **Fast Transformer Decoding: One Write-Head is All You Need** | [[pdf](https://arxiv.org/abs/1911.02150)] | Google | 2019.11 | 252 |
                """);
            using var site = new CatalogFactory { Source = list };
            var doc = await Html.GetOkAsync(site.CreateReader(), "/topics/attention");
            Assert.Equal(["FlashDecoding", "QLoRA"], doc.QuerySelectorAll(".upcoming .chip").Select(c => c.Text()));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task Topic_UnknownCitationCount_ShowsADashNotZero()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/architectures");
        var lazy = doc.QuerySelectorAll("table.papers tbody tr").Single(r => r.QuerySelector(".title-link").Text().StartsWith("LazyLLM"));
        Assert.Equal("–", lazy.QuerySelector(".col-citations").Text());
    }

    [Theory]
    [InlineData("?sort=citations", "LoRA: Low-Rank Adaptation of Large Language Models", "Contextual Position Encoding: Learning to Count What's Important")]
    [InlineData("?sort=citations&dir=asc", "Multi-matrix Factorization Attention", "H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models")] // unknown counts last
    [InlineData("?sort=date", "Tensor Product Attention Is All You Need", "Fast Transformer Decoding: One Write-Head is All You Need")]
    [InlineData("?sort=date&dir=asc", "Fast Transformer Decoding: One Write-Head is All You Need", "Tensor Product Attention Is All You Need")]
    [InlineData("?sort=title", "Contextual Position Encoding: Learning to Count What's Important", "Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation")]
    [InlineData("?sort=title&dir=desc", "Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation", "Contextual Position Encoding: Learning to Count What's Important")]
    [InlineData("?sort=nonsense", "Fast Transformer Decoding: One Write-Head is All You Need", "HydraLoRA: An Asymmetric LoRA Architecture for Efficient Fine-Tuning")]
    public async Task Topic_SortThroughQueryString_OrdersTheTable(string query, string first, string last)
    {
        var doc = await Html.GetOkAsync(_client, "/topics/attention" + query);
        var titles = doc.QuerySelectorAll("table.papers tbody .title-link").Select(a => a.Text()).ToList();
        Assert.Equal(21, titles.Count);
        Assert.Equal(first, titles[0]);
        if (query != "?sort=citations") Assert.Equal(last, titles[^1]);
        else Assert.Contains(last, titles);
    }

    [Fact]
    public async Task Topic_SortedColumnHeader_LinksToTheOtherDirection()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/attention?sort=citations");
        var header = doc.QuerySelector("th.col-citations")!;
        Assert.Equal("descending", header.GetAttribute("aria-sort"));
        Assert.Equal("/topics/attention?sort=citations&dir=asc", header.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Topic_KeywordLinks_LeadToKeywordPages()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/serving");
        var vllm = doc.QuerySelectorAll("table.papers tbody tr").Single(r => r.QuerySelector(".title-link").Text().StartsWith("Efficient Memory Management", StringComparison.Ordinal));
        var links = vllm.QuerySelectorAll(".chip").Select(a => (a.Text(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("vLLM", "/keywords/vllm"), ("PagedAttention", "/keywords/pagedattention")], links);
        var keyword = await Html.GetOkAsync(_client, "/keywords/pagedattention");
        Assert.Contains("PagedAttention", keyword.QuerySelector("h1").Text());
    }

    [Fact]
    public async Task Keyword_SharedByUnrelatedPapers_ListsEveryPaperWithItsTopic()
    {
        var doc = await Html.GetOkAsync(_client, "/keywords/onebit");
        var titles = doc.QuerySelectorAll("table.papers tbody .title-link").Select(a => a.Text()).ToList();
        Assert.Equal(2, titles.Count);
        Assert.Contains("OneBit: Towards Extremely Low-bit Large Language Models", titles);
        Assert.Contains("The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits", titles);
        Assert.All(doc.QuerySelectorAll("table.papers tbody .col-topic"), td => Assert.Equal("Quantization", td.Text()));
    }

    [Fact]
    public async Task Paper_ShowsEveryFactAndLink()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/flashattention");
        Assert.Equal("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", doc.QuerySelector("h1").Text());
        Assert.Equal("NeurIPS 2022", doc.QuerySelector(".venue-large").Text());
        var facts = doc.QuerySelectorAll(".facts > div").ToDictionary(d => d.QuerySelector("dt").Text(), d => d.QuerySelector("dd")!);
        Assert.Equal("Stanford, University at Buffalo", facts["Affiliation"].Text());
        Assert.Equal("May 2022", facts["Date"].Text());
        Assert.Equal("2022-05", facts["Date"].QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Equal("1,658 (as of 23 Jan 2025)", facts["Citations"].Text());
        Assert.Equal("/keywords/flashattention", facts["Keywords"].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/topics/attention", facts["Topic"].QuerySelector("a")!.GetAttribute("href"));
        var links = facts["Links"].QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("https://arxiv.org/abs/2205.14135", links);
        // The arXiv page once, named as what it is, not "pdf" and then again as "arXiv:…".
        Assert.Equal(links.Count, links.Distinct().Count());
        Assert.Equal(["arXiv:2205.14135", "code"], facts["Links"].QuerySelectorAll("a").Select(a => a.Text()));
    }

    [Fact]
    public async Task Paper_ShowsItsIntroRenderedFromMarkdown()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/smoothquant");
        var intro = doc.QuerySelector("#intro")!;
        Assert.Contains("Core Idea", intro.QuerySelectorAll("h2").Select(h => h.Text()));
        Assert.NotEmpty(intro.QuerySelectorAll(".math"));
        Assert.Empty(intro.QuerySelectorAll("h1")); // the title is the page's own h1
    }

    [Fact]
    public async Task Paper_LinksToPreviousAndNextInItsTopic()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/gqa");
        Assert.Equal("/papers/fast-transformer-decoding", doc.QuerySelector(".prev-next a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/papers/deepseek-v2", doc.QuerySelector(".prev-next a[rel=next]")!.GetAttribute("href"));
        var first = await Html.GetOkAsync(_client, "/papers/fast-transformer-decoding");
        Assert.Null(first.QuerySelector(".prev-next a[rel=prev]"));
    }

    [Theory]
    [InlineData("/topics/no-such-topic")]
    [InlineData("/papers/no-such-paper")]
    [InlineData("/keywords/no-such-keyword")]
    [InlineData("/no/such/page")]
    [InlineData("/papers/gqa/media/missing.svg")]
    public async Task UnknownAddress_Answers404WithAHelpfulPage(string url)
    {
        var (response, doc) = await Html.GetAsync(_client, url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("We could not find that page", doc.QuerySelector("h1").Text());
        Assert.Equal(6, doc.QuerySelectorAll("main .topic-nav a").Length);
        Assert.DoesNotContain("Exception", doc.Body!.TextContent);
    }

    [Theory]
    [InlineData("/papers/flashattention2", "/papers/flashattention")]
    [InlineData("/papers/FlashAttention-4", "/papers/flashattention-3")]
    [InlineData("/topics/quantisation", "/topics/quantization")]
    [InlineData("/keywords/stream", "/keywords/streamingllm")]
    public async Task MistypedAddress_404PageSuggestsWhatWasMeant(string url, string suggested)
    {
        var (response, doc) = await Html.GetAsync(_client, url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(suggested, doc.QuerySelectorAll(".suggestions a").Select(a => a.GetAttribute("href")));
    }

    [Theory]
    [InlineData("/topics/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/papers/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/topics/attention?sort=%3Cscript%3Ealert(1)%3C/script%3E&dir=%22onmouseover%3D")]
    [InlineData("/keywords/%F0%9F%98%80%E4%B8%AD%E6%96%87")]
    [InlineData("/papers/gqa/media/..%2F..%2Fcatalog.db")]
    public async Task HostileAddress_NeverAnswers500OrReflectsScript(string url)
    {
        var (response, doc) = await Html.GetAsync(_client, url);
        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
        Assert.Empty(doc.QuerySelectorAll("script:not([src])"));
        Assert.DoesNotContain(doc.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pages_CarryAStrictContentSecurityPolicy()
    {
        var response = await _client.GetAsync("/papers/gqa");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task StaticAssets_AreServedFromTheTopLevelWebRootWithVersionedUrls()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/gqa");
        var assets = doc.QuerySelectorAll("link[rel=stylesheet], script[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!).ToList();
        Assert.Contains(assets, a => a.StartsWith("/css/site.css?v=", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("/lib/katex/katex.min.js?v=", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            var response = await _client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task SmokeTest_EveryTopicPaperAndKeywordLinkAnswers200()
    {
        var seen = new HashSet<string>();
        var downloads = new HashSet<string>();
        var home = await Html.GetOkAsync(_client, "/");
        var queue = new Queue<string>(home.QuerySelectorAll(".topic-card a").Select(a => a.GetAttribute("href")!));
        while (queue.Count > 0)
        {
            var url = queue.Dequeue();
            if (!seen.Add(url)) continue;
            var doc = await Html.GetOkAsync(_client, url);
            foreach (var a in doc.QuerySelectorAll("main a[href^='/']"))
            {
                // A link that says it is no page (a feed, a citation download) must answer too, but is not crawled.
                if (a.GetAttribute("type") is { } type && type != "text/html")
                {
                    if (downloads.Add(a.GetAttribute("href")!)) Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(a.GetAttribute("href"))).StatusCode);
                    continue;
                }
                var href = a.GetAttribute("href")!.Split('#')[0].Split('?')[0];
                if (href.Length > 1 && !href.Contains("/media/") && !seen.Contains(href)) queue.Enqueue(href);
            }
        }
        Assert.Equal(62, seen.Count(u => u.StartsWith("/papers/", StringComparison.Ordinal)));
        Assert.Equal(6, seen.Count(u => u.StartsWith("/topics/", StringComparison.Ordinal)));
        Assert.True(seen.Count(u => u.StartsWith("/keywords/", StringComparison.Ordinal)) >= 25);
    }
}
