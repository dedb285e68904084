using System.Globalization;
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

    /// <summary>Runs a search (<see cref="SearchQueries.SearchAsync"/>'s contract), hybrid when the model is ready.</summary>
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
        var window = await search.SearchAsync(request with { Page = 1, PageSize = Window }, ct);
        if (window.Query.Match is null || semantic.QueryVector(window.Query.Text) is not { } vector)
            return await search.SearchAsync(request, ct);

        var near = semantic.Vectors.Nearest(vector, Candidates);
        var found = await CandidatesAsync(near, window, ct);
        var keywordSlugs = window.Hits.Select(h => h.Slug).ToList();
        var inWindow = keywordSlugs.ToHashSet(StringComparer.Ordinal);
        // A paper the keywords match beyond the window is left to its keyword rank, so no page shows it twice.
        var vectorSlugs = near.Where(n => found.TryGetValue(n.PaperId, out var c) && (inWindow.Contains(c.Slug) || !c.KeywordMatch && n.Similarity >= MinSimilarity))
            .Select(n => found[n.PaperId].Slug).ToList();
        var pinned = window.Hits.Where(h => IsExactMatch(h, window.Query.Text)).Select(h => h.Slug).ToHashSet(StringComparer.Ordinal);
        var fused = RankFusion.Fuse(keywordSlugs, vectorSlugs, pinned, FusionK);

        var hits = window.Hits.ToDictionary(h => h.Slug, StringComparer.Ordinal);
        foreach (var c in found.Values) hits.TryAdd(c.Slug, c);
        var page = Math.Clamp(request.Page, 1, 10_000);
        var size = Math.Clamp(request.PageSize, 1, SearchRequest.MaxPageSize);
        var offset = (long)(page - 1) * size;
        var pageHits = fused.Skip((int)Math.Min(offset, int.MaxValue)).Take(size).Select(s => (SearchHit)hits[s]).ToList();
        var total = window.Total + (fused.Count - keywordSlugs.Count);
        if (pageHits.Count < size && offset + pageHits.Count < total)
            pageHits.AddRange(await KeywordRanksAsync(request, window.Hits.Count + Math.Max(0, offset - fused.Count), size - pageHits.Count, size, ct));
        return window with { Request = window.Request with { Page = page, PageSize = size }, Total = total, Hits = pageHits };
    }

    /// <summary>Keyword results from rank <paramref name="from"/> on (0-based), read as the keyword search's own pages.</summary>
    private async Task<IEnumerable<SearchHit>> KeywordRanksAsync(SearchRequest request, long from, int count, int size, CancellationToken ct)
    {
        var first = (int)Math.Min(10_000, from / size + 1);
        var last = (int)Math.Min(10_000, (from + count - 1) / size + 1);
        var hits = new List<SearchHit>();
        for (var p = first; p <= last; p++) hits.AddRange((await search.SearchAsync(request with { Page = p, PageSize = size }, ct)).Hits);
        return hits.Skip((int)(from - (long)(first - 1) * size)).Take(count);
    }

    /// <summary>
    /// A title or keyword that is the query itself ("Mamba" for "Mamba: Linear-Time Sequence Modeling…", the keyword
    /// "GQA"): such a paper is what the reader typed, and stays above anything the vectors bring.
    /// </summary>
    internal static bool IsExactMatch(PaperRow hit, string query)
    {
        var q = Normal(query);
        if (q.Length == 0) return false;
        var title = Normal(hit.Title);
        var colon = hit.Title.IndexOf(':', StringComparison.Ordinal);
        return title == q || colon > 0 && Normal(hit.Title[..colon]) == q || hit.Keywords.Any(k => Normal(k.Name) == q);
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
        public bool KeywordMatch { get; init; }
        public string? Intro { init => SnippetHtml = WebUtility.HtmlEncode(value is { Length: > 0 } ? SearchText.Excerpt(value, 200) : ""); }
    }

    // The request's filters are SearchQueries' own (@topic, @from, @to and @venue null when not asked for).
    private static readonly string CandidatesSql = "SELECT " + PaperQueries.RowColumns + """
        , p.id AS Id, d.intro AS Intro,
          EXISTS (SELECT 1 FROM paper_search WHERE paper_search MATCH @match AND paper_search.rowid = p.id) AS KeywordMatch
        FROM papers p JOIN topics t ON t.id = p.topic_id LEFT JOIN search_documents d ON d.paper_id = p.id
        WHERE p.id IN @ids
        """ + SearchQueries.Filters + ";";

    /// <summary>The nearest papers that pass the request's filters, as hits (title as text, the intro's opening as snippet).</summary>
    private async Task<Dictionary<long, Candidate>> CandidatesAsync(IReadOnlyList<Neighbour> near, SearchResults window, CancellationToken ct)
    {
        if (near.Count == 0) return [];
        var r = window.Request;
        var args = new
        {
            ids = near.Select(n => n.PaperId).ToArray(),
            match = window.Query.Match,
            topic = string.IsNullOrWhiteSpace(r.Topic) ? null : r.Topic,
            from = r.From?.ToString(CultureInfo.InvariantCulture),
            to = r.To is { } to ? (to + 1).ToString(CultureInfo.InvariantCulture) : null,
            venue = string.IsNullOrWhiteSpace(r.Venue) ? null : r.Venue,
        };
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Candidate>(new CommandDefinition(CandidatesSql, args, cancellationToken: ct));
        return rows.ToDictionary(c => c.Id, c => c with { TitleHtml = WebUtility.HtmlEncode(c.Title) });
    }
}
