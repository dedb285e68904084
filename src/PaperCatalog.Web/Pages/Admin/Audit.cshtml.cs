using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>Every moderation action, newest first.</summary>
public sealed class AuditModel(AuditLog audit) : PageModel
{
    public const int PageSize = 50;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        PageNumber = Math.Clamp(page ?? 1, 1, 100_000);
        Entries = await audit.ListAsync(PageNumber, PageSize, ct);
    }
}
