using System.Xml.Linq;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Exports;

/// <summary>Feeds and the sitemap of a catalog too big for one answer of each: they stay cached, and nothing is lost.</summary>
[Collection(GeneratedSiteCollection.Name)]
public sealed class LargeCatalogExportTests(GeneratedSite generated)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private readonly HttpClient _client = generated.Site.CreateReader();

    [Fact]
    public async Task Feed_OfManyLongIntros_StaysUnderTheOutputCachesLimit_AndIsServedFromIt()
    {
        var first = await _client.GetAsync("/feed.atom");
        var bytes = await first.Content.ReadAsByteArrayAsync();
        // 20 intros of 60 KB would be 1.2 MB in full: the feed carries as many in full as its budget allows.
        Assert.InRange(bytes.Length, 1, 1024 * 1024);
        var entries = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(GeneratedSite.Papers.Count, entries.Count);
        var full = entries.Count(e => e.Element(Atom + "content") is not null);
        Assert.InRange(full, 1, GeneratedSite.Papers.Count(p => p.LongIntro) - 1);
        // Every long intro still has its summary and link, so a reader loses nothing but the inline text.
        Assert.All(entries, e => Assert.NotNull(e.Element(Atom + "link")));
        var second = await _client.GetAsync("/feed.atom");
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(bytes, await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Sitemap_PastItsFileLimit_IsAnIndexOfFiles_ThatListEveryAddressOnce()
    {
        var index = XDocument.Parse(await _client.GetStringAsync("/sitemap.xml")).Root!;
        Assert.Equal(Sitemaps + "sitemapindex", index.Name);
        var files = index.Elements(Sitemaps + "sitemap").Select(s => new Uri(s.Element(Sitemaps + "loc")!.Value).AbsolutePath).ToList();
        var total = 1 + GeneratedSite.Topics.Length + GeneratedSite.Keywords.Length + GeneratedSite.Papers.Count;
        Assert.Equal((total + GeneratedSite.SitemapUrlsPerFile - 1) / GeneratedSite.SitemapUrlsPerFile, files.Count);
        var addresses = new List<string>();
        foreach (var file in files)
        {
            var set = XDocument.Parse(await _client.GetStringAsync(file)).Root!;
            Assert.Equal(Sitemaps + "urlset", set.Name);
            var urls = set.Elements(Sitemaps + "url").ToList();
            Assert.InRange(urls.Count, 1, GeneratedSite.SitemapUrlsPerFile);
            Assert.All(urls, u => Assert.NotNull(u.Element(Sitemaps + "lastmod")));
            addresses.AddRange(urls.Select(u => new Uri(u.Element(Sitemaps + "loc")!.Value).AbsolutePath));
        }
        Assert.Equal(total, addresses.Count);
        Assert.Equal(total, addresses.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("/", addresses);
        Assert.Contains("/papers/generated-paper-35", addresses);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _client.GetAsync($"/sitemaps/{files.Count + 1}.xml")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _client.GetAsync("/sitemaps/0.xml")).StatusCode);
    }
}
