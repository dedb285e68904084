using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Exporting;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>The catalog as the curator's list, the same files as <c>catalog export</c>, as one zip (private: never cached).</summary>
public sealed class ExportModel(ListExport export, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var zip = new MemoryStream();
        await export.WriteZipAsync(zip, ct);
        Response.Headers.CacheControl = "private, no-store";
        var day = clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return File(zip.ToArray(), "application/zip", $"catalog-list-{day}.zip");
    }
}
