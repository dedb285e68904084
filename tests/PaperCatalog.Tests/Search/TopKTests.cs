using System.Globalization;
using Dapper;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>
/// The top-k path (tier 0 counted from match sets and ranked on the heading index, tier 1 read only when a page needs
/// it; totals and facets from match sets) against the plain definition, computed by SQL over every match.
/// </summary>
public sealed class TopKTests(GeneratedSearchCatalog catalog) : IClassFixture<GeneratedSearchCatalog>
{
    public static TheoryData<string> Queries => new()
    {
        "attention", "memory", "cache", "tensor", "atte", "kernel sparse", "attention memory", "\"memory cache\"", "serving batch window", "lab",
    };

    private Task<SearchResults> Find(SearchRequest request) => catalog.Search.SearchAsync(request, CancellationToken.None);

    /// <summary>
    /// Every match, best first, by the rule itself: papers with the query in a title, keyword or alias (or, for a name,
    /// among the authors) first, ranked by the heading index's bm25; then the rest by the full index's bm25; ties by id.
    /// </summary>
    private async Task<List<string>> FullRankingAsync(string q, SearchRequest filters)
    {
        const string sql = """
            WITH heading AS (SELECT rowid AS id, bm25(paper_headings, 100.0, 100.0, 80.0, 10.0) AS score FROM paper_headings WHERE paper_headings MATCH @heading),
                 matched AS (SELECT rowid AS id, bm25(paper_search, 100.0, 100.0, 80.0, 10.0, 10.0, 1.0) AS score FROM paper_search WHERE paper_search MATCH @match)
            SELECT p.slug FROM matched m JOIN papers p ON p.id = m.id JOIN topics t ON t.id = p.topic_id LEFT JOIN heading h ON h.id = m.id
            WHERE (@topic IS NULL OR t.slug = @topic) AND (@from IS NULL OR p.published >= @from) AND (@to IS NULL OR p.published < @to)
            ORDER BY h.id IS NULL, coalesce(h.score, m.score), m.id;
            """;
        return await SlugsAsync(sql, q, filters);
    }

    /// <summary>The slugs <paramref name="sql"/> gives for <paramref name="q"/> (@match, @heading: its tier-0 expression) and the filters.</summary>
    private async Task<List<string>> SlugsAsync(string sql, string q, SearchRequest filters)
    {
        var query = SearchQuery.Parse(q);
        var heading = "{title keywords aliases} : (" + query.Match + ")";
        if (query.NamePhrase is not null) heading = "(" + heading + ") OR ({affiliation} : " + query.NamePhrase + ")";
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>(sql, new
        {
            match = query.Match,
            heading,
            topic = filters.Topic,
            from = filters.From?.ToString(CultureInfo.InvariantCulture),
            to = (filters.To + 1)?.ToString(CultureInfo.InvariantCulture),
        })).ToList();
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task EveryPage_IsTheFullRankingsSlice(string q)
    {
        foreach (var filters in (SearchRequest[])[new(), new() { Topic = "topic-1" }, new() { From = 2021, To = 2022 }])
        {
            var full = await FullRankingAsync(q, filters);
            if (filters.Topic is null && filters.From is null) Assert.True(full.Count > 0, q);
            foreach (var size in (int[])[7, 20])
            {
                var pages = (full.Count + size - 1) / size;
                for (var page = 1; page <= pages; page++)
                {
                    var results = await Find(filters with { Q = q, Page = page, PageSize = size });
                    Assert.Equal(full.Skip((page - 1) * size).Take(size), results.Hits.Select(h => h.Slug));
                    Assert.Equal(full.Count, results.Total);
                }
            }
        }
    }

    /// <summary>
    /// Every match sorted by date or citations by the rule itself: newest (most cited) first, unknown last; within equal
    /// dates (counts) the papers with the query in a heading first, in the heading index's bm25 order, then the rest by id.
    /// </summary>
    private async Task<List<string>> FullSortAsync(string q, SearchSort sort, SearchRequest filters)
    {
        var key = sort == SearchSort.Date ? "p.published" : "p.citations";
        var sql = $"""
            WITH heading AS (SELECT rowid AS id, row_number() OVER (ORDER BY bm25(paper_headings, 100.0, 100.0, 80.0, 10.0), rowid) AS rank FROM paper_headings WHERE paper_headings MATCH @heading)
            SELECT p.slug FROM paper_search m JOIN papers p ON p.id = m.rowid JOIN topics t ON t.id = p.topic_id LEFT JOIN heading h ON h.id = p.id
            WHERE paper_search MATCH @match AND (@topic IS NULL OR t.slug = @topic) AND (@from IS NULL OR p.published >= @from) AND (@to IS NULL OR p.published < @to)
            ORDER BY {key} IS NULL, {key} DESC, h.rank IS NULL, h.rank, p.id;
            """;
        return await SlugsAsync(sql, q, filters);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task DateAndCitationSorts_EveryPage_IsTheFullSortsSlice(string q)
    {
        foreach (var sort in (SearchSort[])[SearchSort.Date, SearchSort.Citations])
            foreach (var filters in (SearchRequest[])[new(), new() { Topic = "topic-1" }, new() { From = 2021, To = 2022 }])
            {
                var full = await FullSortAsync(q, sort, filters);
                if (filters.Topic is null && filters.From is null) Assert.True(full.Count > 0, q);
                const int size = 7;
                for (var page = 1; page <= (full.Count + size - 1) / size; page++)
                {
                    var results = await Find(filters with { Q = q, Sort = sort, Page = page, PageSize = size });
                    Assert.Equal(full.Skip((page - 1) * size).Take(size), results.Hits.Select(h => h.Slug));
                    Assert.Equal(full.Count, results.Total);
                }
            }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task TotalAndFacets_CountEveryMatch_EachFacetWithTheOtherFilters(string q)
    {
        const string sql = """
            SELECT t.slug AS Topic, substr(p.published, 1, 4) AS Year, nullif(rtrim(p.venue, '0123456789 '), '') AS Venue
            FROM paper_search JOIN papers p ON p.id = paper_search.rowid JOIN topics t ON t.id = p.topic_id
            WHERE paper_search MATCH @match;
            """;
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<(string Topic, string? Year, string? Venue)>(sql, new { match = SearchQuery.Parse(q).Match })).ToList();

        var request = new SearchRequest { Q = q, Topic = "topic-2", From = 2021, To = 2023, Venue = "ICML" };
        bool Topic((string Topic, string? Year, string? Venue) r) => r.Topic == request.Topic;
        bool Years((string Topic, string? Year, string? Venue) r) => r.Year is not null && string.CompareOrdinal(r.Year, "2021") >= 0 && string.CompareOrdinal(r.Year, "2023") <= 0;
        bool Venue((string Topic, string? Year, string? Venue) r) => r.Venue == request.Venue;

        var all = await Find(new SearchRequest { Q = q });
        Assert.Equal(rows.Count, all.Total);
        Assert.Equal(rows.GroupBy(r => r.Topic).ToDictionary(g => g.Key, g => (long)g.Count()), all.Topics.ToDictionary(t => t.Value, t => t.Count));
        Assert.Equal(rows.Where(r => r.Year is not null).GroupBy(r => r.Year!).ToDictionary(g => g.Key, g => (long)g.Count()), all.Years.ToDictionary(y => y.Value, y => y.Count));
        Assert.Equal(rows.Where(r => r.Venue is not null).GroupBy(r => r.Venue!).ToDictionary(g => g.Key, g => (long)g.Count()), all.Venues.ToDictionary(v => v.Value, v => v.Count));

        var filtered = await Find(request);
        Assert.Equal(rows.Count(r => Topic(r) && Years(r) && Venue(r)), filtered.Total);
        Assert.Equal(rows.Where(r => Years(r) && Venue(r)).GroupBy(r => r.Topic).ToDictionary(g => g.Key, g => (long)g.Count()),
            filtered.Topics.Where(t => t.Count > 0).ToDictionary(t => t.Value, t => t.Count));
        Assert.Equal(rows.Where(r => Topic(r) && Venue(r) && r.Year is not null).GroupBy(r => r.Year!).ToDictionary(g => g.Key, g => (long)g.Count()),
            filtered.Years.ToDictionary(y => y.Value, y => y.Count));
        Assert.Equal(rows.Where(r => Topic(r) && Years(r) && r.Venue is not null).GroupBy(r => r.Venue!).ToDictionary(g => g.Key, g => (long)g.Count()),
            filtered.Venues.Where(v => v.Count > 0).ToDictionary(v => v.Value, v => v.Count));
    }

    [Fact]
    public async Task AWrite_IsCounted_ByTheNextSearch_OfAWordAlreadySearched()
    {
        var before = await Find(new SearchRequest { Q = "attention", PageSize = 1 });
        var zeppelin = await Find(new SearchRequest { Q = "zeppelin", Exact = true });
        Assert.Equal(0, zeppelin.Total);

        var row = "| K1 | **Zeppelin Attention Above All** | [[pdf](https://arxiv.org/abs/2402.99999)] | Lab 1 | 2024.02 | 1 |\n";
        await File.AppendAllTextAsync(catalog.ListPath, row);
        var (plan, result) = await catalog.Importer.ImportAsync(catalog.ListPath, null, CancellationToken.None);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.NotNull(result);

        var after = await Find(new SearchRequest { Q = "attention", PageSize = 1 });
        Assert.Equal(before.Total + 1, after.Total);
        Assert.Equal("Zeppelin Attention Above All", Assert.Single((await Find(new SearchRequest { Q = "zeppelin", Exact = true })).Hits).Title);
    }

    [Fact]
    public async Task AfterAWrite_TheMostAskedQueries_AreReadAhead_AndAnswerAsTheFullRankingDoes()
    {
        const string q = "memory cache";
        await Find(new SearchRequest { Q = q });

        var row = "| K2 | **Memory Cache Read Ahead** | [[pdf](https://arxiv.org/abs/2402.99998)] | Lab 2 | 2024.03 | 2 |\n";
        await File.AppendAllTextAsync(catalog.ListPath, row);
        var (plan, result) = await catalog.Importer.ImportAsync(catalog.ListPath, null, CancellationToken.None);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.NotNull(result);

        // Read ahead in the background for the catalog as written, before anyone searches again.
        await catalog.Search.Warming;
        Assert.True(catalog.Search.IsWarm(SearchQuery.Parse(q)));

        var full = await FullRankingAsync(q, new SearchRequest());
        var results = await Find(new SearchRequest { Q = q });
        Assert.Equal(full.Count, results.Total);
        Assert.Equal(full.Take(SearchRequest.DefaultPageSize), results.Hits.Select(h => h.Slug));
        Assert.Contains(results.Hits, h => h.Title == "Memory Cache Read Ahead");
    }

    [Theory]
    [InlineData("kernel sparse")]
    [InlineData("attention memory")]
    [InlineData("attention memory cache")]
    [InlineData("memory decoding")]
    public async Task SeveralWordsTier_ComposedFromEachWordsTier_IsTheIndexsOwnRanking_ToTheBit(string q)
    {
        var query = SearchQuery.Parse(q);
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        var tiers = query.Parts.Select(part => SearchRanking.ReadHeadingTier(connection, query with { Match = part, Parts = [part], NamePhrase = null })).ToList();
        var name = query.NamePhrase is null ? null : SearchRanking.ReadNameTier(connection, query.NamePhrase);

        var composed = SearchRanking.Compose(query.Parts, tiers, name);
        var read = SearchRanking.ReadHeadingTier(connection, query);
        Assert.NotNull(composed);
        Assert.NotEmpty(read.Ids);
        Assert.Equal(read.Ids, composed.Ids);
        Assert.Equal(read.Scores, composed.Scores);
    }
}
