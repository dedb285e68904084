using System.Text;
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
        app.MapGet(PaperUrls.Sitemap, async (HttpContext context, FeedQueries feeds, PublicUrls urls, CancellationToken ct) =>
        {
            var pages = await feeds.SitemapAsync(ct);
            return XmlAnswer.Of("application/xml", writer =>
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
}
