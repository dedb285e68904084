using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Papers;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages;

public sealed class IndexModel(TopicQueries topics, PaperQueries papers) : PageModel
{
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];
    public IReadOnlyList<PaperRow> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Topics = await topics.ListAsync(ct);
        Recent = await papers.RecentAsync(8, ct);
    }
}
