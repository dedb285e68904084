using System.Text;
using PaperCatalog.Citations;
using PaperCatalog.Keywords;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Topics;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Search;

namespace PaperCatalog.Web.Citations;

/// <summary>
/// Citation downloads (BibTeX, RIS, CSL-JSON) for one paper, a topic, a keyword, a search and the whole catalog. Public
/// GETs, so the output cache keeps them like the pages; the format is the URL's extension, anything else is a 404.
/// </summary>
public static class CitationEndpoints
{
    /// <summary>The most results a search exports (or a search feed looks through): ten of the largest result pages.</summary>
    public const int MaxSearchResults = 10 * SearchRequest.MaxPageSize;

    public static WebApplication MapCitations(this WebApplication app)
    {
        app.MapGet("/papers/{slug}/citation.{format}", async (string slug, string format, PaperQueries papers, CitationQueries citations, CancellationToken ct) =>
            CitationFormats.FromExtension(format) is { } f && await papers.GetPageAsync(slug, ct) is { } page
                ? await DownloadAsync(citations, f, [page.Paper], null, ct)
                : Results.NotFound());
        app.MapGet("/topics/{slug}/citations.{format}", async (string slug, string format, TopicQueries topics, CitationQueries citations, ExportGate gate, CancellationToken ct) =>
            CitationFormats.FromExtension(format) is { } f && await topics.GetPageAsync(slug, TopicSort.List, false, 1, ct) is { } topic
                ? Stream(gate, f, topic.Slug, citations.PartsAsync(topic.Slug, null, ct), ct)
                : Results.NotFound())
            .Streamed().RequireRateLimiting(RateLimitHosting.Export);
        app.MapGet("/keywords/{slug}/citations.{format}", async (string slug, string format, KeywordQueries keywords, CitationQueries citations, ExportGate gate, CancellationToken ct) =>
            CitationFormats.FromExtension(format) is { } f && await keywords.GetPageAsync(slug, 1, ct) is { } keyword
                ? Stream(gate, f, "keyword-" + keyword.Slug, citations.PartsAsync(null, keyword.Slug, ct), ct)
                : Results.NotFound())
            .Streamed().RequireRateLimiting(RateLimitHosting.Export);
        // At most MaxSearchResults papers, read by the search itself (one part); streamed like the others so no ETag buffers it.
        app.MapGet("/search/citations.{format}", async (string format, HttpRequest request, SearchQueries search, CitationQueries citations, ExportGate gate, CancellationToken ct) =>
            CitationFormats.FromExtension(format) is { } f
                ? Stream(gate, f, "search", new[] { await citations.CiteAsync(await AllResultsAsync(search, SearchEndpoints.ReadRequest(request.Query), ct), ct) }.ToAsyncEnumerable(), ct)
                : Results.NotFound())
            .Streamed().RequireRateLimiting(RateLimitHosting.Search);
        app.MapGet("/citations.{format}", (string format, CitationQueries citations, ExportGate gate, CancellationToken ct) =>
            CitationFormats.FromExtension(format) is { } f
                ? Stream(gate, f, "papercatalog", citations.PartsAsync(null, null, ct), ct)
                : Results.NotFound())
            .Streamed().RequireRateLimiting(RateLimitHosting.Export);
        return app;
    }

    /// <summary>
    /// The papers as a download named <paramref name="name"/> (one paper: its key), UTF-8 with the format's media type;
    /// ASP.NET Core writes the file name both plain and RFC 5987-encoded, so a slug in any script survives.
    /// </summary>
    private static async Task<IResult> DownloadAsync(CitationQueries citations, CitationFormat format, IReadOnlyList<PaperRow> papers, string? name, CancellationToken ct)
    {
        var cited = await citations.CiteAsync(papers, ct);
        var text = CitationFormats.Write(format, cited);
        var file = (name ?? cited[0].Key) + "." + CitationFormats.Extension(format);
        return Results.File(Encoding.UTF8.GetBytes(text), CitationFormats.MediaType(format) + "; charset=utf-8", file);
    }

    /// <summary>
    /// A list's citations as a download named <paramref name="name"/>, written part by part while the client reads
    /// (no Content-Length; the body is chunked and compressed as it goes), in a turn of the <see cref="ExportGate"/>.
    /// </summary>
    private static IResult Stream(ExportGate gate, CitationFormat format, string name, IAsyncEnumerable<IReadOnlyList<CitedPaper>> parts, CancellationToken ct) =>
        gate.Gated(Results.Stream(body => CitationFormats.WriteAsync(format, body, parts, ct),
            CitationFormats.MediaType(format) + "; charset=utf-8", name + "." + CitationFormats.Extension(format)));

    /// <summary>
    /// Every result of a search (in its order, up to <see cref="MaxSearchResults"/>) with the page's parameters; the
    /// page number is ignored, since an export or a feed is about the whole search.
    /// </summary>
    public static async Task<IReadOnlyList<PaperRow>> AllResultsAsync(SearchQueries search, SearchRequest request, CancellationToken ct)
    {
        var hits = new List<PaperRow>();
        for (var page = 1; hits.Count < MaxSearchResults; page++)
        {
            var results = await search.SearchAsync(request with { Page = page, PageSize = SearchRequest.MaxPageSize }, ct);
            hits.AddRange(results.Hits);
            if (results.Hits.Count == 0 || page >= results.PageCount) break;
        }
        return hits;
    }
}
