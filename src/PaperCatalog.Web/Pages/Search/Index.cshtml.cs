using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Topics;
using PaperCatalog.Web.Search;

namespace PaperCatalog.Web.Pages.Search;

public sealed class IndexModel(SearchQueries search, TopicQueries topics, PaperQueries papers) : PageModel
{
    public SearchRequest Search { get; private set; } = new();
    public SearchResults? Results { get; private set; }
    /// <summary>What the page offers when there is nothing to search for, or nothing was found.</summary>
    public SearchStart? Start { get; private set; }
    public IReadOnlyList<TopicSummary> AllTopics { get; private set; } = [];
    /// <summary>The arXiv id or DOI the query names, when no paper here has it (so the page can say so).</summary>
    public string? Identifier { get; private set; }

    public bool HasFilters => Search.Topic is not null || Search.From is not null || Search.To is not null || Search.Venue is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var request = SearchEndpoints.ReadRequest(HttpContext.Request.Query);
        // An arXiv id, DOI or link names one paper: its page, not a search for its digits.
        if (await papers.SlugForIdentifierAsync(request.Q, ct) is { } slug) return Redirect(PaperUrls.Paper(slug));
        Identifier = Identifiers.ArxivId(request.Q) is { } arxiv ? "arXiv:" + arxiv : Identifiers.Doi(request.Q) is { } doi ? "DOI " + doi : null;
        Results = await search.SearchAsync(request, ct);
        Search = Results.Request with { Q = Results.Query.Text };
        if (Results.Query.Match is null || Results.Total == 0) Start = await search.StartAsync(ct);
        AllTopics = await topics.WithPapersAsync(ct);
        return Page();
    }

    /// <summary>This search's URL with one thing changed (any change but paging goes back to page 1).</summary>
    public string UrlWith(Func<SearchRequest, SearchRequest> change) => SearchEndpoints.Url(change(Search with { Page = 1 }));
}
