using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Submissions;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Pages.Submissions;

/// <summary>The submitter's private page: the status, the whole submission as moderators see it, and a way to withdraw it.</summary>
public sealed class StatusModel(SubmissionStore store) : PageModel, IKeepsFormOnLostToken
{
    public Submission? Submission { get; private set; }
    public bool Received { get; private set; }
    public bool Withdrawn { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, [FromQuery] int? received, [FromQuery] int? withdrawn, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) return NotFound();
        Received = received == 1;
        Withdrawn = withdrawn == 1 && Submission!.Status == "withdrawn";
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct)) return NotFound();
        if (await store.WithdrawAsync(token, ct)) return Redirect(PaperUrls.Submission(token) + "?withdrawn=1");
        ModelState.AddModelError("", $"This submission was already {Submission!.Status}, so it cannot be withdrawn.");
        return Page();
    }

    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct) =>
        await LoadAsync(RouteData.Values["token"]?.ToString() ?? "", ct) ? Page() : NotFound();

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        Submission = await store.ByTokenAsync(token, ct);
        // The token is the key to this page: keep it out of referrers and search engines.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers.CacheControl = "no-store";
        return Submission is not null;
    }
}
