using System.ServiceModel.Syndication;
using System.Xml;
using PaperCatalog.Data;
using PaperCatalog.Feeds;
using PaperCatalog.Keywords;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Topics;
using PaperCatalog.Web.Citations;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Pages.Shared;
using PaperCatalog.Web.Search;

namespace PaperCatalog.Web.Feeds;

/// <summary>
/// Atom feeds of new and updated papers: site-wide, per topic, per keyword and per search, written by
/// System.ServiceModel.Syndication. An entry's id is the paper's canonical URL (stable: a paper keeps its address across
/// imports), its updated time the store's, its content the intro as rendered and sanitised for the paper page.
/// Public GETs, so the output cache keeps them like the pages.
/// </summary>
public static class FeedEndpoints
{
    public const string MediaType = "application/atom+xml";

    /// <summary>
    /// How much intro HTML one feed carries, counted as written (UTF-8, with the XML escapes of its markup). The output
    /// cache keeps answers up to 1 MB (<see cref="CachingHosting"/>); 50 full 64 KB intros would be three times that, and
    /// a feed over it would be rendered again for every poll. Entries past the budget carry their summary and link only,
    /// which Atom allows; the rest of a feed (50 titles, authors, keywords, summaries within the forms' limits) stays far
    /// below the other half megabyte.
    /// </summary>
    public const int ContentBudget = 512 * 1024;

    public static WebApplication MapFeeds(this WebApplication app)
    {
        app.MapGet(PaperUrls.Feed, async (HttpContext context, FeedQueries feeds, CancellationToken ct) =>
            Atom(context, PaperUrls.Feed, "PaperCatalog: new and updated papers", await feeds.LatestAsync(null, null, ct)));
        app.MapGet("/topics/{slug}/feed.atom", async (string slug, HttpContext context, TopicQueries topics, FeedQueries feeds, CancellationToken ct) =>
            await topics.GetPageAsync(slug, TopicSort.List, false, 1, ct) is { } topic
                ? Atom(context, PaperUrls.TopicFeed(topic.Slug), $"PaperCatalog: {topic.Name}", await feeds.LatestAsync(topic.Slug, null, ct))
                : Results.NotFound());
        app.MapGet("/keywords/{slug}/feed.atom", async (string slug, HttpContext context, KeywordQueries keywords, FeedQueries feeds, CancellationToken ct) =>
            await keywords.GetPageAsync(slug, 1, ct) is { } keyword
                ? Atom(context, PaperUrls.KeywordFeed(keyword.Slug), $"PaperCatalog: papers with keyword {keyword.Name}", await feeds.LatestAsync(null, keyword.Slug, ct))
                : Results.NotFound());
        app.MapGet("/search/feed.atom", async (HttpContext context, SearchQueries search, FeedQueries feeds, CancellationToken ct) =>
        {
            var request = SearchEndpoints.ReadRequest(context.Request.Query) with { Page = 1 };
            var hits = await CitationEndpoints.AllResultsAsync(search, request, ct);
            var url = SearchEndpoints.Url(request);
            return Atom(context, ExportLinks.ForSearch(url).Feed, "PaperCatalog: search for " + (request.Q ?? "every paper"), await feeds.LatestAmongAsync(hits.Select(h => h.Slug), ct), url);
        }).RequireRateLimiting(RateLimitHosting.Search);
        return app;
    }

    /// <summary>The feed at <paramref name="self"/>, about the page at <paramref name="page"/> (the feed's own page without "/feed.atom").</summary>
    private static IResult Atom(HttpContext context, string self, string title, IReadOnlyList<FeedEntry> entries, string? page = null)
    {
        var urls = context.RequestServices.GetRequiredService<PublicUrls>();
        string Absolute(string path) => urls.Absolute(context.Request, path);
        var alternate = page ?? (self == PaperUrls.Feed ? "/" : self[..^"/feed.atom".Length]);
        var feed = new SyndicationFeed(Clean(title), null, new Uri(Absolute(alternate)))
        {
            Id = Absolute(self),
            // An empty feed has changed never: a fixed time keeps its bytes (and its ETag) the same until a paper arrives.
            LastUpdatedTime = entries.Count == 0 ? DateTimeOffset.UnixEpoch : entries.Max(e => Timestamps.Parse(e.UpdatedAt)),
            Generator = "PaperCatalog",
            BaseUri = new Uri(Absolute("/")),
        };
        feed.Links.Add(new SyndicationLink(new Uri(Absolute(self)), "self", Clean(title), MediaType, 0));
        // Atom needs an author for every entry; papers whose authors are unknown inherit the catalog's.
        feed.Authors.Add(new SyndicationPerson { Name = "PaperCatalog" });
        var budget = ContentBudget;
        var items = new List<SyndicationItem>(entries.Count);
        foreach (var entry in entries) items.Add(Entry(entry, Absolute, ref budget));
        feed.Items = items;
        return XmlAnswer.Of(MediaType, writer => new Atom10FeedFormatter(feed).WriteTo(writer));
    }

    /// <summary>One entry; its intro is included while <paramref name="budget"/> (bytes as written) allows, newest entries first.</summary>
    private static SyndicationItem Entry(FeedEntry paper, Func<string, string> absolute, ref int budget)
    {
        var url = absolute(PaperUrls.Paper(paper.Slug));
        var item = new SyndicationItem
        {
            Id = url,
            Title = new TextSyndicationContent(Clean(paper.Title)),
            LastUpdatedTime = Timestamps.Parse(paper.UpdatedAt),
            PublishDate = Timestamps.Parse(paper.AddedAt),
        };
        item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(url), "text/html"));
        foreach (var author in paper.Authors) item.Authors.Add(new SyndicationPerson { Name = Clean(author) });
        item.Categories.Add(new SyndicationCategory(paper.TopicSlug, absolute(PaperUrls.Topic(paper.TopicSlug)), Clean(paper.TopicName)));
        foreach (var keyword in paper.Keywords) item.Categories.Add(new SyndicationCategory(keyword.Slug, absolute(PaperUrls.Keyword(keyword.Slug)), Clean(keyword.Name)));
        if (IntroSummary.FirstParagraph(paper.IntroHtml) is { } summary) item.Summary = new TextSyndicationContent(Clean(summary));
        if (paper.IntroHtml is not null && WrittenSize(paper.IntroHtml) is var size && size <= budget)
        {
            item.Content = SyndicationContent.CreateHtmlContent(Clean(paper.IntroHtml));
            budget -= size;
        }
        return item;
    }

    /// <summary>The bytes HTML takes inside an Atom <c>content type="html"</c>: UTF-8, with &lt; &gt; &amp; escaped.</summary>
    internal static int WrittenSize(string html)
    {
        var escapes = 0;
        foreach (var c in html) escapes += c switch { '<' or '>' => 3, '&' => 4, _ => 0 };
        return System.Text.Encoding.UTF8.GetByteCount(html) + escapes;
    }

    /// <summary>
    /// Text without the characters XML cannot hold (most C0 controls, lone surrogates): a query or a stored field may
    /// carry one, and the XML writer would throw on it.
    /// </summary>
    internal static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) sb.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) sb.Append(text, i++, 2);
        }
        return sb.ToString();
    }
}
