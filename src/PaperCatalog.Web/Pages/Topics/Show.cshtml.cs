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
        var parsed = Enum.TryParse<TopicSort>(sort, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : TopicSort.List;
        // Dates and counts read best highest first, titles A to Z, unless the link says otherwise.
        var descending = dir is null ? parsed is TopicSort.Date or TopicSort.Citations : string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase);
        Topic = await topics.GetPageAsync(slug, parsed, descending, page, ct);
        if (Topic is null) return NotFound();
        Sort = parsed.ToString().ToLowerInvariant();
        var (topicSlug, sorted, direction) = (Topic.Slug, Sort, dir is null ? null : descending ? "desc" : "asc");
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
