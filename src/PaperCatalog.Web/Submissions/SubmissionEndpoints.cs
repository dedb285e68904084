using PaperCatalog.Submissions;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Submissions;

/// <summary>
/// The duplicate check the submission form runs while a reader types. It looks at the published catalog only (the
/// queue is private) through indexed lookups and the search index, so it costs the same however long the queue is.
/// </summary>
public static class SubmissionEndpoints
{
    public static WebApplication MapSubmissionApi(this WebApplication app)
    {
        app.MapGet("/api/submissions/duplicates", async (string? title, string? link, SubmissionStore store, CancellationToken ct) =>
        {
            title = title is { Length: > SubmissionForm.MaxTitle } ? title[..SubmissionForm.MaxTitle] : title;
            link = link is { Length: > SubmissionForm.MaxLink } ? link[..SubmissionForm.MaxLink] : link;
            var found = await store.DuplicatesAsync(new DuplicateProbe(title, link), DuplicateScope.Catalog, ct);
            return Results.Json(found.Select(d => new { exact = d.IsExact, reason = d.Reason, title = d.Title, url = PaperUrls.Paper(d.PaperSlug!) }));
        }).RequireRateLimiting(RateLimitHosting.DuplicateCheck);
        return app;
    }
}
