namespace PaperCatalog.Search;

/// <summary>
/// Hybrid ranking: a keyword (bm25) ranking and a vector ranking of the same query merged by reciprocal rank fusion
/// (each list gives a paper 1 / (<see cref="K"/> + rank)), with the exact title and keyword matches kept first. Apart from
/// <see cref="SearchQueries"/>, which ranks the keyword list, so the two can change independently.
/// </summary>
public static class RankFusion
{
    /// <summary>
    /// The RRF constant. Chosen on the judged queries (tests/PaperCatalog.Web.Tests/Semantic): 60, the value of the
    /// original paper (Cormack et al., SIGIR 2009), beat 10 and 30 there; smaller values let one list's top dominate.
    /// </summary>
    public const int K = 60;

    /// <summary>
    /// The fused order of <paramref name="keywordRanked"/> and <paramref name="vectorRanked"/> (best first, any keys): the
    /// keys in <paramref name="pinned"/> first, in keyword order, then the rest by fused score (ties: keyword order, then
    /// vector order).
    /// </summary>
    public static IReadOnlyList<T> Fuse<T>(IReadOnlyList<T> keywordRanked, IReadOnlyList<T> vectorRanked, IReadOnlySet<T> pinned, int k = K)
        where T : notnull
    {
        var score = new Dictionary<T, double>();
        var order = new Dictionary<T, int>();
        void Add(IReadOnlyList<T> list, int offset)
        {
            for (var i = 0; i < list.Count; i++)
            {
                score[list[i]] = score.GetValueOrDefault(list[i]) + 1.0 / (k + i + 1);
                order.TryAdd(list[i], offset + i);
            }
        }
        Add(keywordRanked, 0);
        Add(vectorRanked, keywordRanked.Count);
        var first = keywordRanked.Where(pinned.Contains).Distinct().ToList();
        var rest = score.Keys.Where(key => !pinned.Contains(key))
            .OrderByDescending(key => score[key]).ThenBy(key => order[key]);
        return [.. first, .. rest];
    }
}
