using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using PaperCatalog.Citations;
using PaperCatalog.Testing;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Exports;

/// <summary>
/// What readers and their tools take away from the bundled site over real HTTP: citation downloads, the metadata
/// Zotero and Google Scholar read on a paper page, Atom feeds, the sitemap, robots.txt and the OpenSearch description.
/// </summary>
[Collection(BundledSiteCollection.Name)]
public sealed class ExportTests(CatalogFactory factory)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly HttpClient _client = factory.CreateReader();

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("bib", "application/x-bibtex")]
    [InlineData("ris", "application/x-research-info-systems")]
    [InlineData("json", "application/vnd.citationstyles.csl+json")]
    public async Task PaperCitation_IsADownloadWithItsMediaTypeAndTheKeyAsFileName(string extension, string mediaType)
    {
        var (response, _) = await GetAsync("/papers/gqa/citation." + extension);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("ainslie2023gqa." + extension, response.Content.Headers.ContentDisposition.FileName);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task PaperBibTex_IsAnInproceedingsWithAuthorsAndArxivEprint()
    {
        var entry = Assert.Single(BibTexParser.Parse((await GetAsync("/papers/gqa/citation.bib")).Body));
        Assert.Equal(("inproceedings", "ainslie2023gqa"), (entry.Type, entry.Key));
        Assert.Equal("GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints", BibTexParser.Text(entry.Fields["title"]));
        Assert.StartsWith("Joshua Ainslie and James Lee-Thorp and ", entry.Fields["author"]);
        Assert.Equal("EMNLP 2023", entry.Fields["booktitle"]);
        Assert.Equal(("2305.13245", "arXiv"), (entry.Fields["eprint"], entry.Fields["archiveprefix"]));
    }

    [Fact]
    public async Task ListExports_CarryEveryPaperOfTheirPage_WithTheSameKeysAsThePaperExports()
    {
        var topic = BibTexParser.Parse((await GetAsync("/topics/attention/citations.bib")).Body);
        Assert.Equal(21, topic.Count);
        Assert.Contains(topic, e => e.Key == "ainslie2023gqa");
        var catalog = BibTexParser.Parse((await GetAsync("/citations.bib")).Body);
        Assert.Equal(62, catalog.Count);
        Assert.Equal(62, catalog.Select(e => e.Key).Distinct().Count());
        var keywordPage = await Html.GetOkAsync(_client, "/keywords/onebit");
        var keyword = BibTexParser.Parse((await GetAsync("/keywords/onebit/citations.bib")).Body);
        Assert.Equal(keywordPage.QuerySelectorAll("table.papers tbody tr").Length, keyword.Count);
        using var search = JsonDocument.Parse((await GetAsync("/search/citations.json?q=attention&topic=attention")).Body);
        using var api = JsonDocument.Parse((await GetAsync("/api/search?q=attention&topic=attention")).Body);
        Assert.Equal(api.RootElement.GetProperty("total").GetInt64(), search.RootElement.GetArrayLength());
        Assert.All(search.RootElement.EnumerateArray(), item => Assert.Contains(item.GetProperty("id").GetString(), catalog.Select(e => e.Key)));
        var (ris, _) = await GetAsync("/topics/attention/citations.ris");
        Assert.Equal("attention.ris", ris.Content.Headers.ContentDisposition!.FileName);
    }

    [Theory]
    [InlineData("bib")]
    [InlineData("ris")]
    [InlineData("json")]
    public async Task CatalogExport_IsByteForByteTheBufferedWritersOutput(string extension)
    {
        var response = await _client.GetAsync("/citations." + extension);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await StreamedExportTests.BufferedAsync(factory, CitationFormats.FromExtension(extension)!.Value, null, null);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/papers/gqa/citation.pdf")]
    [InlineData("/papers/no-such-paper/citation.bib")]
    [InlineData("/topics/no-such-topic/citations.ris")]
    [InlineData("/keywords/no-such-keyword/feed.atom")]
    [InlineData("/citations.exe")]
    public async Task UnknownFormatOrSlug_IsA404(string url)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task PaperPage_HasTheTagsZoteroEmbeddedMetadataAndScholarRead()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/gqa");
        string? Meta(string name) => doc.Head!.QuerySelector($"meta[name='{name}'], meta[property='{name}']")?.GetAttribute("content");
        List<string> All(string name) => doc.Head!.QuerySelectorAll($"meta[name='{name}']").Select(m => m.GetAttribute("content")!).ToList();
        // The field names of Zotero's Embedded Metadata translator (Highwire Press, then Dublin Core and Open Graph).
        Assert.Equal("GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints", Meta("citation_title"));
        Assert.Equal(["Joshua Ainslie", "James Lee-Thorp", "Michiel de Jong", "Yury Zemlyanskiy", "Federico Lebrón", "Sumit Sanghai"], All("citation_author"));
        Assert.Equal("2023/05", Meta("citation_publication_date"));
        Assert.Equal("2023/05", Meta("citation_date"));
        Assert.Equal("EMNLP 2023", Meta("citation_conference_title"));
        Assert.Equal("https://arxiv.org/pdf/2305.13245", Meta("citation_pdf_url"));
        Assert.Equal("2305.13245", Meta("citation_arxiv_id"));
        Assert.Equal("http://localhost/papers/gqa", Meta("citation_abstract_html_url"));
        Assert.Equal(All("citation_author"), All("DC.creator"));
        Assert.Equal("2023-05", Meta("DC.date"));
        Assert.Equal("article", Meta("og:type"));
        Assert.Equal(Meta("citation_title"), Meta("og:title"));
        Assert.Equal("http://localhost/papers/gqa", Meta("og:url"));
        Assert.Equal("summary", Meta("twitter:card"));
        Assert.Equal("http://localhost/papers/gqa", doc.Head!.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        // The description is the intro's first paragraph as text: no TeX, no markup.
        var description = Meta("description")!;
        Assert.StartsWith("Multi-query attention makes decoding much faster", description);
        Assert.Equal(description, Meta("og:description"));
        Assert.Equal(description, Meta("twitter:description"));
    }

    [Fact]
    public async Task PaperPage_JsonLdIsOneScholarlyArticleWithTheSameFacts()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/gqa");
        var script = Assert.Single(doc.QuerySelectorAll("script[type='application/ld+json']"));
        Assert.Equal("head", script.ParentElement!.LocalName);
        using var json = JsonDocument.Parse(script.TextContent);
        var article = json.RootElement;
        Assert.Equal("https://schema.org", article.GetProperty("@context").GetString());
        Assert.Equal("ScholarlyArticle", article.GetProperty("@type").GetString());
        Assert.Equal("GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints", article.GetProperty("name").GetString());
        Assert.Equal("Joshua Ainslie", article.GetProperty("author")[0].GetProperty("name").GetString());
        Assert.Equal("2023-05", article.GetProperty("datePublished").GetString());
        Assert.Equal("https://arxiv.org/abs/2305.13245", article.GetProperty("sameAs")[0].GetString());
    }

    [Fact]
    public async Task PaperPage_CiteBlockShowsTheBibTexEntry_WithDownloads_AndTheCopyButtonOnlyForScript()
    {
        var doc = await Html.GetOkAsync(_client, "/papers/gqa");
        var cite = doc.QuerySelector("section.cite")!;
        var entry = Assert.Single(BibTexParser.Parse(cite.QuerySelector("pre")!.TextContent));
        Assert.Equal("ainslie2023gqa", entry.Key);
        Assert.Equal(["/papers/gqa/citation.bib", "/papers/gqa/citation.ris", "/papers/gqa/citation.json"],
            cite.QuerySelectorAll("a[download]").Select(a => a.GetAttribute("href")));
        // Hidden until js/cite.js finds a clipboard; the script is the site's own file (the CSP allows no inline script).
        Assert.True(cite.QuerySelector("button[data-copy-target='cite-bibtex']")!.HasAttribute("hidden"));
        Assert.Contains(doc.QuerySelectorAll("script[src]"), s => s.GetAttribute("src")!.StartsWith("/js/cite.js?v=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/js/cite.js")).StatusCode);
    }

    [Theory]
    [InlineData("/topics/attention", "/topics/attention/feed.atom", "/topics/attention/citations.bib")]
    [InlineData("/keywords/onebit", "/keywords/onebit/feed.atom", "/keywords/onebit/citations.bib")]
    [InlineData("/search?q=attention&sort=date&page=2", "/search/feed.atom?q=attention&sort=date", "/search/citations.bib?q=attention&sort=date")]
    [InlineData("/", "/feed.atom", "/citations.bib")]
    public async Task ListPages_AnnounceTheirFeedInTheHead_AndLinkTheirFeedAndCitations(string page, string feed, string bibtex)
    {
        var doc = await Html.GetOkAsync(_client, page);
        Assert.Contains(feed, doc.Head!.QuerySelectorAll("link[rel=alternate][type='application/atom+xml']").Select(l => l.GetAttribute("href")));
        var links = doc.QuerySelectorAll(".export-links a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(feed, links);
        Assert.Contains(bibtex, links);
    }

    [Theory]
    [InlineData("/feed.atom", 50)]
    [InlineData("/topics/attention/feed.atom", 21)]
    [InlineData("/keywords/onebit/feed.atom", -1)]
    [InlineData("/search/feed.atom?q=attention", -1)]
    public async Task Feeds_AreWellFormedAtom_WithTheRequiredElementsAndUniqueIds(string url, int entries)
    {
        var (response, body) = await GetAsync(url);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(body).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.False(string.IsNullOrWhiteSpace(feed.Element(Atom + "title")?.Value));
        Assert.True(Uri.IsWellFormedUriString(feed.Element(Atom + "id")?.Value, UriKind.Absolute));
        Assert.True(DateTimeOffset.TryParse(feed.Element(Atom + "updated")?.Value, out _));
        Assert.Equal("http://localhost" + url, feed.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
        var items = feed.Elements(Atom + "entry").ToList();
        if (entries >= 0) Assert.Equal(entries, items.Count);
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, items.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
        var hasFeedAuthor = feed.Element(Atom + "author") is not null;
        foreach (var entry in items)
        {
            Assert.StartsWith("http://localhost/papers/", entry.Element(Atom + "id")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(Atom + "title")?.Value));
            Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")?.Value, out _));
            Assert.True(hasFeedAuthor || entry.Element(Atom + "author") is not null);
            Assert.Equal(entry.Element(Atom + "id")!.Value, entry.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value);
            var content = entry.Element(Atom + "content");
            if (content is not null) Assert.Equal("html", (string?)content.Attribute("type"));
        }
        // Newest first: each feed's query walks its index in that order and stops at the feed's size (migration 0017).
        var updated = items.Select(e => DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(updated.OrderByDescending(u => u), updated);
    }

    [Fact]
    public async Task Sitemap_ListsHomeEveryTopicEveryPaperAndKeywords_EachWithLastmod()
    {
        var (response, body) = await GetAsync("/sitemap.xml");
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = XDocument.Parse(body).Root!.Elements(ns + "url").ToList();
        var locs = urls.Select(u => u.Element(ns + "loc")!.Value).ToList();
        Assert.Equal(locs.Count, locs.Distinct().Count());
        Assert.Contains("http://localhost/", locs);
        Assert.Equal(6, locs.Count(l => l.StartsWith("http://localhost/topics/", StringComparison.Ordinal)));
        Assert.Equal(62, locs.Count(l => l.StartsWith("http://localhost/papers/", StringComparison.Ordinal)));
        Assert.Contains("http://localhost/keywords/onebit", locs);
        Assert.All(urls, u => Assert.True(DateTimeOffset.TryParse(u.Element(ns + "lastmod")?.Value, out _), u.ToString()));
        Assert.DoesNotContain(locs, l => l.Contains("/admin", StringComparison.Ordinal) || l.Contains("/search", StringComparison.Ordinal) || l.Contains('?'));
    }

    [Fact]
    public async Task Robots_KeepsCrawlersOutOfAdminStatusLinksAndSearch_AndPointsAtTheSitemap()
    {
        var (response, body) = await GetAsync("/robots.txt");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var disallowed = body.Split('\n').Where(l => l.StartsWith("Disallow:", StringComparison.Ordinal)).Select(l => l["Disallow:".Length..].Trim()).ToList();
        Assert.Contains("/admin", disallowed);
        Assert.Contains("/submissions/", disallowed);
        Assert.Contains("/search", disallowed);
        Assert.Contains("/*?sort=", disallowed);
        Assert.DoesNotContain(disallowed, d => d is "/" or "/papers" or "/topics");
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", body.Split('\n'));
    }

    [Fact]
    public async Task OpenSearch_DescribesTheSearchPage_AndEveryPageLinksIt()
    {
        var (response, body) = await GetAsync("/opensearch.xml");
        Assert.Equal("application/opensearchdescription+xml", response.Content.Headers.ContentType!.MediaType);
        XNamespace ns = "http://a9.com/-/spec/opensearch/1.1/";
        var root = XDocument.Parse(body).Root!;
        Assert.Equal(ns + "OpenSearchDescription", root.Name);
        Assert.True(root.Element(ns + "ShortName")!.Value.Length <= 16);
        Assert.Equal("http://localhost/search?q={searchTerms}", root.Elements(ns + "Url").Single(u => (string?)u.Attribute("type") == "text/html").Attribute("template")!.Value);
        foreach (var page in new[] { "/", "/papers/gqa", "/search?q=x", "/submit", "/no-such-page" })
        {
            var (_, doc) = await Html.GetAsync(_client, page);
            Assert.Equal("/opensearch.xml", doc.Head!.QuerySelector("link[rel=search][type='application/opensearchdescription+xml']")?.GetAttribute("href"));
        }
    }
}
