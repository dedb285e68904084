using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Lookup;

namespace PaperCatalog.Web.Pages;

public sealed class NotFoundModel(SlugSuggestions suggestions) : PageModel
{
    public string OriginalPath { get; private set; } = "";
    public IReadOnlyList<Suggestion> Suggestions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var feature = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        OriginalPath = feature?.OriginalPath ?? HttpContext.Request.Path.Value ?? "";
        Response.StatusCode = StatusCodes.Status404NotFound;
        // "/papers/flashattention2" → suggest pages whose slug starts like "flashattention2".
        var segments = OriginalPath.Trim('/').Split('/');
        var kind = segments[0] switch { "papers" => "paper", "topics" => "topic", "keywords" => "keyword", _ => null };
        var last = segments[^1];
        if (last.Length > 0) Suggestions = await suggestions.ForAsync(last, kind, 5, ct);
    }
}
