using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Shape;

namespace PaperCatalog.Web.Pages.Stats;

/// <summary>The catalog's shape: papers per year and per topic, the most cited papers, the affiliations named most.</summary>
public sealed class IndexModel(ShapeQueries shape) : PageModel
{
    public CatalogShape Shape { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Shape = await shape.GetAsync(ct);
}
