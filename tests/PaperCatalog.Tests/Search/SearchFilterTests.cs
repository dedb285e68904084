using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

public sealed class SearchFilterTests(SearchCatalog catalog) : IClassFixture<SearchCatalog>
{
    private Task<SearchResults> Find(SearchRequest request) => catalog.Search.SearchAsync(request, CancellationToken.None);

    [Fact]
    public async Task TopicFilter_KeepsOneTopic_And_FacetCountsEveryTopic()
    {
        var all = await Find(new SearchRequest { Q = "transformer" });
        var filtered = await Find(new SearchRequest { Q = "transformer", Topic = "quantization" });
        Assert.All(filtered.Hits, h => Assert.Equal("quantization", h.TopicSlug));
        Assert.True(filtered.Total < all.Total);
        // The topic facet ignores its own filter, so the reader sees what switching topic would give.
        Assert.Equal(all.Topics.Select(t => (t.Value, t.Count)), filtered.Topics.Select(t => (t.Value, t.Count)));
        Assert.True(filtered.Topics.Single(t => t.Value == "quantization").Selected);
        Assert.Equal(all.Total, all.Topics.Sum(t => t.Count));
    }

    [Fact]
    public async Task YearRange_IsInclusive_And_YearFacetCounts()
    {
        var results = await Find(new SearchRequest { Q = "attention", From = 2021, To = 2023 });
        Assert.NotEmpty(results.Hits);
        Assert.All(results.Hits, h => Assert.InRange(int.Parse(h.Published![..4], System.Globalization.CultureInfo.InvariantCulture), 2021, 2023));
        Assert.Equal(results.Hits.Count, results.Total);
        var unfiltered = await Find(new SearchRequest { Q = "attention" });
        Assert.Equal(unfiltered.Years.Sum(y => y.Count), unfiltered.Total);
        Assert.Equal(unfiltered.Years.Where(y => string.CompareOrdinal(y.Value, "2021") >= 0 && string.CompareOrdinal(y.Value, "2023") <= 0).Sum(y => y.Count), results.Total);
    }

    [Fact]
    public async Task VenueFilter_MatchesTheSeries_WithoutYear()
    {
        var results = await Find(new SearchRequest { Q = "batching", Venue = "ICML" });
        Assert.Equal("Batching Without Pauses", Assert.Single(results.Hits).Title);
        var venues = (await Find(new SearchRequest { Q = "quantization" })).Venues;
        Assert.Contains(venues, v => v.Value == "ICML" && v.Count >= 1);
    }

    [Fact]
    public async Task Paging_SplitsResults_WithoutOverlap()
    {
        var page1 = await Find(new SearchRequest { Q = "transformer", PageSize = 2, Page = 1 });
        var page2 = await Find(new SearchRequest { Q = "transformer", PageSize = 2, Page = 2 });
        Assert.True(page1.Total > 2);
        Assert.Equal(2, page1.Hits.Count);
        Assert.Equal((int)Math.Ceiling(page1.Total / 2.0), page1.PageCount);
        Assert.Empty(page1.Hits.Select(h => h.Slug).Intersect(page2.Hits.Select(h => h.Slug)));
        var beyond = await Find(new SearchRequest { Q = "transformer", PageSize = 2, Page = 999 });
        Assert.Empty(beyond.Hits);
        Assert.Equal(page1.Total, beyond.Total);
    }

    [Fact]
    public async Task SortByDate_And_ByCitations()
    {
        var byDate = await Find(new SearchRequest { Q = "transformer", Sort = SearchSort.Date });
        var dates = byDate.Hits.Select(h => h.Published).ToList();
        Assert.Equal(dates.OrderByDescending(d => d, StringComparer.Ordinal), dates);
        var byCitations = await Find(new SearchRequest { Q = "batching", Sort = SearchSort.Citations });
        var citations = byCitations.Hits.Select(h => h.Citations).ToList();
        // Unknown counts go last.
        Assert.Null(citations[^1]);
        Assert.Equal(citations.Where(c => c is not null).OrderByDescending(c => c), citations.Where(c => c is not null));
    }

    [Fact]
    public async Task FiltersOutOfRange_AreClamped_NotErrors()
    {
        var results = await Find(new SearchRequest { Q = "attention", From = -5, To = int.MaxValue, Page = -3, PageSize = 100_000 });
        Assert.Equal(1, results.Page);
        Assert.Equal(SearchRequest.MaxPageSize, results.Request.PageSize);
        Assert.NotEmpty(results.Hits);
    }
}
