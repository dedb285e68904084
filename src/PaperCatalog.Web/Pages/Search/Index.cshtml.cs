using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Search;
using PaperCatalog.Topics;
using PaperCatalog.Web.Search;

namespace PaperCatalog.Web.Pages.Search;

public sealed class IndexModel(SearchQueries search, TopicQueries topics) : PageModel
{
    public SearchRequest Search { get; private set; } = new();
    public SearchResults? Results { get; private set; }
    /// <summary>What the page offers when there is nothing to search for.</summary>
    public SearchStart? Start { get; private set; }
    public IReadOnlyList<TopicSummary> AllTopics { get; private set; } = [];

    public bool HasFilters => Search.Topic is not null || Search.From is not null || Search.To is not null || Search.Venue is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Results = await search.SearchAsync(SearchEndpoints.ReadRequest(HttpContext.Request.Query), ct);
        Search = Results.Request with { Q = Results.Query.Text };
        if (Results.Query.Match is null) Start = await search.StartAsync(ct);
        AllTopics = await topics.ListAsync(ct);
    }

    /// <summary>This search's URL with one thing changed (any change but paging goes back to page 1).</summary>
    public string UrlWith(Func<SearchRequest, SearchRequest> change) => SearchEndpoints.Url(change(Search with { Page = 1 }));
}
