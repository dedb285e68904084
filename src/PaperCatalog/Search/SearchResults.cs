namespace PaperCatalog.Search;

/// <summary>How results are ordered.</summary>
public enum SearchSort { Relevance, Date, Citations }

/// <summary>What a reader asked for: the query and every filter, all of it from the URL.</summary>
public sealed record SearchRequest
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public string? Q { get; init; }
    public string? Topic { get; init; }
    public int? From { get; init; }
    public int? To { get; init; }
    public string? Venue { get; init; }
    public SearchSort Sort { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    /// <summary>Search for the query as typed, never for a correction of it ("search instead for").</summary>
    public bool Exact { get; init; }
}

/// <summary>A paper found, with its title and a passage of its intro, matches marked (already HTML-encoded).</summary>
public record SearchHit : PaperRow
{
    public string TitleHtml { get; init; } = "";
    public string SnippetHtml { get; init; } = "";
}

/// <summary>One value of a filter with how many results it would give; <c>Value</c> is what goes in the URL.</summary>
public sealed record FacetValue(string Value, string Label, long Count, bool Selected);

/// <summary>A suggested spelling: the whole corrected query, the word that changed, and how many edits away it is.</summary>
public sealed record SearchSuggestion(string Query, string Term, int Distance);

/// <summary>Everything a results page shows.</summary>
public sealed record SearchResults
{
    public required SearchRequest Request { get; init; }
    public required SearchQuery Query { get; init; }
    public long Total { get; init; }
    public IReadOnlyList<SearchHit> Hits { get; init; } = [];
    public IReadOnlyList<FacetValue> Topics { get; init; } = [];
    public IReadOnlyList<FacetValue> Years { get; init; } = [];
    public IReadOnlyList<FacetValue> Venues { get; init; } = [];
    public IReadOnlyList<SearchSuggestion> Suggestions { get; init; } = [];
    /// <summary>The query as typed when it found nothing and these are the results of its one clear correction.</summary>
    public string? CorrectedFrom { get; init; }
    public int Page => Request.Page;
    public int PageCount => Total == 0 ? 1 : (int)Math.Min(int.MaxValue, (Total + Request.PageSize - 1) / Request.PageSize);
}

/// <summary>What the empty search page offers: the most used keywords and the topics.</summary>
public sealed record SearchStart(IReadOnlyList<KeywordUse> Keywords, IReadOnlyList<TopicSummary> Topics);

/// <summary>A keyword and how many papers carry it.</summary>
public sealed record KeywordUse
{
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public long Papers { get; init; }
}
