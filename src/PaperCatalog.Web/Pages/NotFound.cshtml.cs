using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PaperCatalog.Web.Pages;

public sealed class NotFoundModel : PageModel
{
    public string OriginalPath { get; private set; } = "";

    public void OnGet()
    {
        var feature = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        OriginalPath = feature?.OriginalPath ?? HttpContext.Request.Path.Value ?? "";
        Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
