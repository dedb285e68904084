using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>The queue: pending submissions a page at a time, each with an intro excerpt and possible duplicates; spam is rejected in bulk.</summary>
public sealed class IndexModel(SubmissionStore store, CatalogEditor editor) : PageModel, Hosting.IKeepsFormOnLostToken
{
    public const int PageSize = 25;

    /// <summary>The submissions ticked for a bulk rejection.</summary>
    [BindProperty] public List<long> Selected { get; set; } = [];
    /// <summary>One note for every submitter whose submission the bulk rejection decides.</summary>
    [BindProperty] public string? Note { get; set; }

    public QueuePage Queue { get; private set; } = new([], 0, 1, PageSize, QueueOrder.Oldest);
    /// <summary>How many the last bulk rejection decided (after its redirect back here).</summary>
    public int? Rejected { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, [FromQuery(Name = "order")] string? order, [FromQuery(Name = "rejected")] int? rejected, CancellationToken ct)
    {
        Rejected = rejected is >= 0 and <= CatalogEditor.MaxBulk ? rejected : null;
        Queue = await store.QueueAsync(page ?? 1, PageSize, OrderOf(order), ct);
    }

    public async Task<IActionResult> OnPostRejectAsync([FromQuery(Name = "page")] int? page, [FromQuery(Name = "order")] string? order, CancellationToken ct)
    {
        // A value that is not a submission id (a hand-made post) is named, not half-applied.
        var unreadable = ModelState.Any(e => e.Key.StartsWith(nameof(Selected), StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 });
        var result = unreadable ? EditResult.Failed("Select submissions from the list.") : await editor.RejectAsync(Selected, Note, User.Identity!.Name!, ct);
        if (result.Done) return Redirect(PaperUrls.Queue(page ?? 1, OrderOf(order), result.Count));
        ModelState.AddModelError("", result.Problem!);
        Queue = await store.QueueAsync(page ?? 1, PageSize, OrderOf(order), ct);
        return Page();
    }

    /// <summary>The same page of the queue with the same submissions ticked and the note as typed.</summary>
    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        var page = int.TryParse(Request.Query["page"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 1;
        Queue = await store.QueueAsync(page, PageSize, OrderOf(Request.Query["order"]), ct);
        return Page();
    }

    private static QueueOrder OrderOf(string? order) => string.Equals(order, "newest", StringComparison.OrdinalIgnoreCase) ? QueueOrder.Newest : QueueOrder.Oldest;
}
