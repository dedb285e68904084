using System.Globalization;
using PaperCatalog.Search;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Search;

/// <summary>Search as JSON, with the same parameters (and answers) as the /search page.</summary>
public static class SearchEndpoints
{
    public static WebApplication MapSearchApi(this WebApplication app)
    {
        app.MapGet("/api/search", async (HttpRequest request, Semantic.HybridSearch search, Papers.PaperQueries papers, CancellationToken ct) =>
        {
            var asked = ReadRequest(request.Query);
            // The paper an arXiv id, DOI or link names (the /search page goes straight there).
            var named = await papers.SlugForIdentifierAsync(asked.Q, ct);
            var results = await search.SearchAsync(asked, ct);
            return Results.Json(new
            {
                query = results.Query.Text,
                paper = named is null ? null : PaperUrls.Paper(named),
                correctedFrom = results.CorrectedFrom,
                notice = results.Query.Notice,
                total = results.Total,
                page = results.Page,
                pageCount = results.PageCount,
                pageSize = results.Request.PageSize,
                results = results.Hits.Select(h => new
                {
                    slug = h.Slug,
                    url = PaperUrls.Paper(h.Slug),
                    title = h.Title,
                    titleHtml = h.TitleHtml,
                    snippetHtml = h.SnippetHtml,
                    topic = new { slug = h.TopicSlug, name = h.TopicName },
                    keywords = h.Keywords.Select(k => k.Name),
                    venue = h.Venue,
                    affiliation = h.Affiliation,
                    published = h.Published,
                    citations = h.Citations,
                    pdf = h.PdfUrl,
                }),
                facets = new { topics = results.Topics, years = results.Years, venues = results.Venues },
                suggestions = results.Suggestions.Select(s => new { query = s.Query, term = s.Term, url = Url(results.Request with { Q = s.Query, Page = 1 }) }),
            });
        }).RequireRateLimiting(RateLimitHosting.Search);
        return app;
    }

    /// <summary>Reads the search parameters leniently: a value that does not parse is ignored, never an error.</summary>
    public static SearchRequest ReadRequest(IQueryCollection query)
    {
        static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Length > 200 ? s[..200] : s;
        return new SearchRequest
        {
            Q = query["q"].ToString() is { Length: > 0 } q ? (q.Length > 4 * SearchQuery.MaxLength ? q[..(4 * SearchQuery.MaxLength)] : q) : null,
            Topic = Text(query["topic"]),
            From = Int(query["from"]),
            To = Int(query["to"]),
            Venue = Text(query["venue"]),
            Sort = Enum.TryParse<SearchSort>(query["sort"], ignoreCase: true, out var sort) && Enum.IsDefined(sort) ? sort : SearchSort.Relevance,
            Page = Int(query["page"]) ?? 1,
            Exact = query["exact"] == "1",
        };
    }

    /// <summary>The /search URL for a request; only what differs from the defaults is written.</summary>
    public static string Url(SearchRequest r)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add(key + "=" + Uri.EscapeDataString(value));
        }
        Add("q", r.Q);
        Add("topic", r.Topic);
        Add("from", r.From?.ToString(CultureInfo.InvariantCulture));
        Add("to", r.To?.ToString(CultureInfo.InvariantCulture));
        Add("venue", r.Venue);
        if (r.Sort != SearchSort.Relevance) Add("sort", r.Sort.ToString().ToLowerInvariant());
        if (r.Page > 1) Add("page", r.Page.ToString(CultureInfo.InvariantCulture));
        if (r.Exact) Add("exact", "1");
        return parts.Count == 0 ? "/search" : "/search?" + string.Join('&', parts);
    }
}
