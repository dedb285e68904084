using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using PaperCatalog.Data;
using PaperCatalog.Search;
using PaperCatalog.Semantic;
using PaperCatalog.Topics;
using Xunit.Abstractions;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>
/// The proof that semantic search helps: the judged queries and neighbours in this folder, scored for keyword search
/// (bm25) alone, vectors alone and hybrid, with both models the packages offer; the thresholds hold for the site's own.
/// Each model runs over its own copy of the semantic site's store (the same import), through the library's real parts.
/// </summary>
[Collection(SemanticSiteCollection.Name)]
public sealed class SemanticEvaluationTests(SemanticSite site, ITestOutputHelper output)
{
    private sealed class Stack : IDisposable
    {
        private Stack(CatalogDatabase database, SemanticIndex index, Dictionary<long, string> slugs)
        {
            Database = database;
            Index = index;
            Slugs = slugs;
            var cache = new CatalogCache(TimeProvider.System);
            Keyword = new SearchQueries(database, cache, new TopicQueries(database, cache));
        }

        public CatalogDatabase Database { get; }
        public SemanticIndex Index { get; }
        public SearchQueries Keyword { get; }
        public Dictionary<long, string> Slugs { get; }

        public static async Task<Stack> OverCopyAsync(string source, string folder, string model)
        {
            var path = Path.Combine(folder, "eval-" + model + ".db");
            File.Delete(path);
            await using (var connection = await new CatalogDatabase(source).OpenAsync(CancellationToken.None))
                await connection.ExecuteAsync("VACUUM INTO @path;", new { path });
            var database = new CatalogDatabase(path);
            var index = new SemanticIndex(database, new SemanticOptions { Model = model }, NullLogger<SemanticIndex>.Instance);
            Assert.True(index.LoadModel(), model + " did not load");
            await index.CatchUpAsync(CancellationToken.None);
            await using var c = await database.OpenAsync(CancellationToken.None);
            var slugs = (await c.QueryAsync<(long, string)>("SELECT id, slug FROM papers;")).ToDictionary(r => r.Item1, r => r.Item2);
            return new Stack(database, index, slugs);
        }

        public async Task<IReadOnlyList<string>> Bm25Async(string q) =>
            (await Keyword.SearchAsync(new SearchRequest { Q = q, PageSize = 10 }, CancellationToken.None)).Hits.Select(h => h.Slug).ToList();

        public async Task<IReadOnlyList<string>> VectorsAsync(string q) =>
            (await Index.NearestAsync(Index.QueryVector(q)!, 10, CancellationToken.None)).Select(n => Slugs[n.PaperId]).ToList();

        public async Task<IReadOnlyList<string>> HybridAsync(string q, int k = RankFusion.K, float? min = null)
        {
            var hybrid = new HybridSearch(Keyword, Index, Database) { FusionK = k, MinSimilarity = min ?? new HybridSearch(Keyword, Index, Database).MinSimilarity };
            return (await hybrid.SearchAsync(new SearchRequest { Q = q, PageSize = 10 }, CancellationToken.None)).Hits.Select(h => h.Slug).ToList();
        }

        public void Dispose() => Index.Dispose();
    }

    private sealed record Scores(double Ndcg, double Recall, IReadOnlyList<string> TitlesOutOfTop3);

    /// <summary>Each query ranked once; the scores over all of them and over each kind come from these.</summary>
    private static async Task<Dictionary<JudgedQuery, IReadOnlyList<string>>> RankAllAsync(IReadOnlyList<JudgedQuery> queries, Func<string, Task<IReadOnlyList<string>>> rank)
    {
        var ranked = new Dictionary<JudgedQuery, IReadOnlyList<string>>();
        foreach (var q in queries) ranked[q] = await rank(q.Query);
        return ranked;
    }

    private static Scores Score(IEnumerable<JudgedQuery> queries, Dictionary<JudgedQuery, IReadOnlyList<string>> ranked)
    {
        var list = queries.ToList();
        var dropped = list.Where(q => q.Kind == "title" && !q.Best.All(b => ranked[q].Take(3).Contains(b))).Select(q => q.Query).ToList();
        return new Scores(list.Average(q => Judgements.Ndcg(ranked[q], q.Grades)), list.Average(q => Judgements.Recall(ranked[q], q.Grades)), dropped);
    }

    private static async Task<double> RelatedPrecisionAsync(RelatedPapers related, IReadOnlyList<(string Paper, IReadOnlySet<string> Expected)> judged)
    {
        var sum = 0.0;
        foreach (var (paper, expected) in judged)
            sum += Judgements.PrecisionAt5((await related.ForAsync(paper, CancellationToken.None)).Select(r => r.Slug).ToList(), expected);
        return sum / judged.Count;
    }

    private void Print(string line) => output.WriteLine(line);

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Hybrid_BeatsKeywordSearchOnJudgedQueries_AndExactTitlesStayInTheTop3()
    {
        await site.ReadyAsync();
        var queries = Judgements.Queries();
        var neighbours = Judgements.Neighbours();
        Assert.True(queries.Count >= 40, "at least 40 judged queries");
        Assert.True(neighbours.Count >= 15, "at least 15 judged papers' neighbours");
        Print($"{queries.Count} judged queries ({string.Join(", ", queries.GroupBy(q => q.Kind).Select(g => g.Count() + " " + g.Key))}), {neighbours.Count} judged papers' neighbours");

        Scores? chosen = null, keyword = null;
        foreach (var model in (string[])["MiniLM", "ArcticXs"])
        {
            using var stack = await Stack.OverCopyAsync(site.DatabasePath, site.Folder, model);
            var bm25Ranks = await RankAllAsync(queries, stack.Bm25Async);
            var vectorRanks = await RankAllAsync(queries, stack.VectorsAsync);
            var hybridRanks = await RankAllAsync(queries, q => stack.HybridAsync(q));
            var (bm25, vectors, hybrid) = (Score(queries, bm25Ranks), Score(queries, vectorRanks), Score(queries, hybridRanks));
            Print($"{model}: nDCG@10 bm25 {F(bm25.Ndcg)}, vectors {F(vectors.Ndcg)}, hybrid {F(hybrid.Ndcg)} ({F(hybrid.Ndcg / bm25.Ndcg)} x bm25); " +
                  $"recall@5 bm25 {F(bm25.Recall)}, vectors {F(vectors.Recall)}, hybrid {F(hybrid.Recall)}; " +
                  $"exact titles out of the top 3: bm25 {bm25.TitlesOutOfTop3.Count}, hybrid {hybrid.TitlesOutOfTop3.Count} {string.Join("; ", hybrid.TitlesOutOfTop3)}");
            foreach (var kind in queries.GroupBy(q => q.Kind))
                Print($"  {kind.Key,-11} nDCG@10 bm25 {F(Score(kind, bm25Ranks).Ndcg)}, vectors {F(Score(kind, vectorRanks).Ndcg)}, hybrid {F(Score(kind, hybridRanks).Ndcg)}");
            foreach (var k in (int[])[10, 60])
            {
                var line = new List<string>();
                foreach (var min in (float[])[0.2f, 0.3f, 0.4f])
                    line.Add($"min {min.ToString(CultureInfo.InvariantCulture)}: {F(Score(queries, await RankAllAsync(queries, q => stack.HybridAsync(q, k, min))).Ndcg)}");
                Print($"  hybrid nDCG@10 with RRF k {k}: {string.Join(", ", line)}");
            }
            var related = new RelatedPapers(stack.Index, stack.Database);
            Print($"  related papers precision@5: blended {F(await RelatedPrecisionAsync(related, neighbours))}, " +
                  $"vectors alone {F(await RelatedPrecisionAsync(new RelatedPapers(stack.Index, stack.Database) { KeywordBonus = 0, LinkBonus = 0, MinSimilarity = 0 }, neighbours))}, " +
                  $"vectors and keywords {F(await RelatedPrecisionAsync(new RelatedPapers(stack.Index, stack.Database) { LinkBonus = 0 }, neighbours))}");
            foreach (var min in (float[])[0.45f, 0.55f, 0.65f])
                Print($"    blended, threshold {min.ToString(CultureInfo.InvariantCulture)}: {F(await RelatedPrecisionAsync(new RelatedPapers(stack.Index, stack.Database) { MinSimilarity = min }, neighbours))}, " +
                      $"papers with no related section: {(await Task.WhenAll(neighbours.Select(n => new RelatedPapers(stack.Index, stack.Database) { MinSimilarity = min }.ForAsync(n.Paper, CancellationToken.None)))).Count(r => r.Count == 0)}");
            if (model == new SemanticOptions().Model)
            {
                chosen = hybrid;
                keyword = bm25;
                Assert.True(await RelatedPrecisionAsync(related, neighbours) >= 0.6, "related papers' precision@5 at least 0.6");
            }
        }
        Assert.NotNull(chosen);
        Assert.True(chosen.Ndcg >= 1.15 * keyword!.Ndcg, $"hybrid nDCG@10 {F(chosen.Ndcg)} is not 1.15 x bm25's {F(keyword.Ndcg)}");
        Assert.Empty(chosen.TitlesOutOfTop3);
    }
}
