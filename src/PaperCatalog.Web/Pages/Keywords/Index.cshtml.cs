using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Keywords;
using PaperCatalog.Search;

namespace PaperCatalog.Web.Pages.Keywords;

public sealed class IndexModel(KeywordQueries keywords) : PageModel
{
    public IReadOnlyList<KeywordUse> Keywords { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Keywords = await keywords.ListAsync(ct);
}
