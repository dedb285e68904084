using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Keywords;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Keywords;

public sealed class ShowModel(KeywordQueries keywords) : PageModel
{
    public KeywordPage? Keyword { get; private set; }
    public PaperTableModel Table { get; private set; } = null!;
    public PagerModel Pager { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery] int? page, CancellationToken ct)
    {
        Keyword = await keywords.GetPageAsync(slug, page, ct);
        if (Keyword is null) return NotFound();
        var keywordSlug = Keyword.Slug;
        Pager = new PagerModel(Keyword.Paging, n => PaperUrls.Keyword(keywordSlug, n), $"Pages of papers with keyword {Keyword.Name}");
        Table = new PaperTableModel { Papers = Keyword.Papers, Caption = $"Papers with keyword {Keyword.Name}", ShowTopic = true };
        return Page();
    }
}
