using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Papers;

namespace PaperCatalog.Web.Pages.Papers;

public sealed class ShowModel(PaperQueries papers) : PageModel
{
    public PaperPage? Paper { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        Paper = await papers.GetPageAsync(slug, ct);
        return Paper is null ? NotFound() : Page();
    }
}
