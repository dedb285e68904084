using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Papers;
using PaperCatalog.Semantic;

namespace PaperCatalog.Web.Pages.Papers;

public sealed class ShowModel(PaperQueries papers, RelatedPapers related) : PageModel
{
    public PaperPage? Paper { get; private set; }
    public IReadOnlyList<RelatedPaper> Related { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        Paper = await papers.GetPageAsync(slug, ct);
        if (Paper is null) return NotFound();
        Related = await related.ForAsync(Paper.Paper.Slug, ct);
        return Page();
    }
}
