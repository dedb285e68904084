using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>
/// The queue: pending submissions a page at a time, each with an intro excerpt and possible duplicates, searched and
/// filtered from the query string (so a filtered page is a link); spam is rejected in bulk.
/// </summary>
public sealed class IndexModel(SubmissionStore store, CatalogEditor editor, TopicQueries topics) : PageModel, Hosting.IKeepsFormOnLostToken
{
    public const int PageSize = 25;

    /// <summary>The submissions ticked for a bulk rejection.</summary>
    [BindProperty] public List<long> Selected { get; set; } = [];
    /// <summary>One note for every submitter whose submission the bulk rejection decides.</summary>
    [BindProperty] public string? Note { get; set; }

    public QueuePage Queue { get; private set; } = new([], 0, 1, PageSize, QueueOrder.Oldest);
    /// <summary>How many the last bulk rejection decided (after its redirect back here).</summary>
    public int? Rejected { get; private set; }
    /// <summary>The topics the filter offers.</summary>
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];

    /// <summary>The age choices of the filter: at least this many days in the queue.</summary>
    public static readonly IReadOnlyList<(int Days, string Label)> Ages = [(1, "a day"), (7, "a week"), (30, "a month")];

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, [FromQuery(Name = "rejected")] int? rejected, CancellationToken ct)
    {
        Rejected = rejected is >= 0 and <= CatalogEditor.MaxBulk ? rejected : null;
        await LoadAsync(page ?? 1, ct);
    }

    public async Task<IActionResult> OnPostRejectAsync([FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        // A value that is not a submission id (a hand-made post) is named, not half-applied.
        var unreadable = ModelState.Any(e => e.Key.StartsWith(nameof(Selected), StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 });
        var result = unreadable ? EditResult.Failed("Select submissions from the list.") : await editor.RejectAsync(Selected, Note, User.Identity!.Name!, ct);
        if (result.Done) return Redirect(PaperUrls.Queue(page ?? 1, Order, result.Count, filter: Filter));
        ModelState.AddModelError("", result.Problem!);
        await LoadAsync(page ?? 1, ct);
        return Page();
    }

    /// <summary>The same page of the queue with the same submissions ticked and the note as typed.</summary>
    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        var page = int.TryParse(Request.Query["page"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 1;
        await LoadAsync(page, ct);
        return Page();
    }

    private async Task LoadAsync(int page, CancellationToken ct)
    {
        Topics = await topics.ListAsync(ct);
        Queue = await store.QueueAsync(page, PageSize, Order, Filter, ct);
    }

    private QueueOrder Order => string.Equals(Request.Query["order"], "newest", StringComparison.OrdinalIgnoreCase) ? QueueOrder.Newest : QueueOrder.Oldest;

    private QueueFilter Filter => QueueFilter.From(Request.Query["q"], Request.Query["topic"], Request.Query["age"], Request.Query["duplicates"], Request.Query["kind"]);
}
