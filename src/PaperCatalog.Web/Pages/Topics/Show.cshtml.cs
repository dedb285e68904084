using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Topics;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Topics;

public sealed class ShowModel(TopicQueries topics) : PageModel
{
    public TopicPage? Topic { get; private set; }
    public PaperTableModel Table { get; private set; } = null!;
    /// <summary>The sort as the query string gave it (unknown values fall back to the list's order).</summary>
    public string Sort { get; private set; } = "list";
    public PagerModel Pager { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery] string? sort, [FromQuery] string? dir, [FromQuery] int? page, CancellationToken ct)
    {
        var order = TableSort.Read(PaperUrls.Topic(slug), sort, dir);
        var descending = order.Descending;
        Topic = await topics.GetPageAsync(slug, order.Sort, descending, page, ct);
        if (Topic is null) return NotFound();
        Sort = order.Key;
        var (topicSlug, sorted, direction) = (Topic.Slug, Sort, order.Dir);
        Pager = new PagerModel(Topic.Paging, n => PaperUrls.Topic(topicSlug, sorted, direction, n), $"Pages of {Topic.Name}");
        Table = new PaperTableModel
        {
            Papers = Topic.Papers,
            Caption = $"Papers on {Topic.Name}",
            SortPath = PaperUrls.Topic(Topic.Slug),
            Sort = Sort,
            Descending = descending,
        };
        return Page();
    }
}
