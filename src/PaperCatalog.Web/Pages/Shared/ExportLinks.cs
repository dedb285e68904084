using PaperCatalog.Citations;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>
/// What a list page offers to take away: its Atom feed and its papers as citations. <see cref="Feed"/> is also what the
/// layout announces for feed autodiscovery (<c>ViewData["Feed"]</c>).
/// </summary>
/// <param name="What">What the list is, for link text ("this topic", "these results").</param>
public sealed record ExportLinks(string What, string Feed, Func<CitationFormat, string> Citations)
{
    /// <summary>The key under which a page hands its links to the layout, which announces the feed in the head.</summary>
    public const string ViewDataKey = "ExportLinks";

    public static ExportLinks ForTopic(string slug) => new("this topic", PaperUrls.TopicFeed(slug), f => PaperUrls.TopicCitations(slug, f));
    public static ExportLinks ForKeyword(string slug) => new("this keyword", PaperUrls.KeywordFeed(slug), f => PaperUrls.KeywordCitations(slug, f));
    public static ExportLinks ForCatalog() => new("the whole catalog", PaperUrls.Feed, PaperUrls.CatalogCitations);

    /// <summary>A search's links; <paramref name="searchUrl"/> is the search page's own URL (<c>/search?q=...</c>).</summary>
    public static ExportLinks ForSearch(string searchUrl)
    {
        var query = searchUrl.Contains('?', StringComparison.Ordinal) ? searchUrl[searchUrl.IndexOf('?', StringComparison.Ordinal)..] : "";
        return new("these results", PaperUrls.SearchFeed(query), f => PaperUrls.SearchCitations(query, f));
    }
}
