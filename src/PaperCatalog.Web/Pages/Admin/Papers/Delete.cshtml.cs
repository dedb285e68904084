using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;

namespace PaperCatalog.Web.Pages.Admin.Papers;

/// <summary>Deleting a paper: first what goes with it, then the moderator confirms.</summary>
public sealed class DeleteModel(CatalogEditor editor) : PageModel
{
    public DeleteImpact? Impact { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        Impact = await editor.DeleteImpactAsync(slug, ct);
        return Impact is null ? NotFound() : Page();
    }

    /// <summary>Deletes; a topic left empty opens on the topics page, where it can be renamed, merged or removed.</summary>
    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        var result = await editor.DeleteAsync(slug, User.Identity!.Name!, ct);
        if (!result.Done) return NotFound();
        return Redirect(PaperUrls.WithQuery("/admin/topics", ("deleted", slug), ("emptied", result.PaperSlug)));
    }
}
