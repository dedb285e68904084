using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Lookup;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Pages;

public sealed class NotFoundModel(SlugSuggestions suggestions, SuggestionAllowance allowance) : PageModel
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
        // Past its allowance a client still gets this page, only without the lookups.
        if (last.Length == 0) return;
        if (allowance.TryTake(HttpContext)) Suggestions = await suggestions.ForAsync(last, kind, 5, ct);
        else HttpContext.Items[CachingHosting.NoStoreItem] = true;
    }

    /// <summary>A failed post (one naming a handler its page lacks) is re-executed here as a post: the same 404 page.</summary>
    public Task OnPostAsync(CancellationToken ct) => OnGetAsync(ct);
}
