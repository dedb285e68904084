using System.Text;
using Microsoft.Extensions.Options;
using PaperCatalog.Feeds;
using PaperCatalog.Web.Feeds;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Crawlers;

/// <summary>
/// What crawlers and browsers ask a site for: <c>/sitemap.xml</c> (every public page with its last change),
/// <c>/robots.txt</c> (keeps crawlers out of the moderators' pages, private status links and the endless permutations of
/// search and sorting) and an OpenSearch description, so a browser can search the catalog from its address bar.
/// Public GETs, so the output cache keeps them like the pages.
/// </summary>
public static class CrawlerEndpoints
{
    public const string OpenSearchMediaType = "application/opensearchdescription+xml";
    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static WebApplication MapCrawlerFiles(this WebApplication app)
    {
        // One file while everything fits in one; past that an index of numbered files (sitemaps.org: "Using Sitemap index files").
        app.MapGet(PaperUrls.Sitemap, async (HttpContext context, FeedQueries feeds, PublicUrls urls, IOptions<SitemapOptions> options, CancellationToken ct) =>
        {
            var perFile = PerFile(options);
            var total = await feeds.SitemapCountAsync(ct);
            if (total <= perFile) return UrlSet(context, urls, await feeds.SitemapAsync(0, perFile, ct));
            var files = (total + perFile - 1) / perFile;
            return XmlAnswer.Of("application/xml", writer =>
            {
                writer.WriteStartElement("sitemapindex", SitemapNamespace);
                for (var n = 1; n <= files; n++)
                {
                    writer.WriteStartElement("sitemap", SitemapNamespace);
                    writer.WriteElementString("loc", SitemapNamespace, urls.Absolute(context.Request, PaperUrls.SitemapFile(n)));
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
            });
        });
        app.MapGet("/sitemaps/{number:int}.xml", async (int number, HttpContext context, FeedQueries feeds, PublicUrls urls, IOptions<SitemapOptions> options, CancellationToken ct) =>
        {
            var perFile = PerFile(options);
            var total = await feeds.SitemapCountAsync(ct);
            // Numbered files exist only while the sitemap is an index; file 1 of a one-file sitemap is /sitemap.xml itself.
            if (total <= perFile || number < 1 || (long)(number - 1) * perFile >= total) return Results.NotFound();
            return UrlSet(context, urls, await feeds.SitemapAsync((long)(number - 1) * perFile, perFile, ct));
        });
        app.MapGet(PaperUrls.Robots, (HttpContext context, PublicUrls urls) => Results.Text(
            $"""
            # Moderators' pages, private submission status links, the submission form, and search and sort permutations
            # (every paper is reachable from the sitemap and the topic pages) are not for crawling.
            User-agent: *
            Disallow: /admin
            Disallow: /submissions/
            Disallow: /submit
            Disallow: /search
            Disallow: /api/
            Disallow: /*?sort=
            Disallow: /*&sort=

            Sitemap: {urls.Absolute(context.Request, PaperUrls.Sitemap)}

            """, "text/plain", Encoding.UTF8));
        app.MapGet(PaperUrls.OpenSearch, (HttpContext context, PublicUrls urls) =>
        {
            const string ns = "http://a9.com/-/spec/opensearch/1.1/";
            return XmlAnswer.Of(OpenSearchMediaType, writer =>
            {
                writer.WriteStartElement("OpenSearchDescription", ns);
                writer.WriteElementString("ShortName", ns, "PaperCatalog");
                writer.WriteElementString("Description", ns, "Search the papers of this catalog by title, keyword, author and intro.");
                writer.WriteElementString("InputEncoding", ns, "UTF-8");
                writer.WriteStartElement("Image", ns);
                writer.WriteAttributeString("type", "image/svg+xml");
                writer.WriteString(urls.Absolute(context.Request, "/favicon.svg"));
                writer.WriteEndElement();
                foreach (var (type, path) in new[] { ("text/html", "/search"), (FeedEndpoints.MediaType, PaperUrls.SearchFeed("")) })
                {
                    writer.WriteStartElement("Url", ns);
                    writer.WriteAttributeString("type", type);
                    writer.WriteAttributeString("method", "get");
                    writer.WriteAttributeString("template", urls.Absolute(context.Request, path) + "?q={searchTerms}");
                    writer.WriteEndElement();
                }
                writer.WriteStartElement("Url", ns);
                writer.WriteAttributeString("type", OpenSearchMediaType);
                writer.WriteAttributeString("rel", "self");
                writer.WriteAttributeString("template", urls.Absolute(context.Request, PaperUrls.OpenSearch));
                writer.WriteEndElement();
                writer.WriteEndElement();
            });
        });
        return app;
    }

    /// <summary>The sitemap's options (<see cref="SitemapOptions"/>).</summary>
    public static WebApplicationBuilder AddCrawlerFiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SitemapOptions>().BindConfiguration("Sitemap");
        return builder;
    }

    /// <summary>Addresses per file, within what the protocol allows whatever the configuration says.</summary>
    private static int PerFile(IOptions<SitemapOptions> options) => Math.Clamp(options.Value.UrlsPerFile, 1, FeedQueries.MaxSitemapEntries);

    private static IResult UrlSet(HttpContext context, PublicUrls urls, IReadOnlyList<SitemapEntry> pages) =>
        XmlAnswer.Of("application/xml", writer =>
        {
            writer.WriteStartElement("urlset", SitemapNamespace);
            foreach (var page in pages)
            {
                writer.WriteStartElement("url", SitemapNamespace);
                writer.WriteElementString("loc", SitemapNamespace, urls.Absolute(context.Request, page.Path));
                // W3C datetime; the store's timestamps already are (UTC, to the second).
                if (page.LastModified is not null) writer.WriteElementString("lastmod", SitemapNamespace, page.LastModified);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        });
}
