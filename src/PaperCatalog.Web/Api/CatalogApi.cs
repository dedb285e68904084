using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PaperCatalog.Keywords;
using PaperCatalog.Papers;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Api;

/// <summary>A paper as the JSON API gives it.</summary>
public sealed record ApiPaper(
    string Slug, string Url, string Title, string? Venue, string? Pdf, string? Code, IReadOnlyList<string> Authors, string? ArxivId,
    string? Affiliation, string? Published, long? Citations, ApiTopicLink Topic, IReadOnlyList<ApiKeywordLink> Keywords, bool HasIntro)
{
    public static ApiPaper Of(PaperRow p) => new(
        p.Slug, PaperUrls.Paper(p.Slug), p.Title, p.Venue, p.PdfUrl, p.CodeUrl, p.Authors, p.ArxivId, p.Affiliation, p.Published, p.Citations,
        new ApiTopicLink(p.TopicSlug, p.TopicName), p.Keywords.Select(k => new ApiKeywordLink(k.Slug, k.Name)).ToList(), p.HasIntro);
}

public sealed record ApiTopicLink(string Slug, string Name);

public sealed record ApiKeywordLink(string Slug, string Name);

/// <summary>Which page of a list this is: pages hold at most <see cref="Paging.MaxSize"/> papers; an out-of-range page is the nearest one.</summary>
public sealed record ApiPaging(int Page, int PageCount, int PageSize, long Total)
{
    public static ApiPaging Of(Paging p) => new(p.Number, p.Pages, p.Size, p.Total);
}

public sealed record ApiPaperList(ApiPaging Paging, IReadOnlyList<ApiPaper> Papers);

/// <summary>One paper with its intro (sanitised HTML, as on its page).</summary>
public sealed record ApiPaperPage(ApiPaper Paper, string? IntroHtml);

public sealed record ApiTopic(string Slug, string Name, long Papers, string? CitationDate, string Url);

public sealed record ApiTopicPage(string Slug, string Name, string Url, string? CitationDate, IReadOnlyList<string> Upcoming, ApiPaging Paging, IReadOnlyList<ApiPaper> Papers);

public sealed record ApiKeywordPage(string Slug, string Name, string Url, int Topics, ApiPaging Paging, IReadOnlyList<ApiPaper> Papers);

/// <summary>
/// The catalog as JSON beside <c>/api/search</c>: papers, topics and keywords, paged like the tables and served through the
/// same output cache (public GETs, tag "catalog"). Described at <c>/openapi/v1.json</c>. Parameters are read leniently: a
/// page that does not parse is the first, one past the end the last; an unknown slug is a 404.
/// </summary>
public static class CatalogApi
{
    public static WebApplicationBuilder AddCatalogApi(this WebApplicationBuilder builder)
    {
        // Only the JSON API is described: pages and images are not an API.
        builder.Services.AddOpenApi(options => options.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        return builder;
    }

    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Catalog");
        api.MapGet("/papers", async (string? page, PaperQueries papers, CancellationToken ct) =>
        {
            var (rows, paging) = await papers.AllAsync(TopicSort.List, descending: false, Page(page), ct);
            return TypedResults.Ok(new ApiPaperList(ApiPaging.Of(paging), rows.Select(ApiPaper.Of).ToList()));
        }).WithSummary("Every paper, topic by topic in the list's order, one page at a time");
        api.MapGet("/papers/{slug}", async Task<Results<Ok<ApiPaperPage>, NotFound>> (string slug, PaperQueries papers, CancellationToken ct) =>
            await papers.GetPageAsync(slug, ct) is { } page ? TypedResults.Ok(new ApiPaperPage(ApiPaper.Of(page.Paper), page.IntroHtml)) : TypedResults.NotFound())
            .WithSummary("One paper and its intro");
        api.MapGet("/topics", async (TopicQueries topics, CancellationToken ct) =>
            TypedResults.Ok((await topics.ListAsync(ct)).Select(t => new ApiTopic(t.Slug, t.Name, t.Papers, t.CitationDate, PaperUrls.Topic(t.Slug))).ToList()))
            .WithSummary("Every topic in the list's order, with its paper count");
        api.MapGet("/topics/{slug}", async Task<Results<Ok<ApiTopicPage>, NotFound>> (string slug, string? page, string? sort, string? order, TopicQueries topics, CancellationToken ct) =>
        {
            var by = Enum.TryParse<TopicSort>(sort, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : TopicSort.List;
            var topic = await topics.GetPageAsync(slug, by, string.Equals(order, "desc", StringComparison.OrdinalIgnoreCase), Page(page), ct);
            return topic is null ? TypedResults.NotFound() : TypedResults.Ok(new ApiTopicPage(topic.Slug, topic.Name, PaperUrls.Topic(topic.Slug), topic.CitationDate,
                topic.Upcoming, ApiPaging.Of(topic.Paging), topic.Papers.Select(ApiPaper.Of).ToList()));
        }).WithSummary("A topic and one page of its table (sort: list, date, citations, title; order: asc, desc)");
        api.MapGet("/keywords/{slug}", async Task<Results<Ok<ApiKeywordPage>, NotFound>> (string slug, string? page, KeywordQueries keywords, CancellationToken ct) =>
            await keywords.GetPageAsync(slug, Page(page), ct) is { } k
                ? TypedResults.Ok(new ApiKeywordPage(k.Slug, k.Name, PaperUrls.Keyword(k.Slug), k.Topics, ApiPaging.Of(k.Paging), k.Papers.Select(ApiPaper.Of).ToList()))
                : TypedResults.NotFound())
            .WithSummary("A keyword and one page of the papers that carry it, newest first");
        // The description of all of the above (and /api/search), from ASP.NET Core's generator.
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    // A string, not an int, so that "page=x" is the first page rather than a 400.
    private static int? Page(string? page) => int.TryParse(page, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
