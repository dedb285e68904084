using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>The queue: pending submissions, oldest first, each with its intro and possible duplicates.</summary>
public sealed class IndexModel(SubmissionStore store, CatalogEditor editor) : PageModel
{
    public sealed record QueueItem(Submission Submission, string? IntroHtml, IReadOnlyList<DuplicateCandidate> Duplicates);

    public IReadOnlyList<QueueItem> Queue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var items = new List<QueueItem>();
        foreach (var s in await store.PendingAsync(ct))
            items.Add(new QueueItem(s, editor.RenderIntro(s.IntroMarkdown, s.Title), await store.DuplicatesAsync(s.Title, s.Link, s.Id, ct)));
        Queue = items;
    }
}
