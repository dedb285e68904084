using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>Each topic's citation date (when its citation counts were read).</summary>
public sealed class TopicsModel(TopicQueries topics, CatalogEditor editor) : PageModel
{
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Topics = await topics.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(string topic, string? date, CancellationToken ct)
    {
        var result = await editor.SetCitationDateAsync(topic ?? "", date, User.Identity!.Name!, ct);
        if (result.Done) Saved = topic;
        else ModelState.AddModelError("", result.Problem!);
        Topics = await topics.ListAsync(ct);
        return Page();
    }
}
