using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.About;
using PaperCatalog.Papers;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages;

public sealed class IndexModel(TopicQueries topics, PaperQueries papers, AboutQueries about) : PageModel
{
    public ListAbout About { get; private set; } = new();
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];
    public IReadOnlyList<PaperRow> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        About = await about.GetAsync(ct);
        Topics = await topics.WithPapersAsync(ct);
        Recent = await papers.RecentAsync(8, ct);
    }
}
