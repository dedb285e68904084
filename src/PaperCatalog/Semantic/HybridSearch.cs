using System.Net;
using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;
using PaperCatalog.Search;

namespace PaperCatalog.Semantic;

/// <summary>
/// Search by keywords and by meaning. The keyword ranking (<see cref="SearchQueries"/>, bm25) of the first
/// <see cref="Window"/> results and the papers nearest to the query's vector are fused (<see cref="RankFusion"/>); papers
/// only the vectors find join the results when they are close enough. Exact title and keyword matches stay first. Pages
/// past the fused window continue in keyword order. Without a ready model, or sorted by date or citations, this is
/// keyword search exactly.
/// </summary>
public sealed class HybridSearch(SearchQueries search, SemanticIndex semantic, CatalogDatabase database)
{
    /// <summary>How many keyword results are fused with the vectors' nearest papers.</summary>
    public const int Window = 50;

    /// <summary>How many of the nearest papers are fused.</summary>
    public const int Candidates = 30;

    /// <summary>
    /// How close (cosine) a paper the keywords did not find must be to join the results. Chosen on the judged queries
    /// (tests/PaperCatalog.Web.Tests/Semantic, which try others): lower lets unrelated papers into short result lists.
    /// </summary>
    public float MinSimilarity { get; init; } = 0.30f;

    /// <summary>The fusion's constant (<see cref="RankFusion.K"/>); the evaluation tries others.</summary>
    public int FusionK { get; init; } = RankFusion.K;

    /// <summary>Runs a search (<see cref="SearchQueries.SearchAsync(SearchRequest, CancellationToken)"/>'s contract), hybrid when the model is ready.</summary>
    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        if (request.Sort != SearchSort.Relevance || string.IsNullOrWhiteSpace(request.Q))
            return await search.SearchAsync(request, ct);
        if (!semantic.IsReady)
        {
            // The first search is the model's first need: it loads in the background while this answer comes from keywords.
            semantic.Want();
            return await search.SearchAsync(request, ct);
        }
        // The keyword window as ids (no snippets: only the page shown gets them, below).
        var keyword = await search.RankAsync(request, Window, ct);
        if (keyword.State is null || await semantic.NearestToQueryAsync(keyword.Results.Query.Text, Candidates, ct) is not { } near)
            return await search.SearchAsync(request, ct);

        var inWindow = keyword.Window.ToHashSet();
        // A paper the keywords match beyond the window is left to its keyword rank, so no page shows it twice.
        var vectorIds = near.Where(n => SearchQueries.Keeps(keyword, n.PaperId)
                                        && (inWindow.Contains(n.PaperId) || !SearchQueries.Matches(keyword, n.PaperId) && n.Similarity >= MinSimilarity))
            .Select(n => n.PaperId).ToList();
        var pinned = await ExactMatchesAsync(keyword.Window, keyword.Results.Query.Text, ct);
        var fused = RankFusion.Fuse(keyword.Window, vectorIds, pinned, FusionK);
        // The papers only the vectors find are counted in the total and the facets as keyword matches are: each facet
        // with the other filters applied (the nearest papers do not depend on the filters, only which of them are shown).
        var results = await search.IncludingAsync(keyword, near.Where(n => n.Similarity >= MinSimilarity).Select(n => n.PaperId), ct);

        var page = Math.Clamp(request.Page, 1, 10_000);
        var size = Math.Clamp(request.PageSize, 1, SearchRequest.MaxPageSize);
        var offset = (long)(page - 1) * size;
        var pageIds = fused.Skip((int)Math.Min(offset, int.MaxValue)).Take(size).ToList();
        if (pageIds.Count < size && offset + pageIds.Count < results.Total)
            pageIds.AddRange(await search.RankedIdsAsync(keyword, keyword.Window.Count + Math.Max(0, offset - fused.Count), size - pageIds.Count, ct));
        // Snippets for the page shown only: marked for what the keywords matched, the intro's opening for the rest.
        var keywordHits = await search.HitsAsync(keyword.Results.Query, pageIds.Where(id => SearchQueries.Matches(keyword, id)).ToList(), ct);
        var vectorHits = await VectorOnlyAsync(pageIds.Where(id => !SearchQueries.Matches(keyword, id)).ToList(), ct);
        var pageHits = pageIds.Select(id => keywordHits.TryGetValue(id, out var h) ? h : vectorHits.GetValueOrDefault(id)).OfType<SearchHit>().ToList();
        return results with { Request = results.Request with { Page = page, PageSize = size }, Hits = pageHits };
    }

    private sealed record TitleRow(long Id, string Title, string? Keywords);

    private const string TitlesSql = """
        SELECT p.id AS Id, p.title AS Title,
          (SELECT group_concat(k.name, char(30)) FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = p.id) AS Keywords
        FROM papers p WHERE p.id IN @ids;
        """;

    /// <summary>The papers of <paramref name="ids"/> whose title or keyword is <paramref name="query"/> itself (<see cref="IsExactMatch"/>).</summary>
    private async Task<IReadOnlySet<long>> ExactMatchesAsync(IReadOnlyList<long> ids, string query, CancellationToken ct)
    {
        if (ids.Count == 0) return new HashSet<long>();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TitleRow>(new CommandDefinition(TitlesSql, new { ids }, cancellationToken: ct));
        return rows.Where(r => IsExactMatch(r.Title, r.Keywords?.Split('\u001e') ?? [], query)).Select(r => r.Id).ToHashSet();
    }

    /// <summary>
    /// A title or keyword that is the query itself ("Mamba" for "Mamba: Linear-Time Sequence Modeling…", the keyword
    /// "GQA"): such a paper is what the reader typed, and stays above anything the vectors bring.
    /// </summary>
    internal static bool IsExactMatch(string title, IEnumerable<string> keywords, string query)
    {
        var q = Normal(query);
        if (q.Length == 0) return false;
        var colon = title.IndexOf(':', StringComparison.Ordinal);
        return Normal(title) == q || colon > 0 && Normal(title[..colon]) == q || keywords.Any(k => Normal(k) == q);
    }

    /// <summary>Folded, with every run of punctuation and spaces as one space ("FlashAttention-2" is "flashattention 2").</summary>
    private static string Normal(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var c in SearchText.Fold(text))
        {
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().TrimEnd();
    }

    private sealed record Candidate : SearchHit
    {
        public long Id { get; init; }
        public string? Intro { init => SnippetHtml = WebUtility.HtmlEncode(value is { Length: > 0 } ? SearchText.Excerpt(value, 200) : ""); }
    }

    private static readonly string VectorOnlySql = "SELECT " + PaperQueries.RowColumns + """
        , p.id AS Id, d.intro AS Intro
        FROM papers p JOIN topics t ON t.id = p.topic_id LEFT JOIN search_documents d ON d.paper_id = p.id
        WHERE p.id IN @ids;
        """;

    /// <summary>Papers only the vectors found, as hits: the title as text and the intro's opening as the snippet.</summary>
    private async Task<Dictionary<long, SearchHit>> VectorOnlyAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Candidate>(new CommandDefinition(VectorOnlySql, new { ids }, cancellationToken: ct));
        return rows.ToDictionary(c => c.Id, c => (SearchHit)(c with { TitleHtml = WebUtility.HtmlEncode(c.Title) }));
    }
}
