using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Papers;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Papers;

public sealed class IndexModel(PaperQueries papers) : PageModel
{
    public PaperListPage List { get; private set; } = null!;
    public TableSort Order { get; private set; } = null!;
    public PaperTableModel Table { get; private set; } = null!;
    public PagerModel Pager { get; private set; } = null!;

    public async Task OnGetAsync([FromQuery] string? sort, [FromQuery] string? dir, [FromQuery] int? page, CancellationToken ct)
    {
        Order = TableSort.Read("/papers", sort, dir, acrossTopics: true);
        List = await papers.AllAsync(Order.Sort, Order.Descending, page, ct);
        var (sorted, direction) = (Order.Key, Order.Dir);
        Pager = new PagerModel(List.Paging, n => PaperUrls.AllPapers(sorted, direction, n), "Pages of all papers");
        Table = new PaperTableModel
        {
            Papers = List.Papers,
            Caption = "Every paper in the catalog",
            ShowTopic = true,
            SortPath = Order.Path,
            Sort = Order.Key,
            Descending = Order.Descending,
        };
    }
}
