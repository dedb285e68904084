using Microsoft.AspNetCore.Diagnostics;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// The 404 page rendered in place: an answer that ends as an empty error status runs the rest of the pipeline again
/// with the <c>/not-found</c> page as its endpoint, but keeps the request's own path. The built-in re-execution rewrites
/// the path to <c>/not-found</c>, so its output-cache entry could never be found by the next request for the same path,
/// which then ran the missing page's handler (a store lookup) and the pipeline twice: four times a cached page. Kept in
/// place, the 404 page is cached under the very key the next request looks up, and a repeated missing path is one cache
/// hit like any page (<c>CachingHosting</c> lets those 404s be stored; every write evicts them with the pages).
/// </summary>
internal static class NotFoundInPlace
{
    public static WebApplication UseNotFoundInPlace(this WebApplication app)
    {
        Endpoint? notFound = null;
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            notFound ??= http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText?.Trim('/') == "not-found");
            var request = http.Request;
            var feature = new ReExecuted
            {
                OriginalPath = request.Path.Value ?? "",
                OriginalPathBase = request.PathBase.Value ?? "",
                OriginalQueryString = request.QueryString.HasValue ? request.QueryString.Value : null,
                OriginalStatusCode = http.Response.StatusCode,
                Endpoint = http.GetEndpoint(),
                RouteValues = request.RouteValues,
            };
            var endpoint = http.GetEndpoint();
            var query = request.QueryString;
            http.Features.Set<IStatusCodeReExecuteFeature>(feature);
            // Without the query, as the built-in re-execution does (a "?handler=x" the 404 page lacks would 404 again). The
            // answer is then stored only for a request that had none, whose key it is: "/?handler=x" must never store a
            // 404 as the home page.
            request.QueryString = QueryString.Empty;
            if (query.HasValue) http.Items[CachingHosting.NoStoreItem] = true;
            // Routing leaves a request whose endpoint is set alone, so the path stays and the page runs.
            http.SetEndpoint(notFound);
            request.RouteValues = new RouteValueDictionary { ["page"] = "/NotFound" };
            try
            {
                await context.Next(http);
            }
            finally
            {
                http.SetEndpoint(endpoint);
                request.QueryString = query;
                http.Features.Set<IStatusCodeReExecuteFeature?>(null);
                request.RouteValues = feature.RouteValues;
            }
        });
        return app;
    }

    private sealed class ReExecuted : IStatusCodeReExecuteFeature
    {
        public string OriginalPathBase { get; set; } = "";
        public string OriginalPath { get; set; } = "";
        public string? OriginalQueryString { get; set; }
        public int OriginalStatusCode { get; init; }
        public Endpoint? Endpoint { get; init; }
        public RouteValueDictionary RouteValues { get; init; } = [];
    }
}
