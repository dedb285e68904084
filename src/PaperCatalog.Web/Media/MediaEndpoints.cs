using PaperCatalog.Figures;
using PaperCatalog.Papers;

namespace PaperCatalog.Web.Media;

/// <summary>
/// Images from the store, each with its own content type (and nosniff, on every answer): those beside intros and
/// papers' figures, public; a submission's figure, private to its submitter (by the status page's token) and to
/// moderators.
/// </summary>
public static class MediaEndpoints
{
    // An image opened on its own (an SVG beside a list intro above all) must not run anything, whatever it contains.
    private const string ImagePolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    public static WebApplication MapPaperMedia(this WebApplication app)
    {
        app.MapGet("/papers/{slug}/media/{**path}", async (string slug, string path, PaperQueries papers, HttpContext context, CancellationToken ct) =>
        {
            var media = await papers.GetMediaAsync(slug, path, ct);
            if (media is null) return Results.NotFound();
            context.Response.Headers.ContentSecurityPolicy = ImagePolicy;
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(media.Bytes, media.ContentType);
        });

        // The submitter's view of their figure: the token is the key, so it stays out of caches, referrers and indexes.
        app.MapGet("/submissions/{token}/figure", async (string token, FigureStore figures, HttpContext context, CancellationToken ct) =>
            Private(context, await figures.ByTokenAsync(token, ct)));
        app.MapGet("/admin/submissions/{id:long}/figure", async (long id, FigureStore figures, HttpContext context, CancellationToken ct) =>
            Private(context, await figures.ByIdAsync(id, ct)))
            .RequireAuthorization();
        return app;
    }

    private static IResult Private(HttpContext context, FigureFile? figure)
    {
        if (figure is null) return Results.NotFound();
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ImagePolicy;
        headers.CacheControl = "private, no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";
        return Results.File(figure.Bytes, figure.ContentType);
    }
}
