using PaperCatalog.Papers;

namespace PaperCatalog.Web.Media;

/// <summary>Images that sit beside intros, served from the store with their own content type.</summary>
public static class MediaEndpoints
{
    public static WebApplication MapPaperMedia(this WebApplication app)
    {
        app.MapGet("/papers/{slug}/media/{**path}", async (string slug, string path, PaperQueries papers, HttpContext context, CancellationToken ct) =>
        {
            var media = await papers.GetMediaAsync(slug, path, ct);
            if (media is null) return Results.NotFound();
            // An SVG opened on its own must not run anything, whatever it contains.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(media.Bytes, media.ContentType);
        });
        return app;
    }
}
