namespace PaperCatalog.Web.Crawlers;

/// <summary>Configuration section <c>Sitemap</c> (environment: <c>Sitemap__UrlsPerFile</c>).</summary>
public sealed class SitemapOptions
{
    /// <summary>
    /// Most addresses in one sitemap file; past it <c>/sitemap.xml</c> is a sitemap index of files of this many. The
    /// protocol allows 50,000, but an address takes about 150 bytes as written, so a file of 50,000 would be 7 MB: more
    /// than the output cache keeps (1 MB, <see cref="Hosting.CachingHosting"/>), rendered again for every crawler. 5,000
    /// keeps each file near 0.75 MB, cached.
    /// </summary>
    public int UrlsPerFile { get; set; } = 5_000;
}
