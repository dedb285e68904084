using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Submissions;

public sealed class StatusModel(SubmissionStore store) : PageModel
{
    public Submission? Submission { get; private set; }
    public bool Received { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, [FromQuery] int? received, CancellationToken ct)
    {
        Submission = await store.ByTokenAsync(token, ct);
        if (Submission is null) return NotFound();
        Received = received == 1;
        // The token is the key to this page: keep it out of referrers and search engines.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
