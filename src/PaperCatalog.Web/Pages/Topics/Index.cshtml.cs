using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Topics;

public sealed class IndexModel(TopicQueries topics) : PageModel
{
    public IReadOnlyList<TopicSummary> Topics { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Topics = await topics.WithPapersAsync(ct);
}
