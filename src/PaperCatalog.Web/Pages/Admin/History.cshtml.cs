using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>Decided submissions (approved, rejected, withdrawn), searched and narrowed by outcome; a rejection can be undone.</summary>
public sealed class HistoryModel(SubmissionStore store, CatalogEditor editor) : PageModel
{
    public const int PageSize = 50;

    public HistoryPage History { get; private set; } = new([], new Paging(1, 0, PageSize));
    public string? Search { get; private set; }
    public Outcome? OutcomeFilter { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "q")] string? q, [FromQuery(Name = "outcome")] string? outcome, [FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        OutcomeFilter = outcome?.ToLowerInvariant() switch
        {
            "approved" => Outcome.Approved,
            "rejected" => Outcome.Rejected,
            "withdrawn" => Outcome.Withdrawn,
            _ => null,
        };
        History = await store.HistoryAsync(Search, OutcomeFilter, page, PageSize, ct);
    }

    /// <summary>Undoes a rejection; the submission's review page opens, pending again.</summary>
    public async Task<IActionResult> OnPostReopenAsync([FromForm(Name = "id")] long? id, CancellationToken ct)
    {
        var result = id is { } i ? await editor.ReopenAsync(i, User.Identity!.Name!, ct) : EditResult.Failed("Choose a rejected submission.");
        if (result.Done) return Redirect(PaperUrls.Review(id!.Value));
        ModelState.AddModelError("", result.Problem!);
        History = await store.HistoryAsync(null, null, 1, PageSize, ct);
        return Page();
    }
}
