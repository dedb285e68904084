using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>
/// Each topic's citation date (when its citation counts were read) and name; a topic without papers can be merged into
/// another or removed.
/// </summary>
public sealed class TopicsModel(TopicQueries topics, CatalogEditor editor) : PageModel
{
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];
    public string? Saved { get; private set; }
    /// <summary>What the last action did, in a sentence.</summary>
    public string? Notice { get; private set; }
    /// <summary>The paper just deleted (its former path) and the topic it left empty, after the delete page's redirect.</summary>
    public string? Deleted { get; private set; }
    public string? Emptied { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "deleted")] string? deleted, [FromQuery(Name = "emptied")] string? emptied, CancellationToken ct)
    {
        Topics = await topics.ListAsync(ct);
        Deleted = string.IsNullOrEmpty(deleted) ? null : PaperUrls.Paper(deleted);
        // Named only when it really is an empty topic, so a hand-made link cannot mislabel a full one.
        Emptied = Topics.FirstOrDefault(t => t.Slug == emptied && t.Papers == 0)?.Name;
    }

    public Task<IActionResult> OnPostAsync(string topic, string? date, CancellationToken ct) =>
        DoneAsync(editor.SetCitationDateAsync(topic ?? "", date, User.Identity!.Name!, ct), null, topic, ct);

    public Task<IActionResult> OnPostRenameAsync(string topic, string? name, CancellationToken ct) =>
        DoneAsync(editor.RenameTopicAsync(topic ?? "", name, User.Identity!.Name!, ct), "Renamed the topic.", null, ct);

    public Task<IActionResult> OnPostMergeAsync(string topic, string? into, CancellationToken ct) =>
        DoneAsync(editor.MergeTopicAsync(topic ?? "", into, User.Identity!.Name!, ct), "Merged the topic; it is gone.", null, ct);

    public Task<IActionResult> OnPostRemoveAsync(string topic, CancellationToken ct) =>
        DoneAsync(editor.RemoveTopicAsync(topic ?? "", User.Identity!.Name!, ct), "Removed the topic.", null, ct);

    private async Task<IActionResult> DoneAsync(Task<EditResult> action, string? notice, string? saved, CancellationToken ct)
    {
        var result = await action;
        if (result.Done) (Notice, Saved) = (notice, saved);
        else ModelState.AddModelError("", result.Problem!);
        Topics = await topics.ListAsync(ct);
        return Page();
    }
}
