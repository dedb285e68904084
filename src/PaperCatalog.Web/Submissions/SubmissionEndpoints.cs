using PaperCatalog.Submissions;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Submissions;

/// <summary>The duplicate check the submission form runs while a reader types.</summary>
public static class SubmissionEndpoints
{
    public static WebApplication MapSubmissionApi(this WebApplication app)
    {
        app.MapGet("/api/submissions/duplicates", async (string? title, string? link, SubmissionStore store, CancellationToken ct) =>
        {
            title = title is { Length: > SubmissionForm.MaxTitle } ? title[..SubmissionForm.MaxTitle] : title;
            link = link is { Length: > SubmissionForm.MaxLink } ? link[..SubmissionForm.MaxLink] : link;
            var found = await store.DuplicatesAsync(title, link, null, ct);
            // Pending submissions are private: only that one exists is said, never which.
            return Results.Json(found.Select(d => new
            {
                exact = d.IsExact,
                reason = d.Reason,
                title = d.PaperSlug is null ? null : d.Title,
                url = d.PaperSlug is null ? null : PaperUrls.Paper(d.PaperSlug),
                pending = d.SubmissionId is not null,
            }));
        }).RequireRateLimiting(RateLimitHosting.DuplicateCheck);
        return app;
    }
}
