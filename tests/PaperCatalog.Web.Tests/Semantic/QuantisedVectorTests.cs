using System.Numerics.Tensors;
using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Semantic;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>
/// The vectors are held as bytes (<see cref="VectorIndex"/>) and the best of a scan re-ranked by the stored floats: the
/// nearest papers must be exactly those of the floats, for every bundled paper (related papers) and every judged query.
/// </summary>
[Collection(SemanticSiteCollection.Name)]
public sealed class QuantisedVectorTests(SemanticSite site)
{
    private static async Task<List<(long Id, float[] Vector)>> StoredFloatsAsync(string path)
    {
        await using var connection = await new CatalogDatabase(path).OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(long Id, byte[] Blob)>("SELECT paper_id, vector FROM paper_vectors WHERE vector IS NOT NULL;");
        return rows.Select(r => (r.Id, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(r.Blob).ToArray())).ToList();
    }

    /// <summary>The nearest <paramref name="k"/> by the floats, brute force, ties by id (as the index breaks them).</summary>
    private static List<long> ExactNearest(List<(long Id, float[] Vector)> floats, float[] query, int k, long except = long.MinValue) =>
        floats.Where(f => f.Id != except).Select(f => (f.Id, Score: TensorPrimitives.Dot(query, f.Vector)))
            .OrderByDescending(f => f.Score).ThenBy(f => f.Id).Take(k).Select(f => f.Id).ToList();

    [Fact]
    public async Task QuantisedScanWithReRank_GivesTheExactFloatNeighbours_ForEveryPaperAndJudgedQuery()
    {
        var index = await site.ReadyAsync();
        var floats = await StoredFloatsAsync(site.DatabasePath);
        Assert.True(floats.Count >= 50, "the bundled catalog's vectors are in");
        // Each paper's neighbours (itself left out, as related papers ask) and each judged query's.
        var asked = floats.Select(f => (f.Vector, Except: f.Id))
            .Concat(Judgements.Queries().Select(q => (Vector: index.QueryVector(q.Query)!, Except: long.MinValue))).ToList();
        var worst = 0f;
        foreach (var (vector, except) in asked)
        {
            // With the re-rank: the same papers in the same order, with the floats' similarities.
            var near = await index.NearestAsync(vector, HybridSearch.Candidates, CancellationToken.None, except);
            Assert.Equal(ExactNearest(floats, vector, HybridSearch.Candidates, except), near.Select(n => n.PaperId).ToList());

            // The bytes alone are close to the floats for every paper, so a re-rank window of a few times the papers asked
            // for holds the exact ones (the catalog is smaller than the window: this is what makes it hold at 100,000).
            var byFloat = floats.ToDictionary(f => f.Id, f => TensorPrimitives.Dot(vector, f.Vector));
            var approximate = index.Vectors.Nearest(vector, index.Vectors.Count, except);
            worst = Math.Max(worst, approximate.Max(n => Math.Abs(n.Similarity - byFloat[n.PaperId])));
            var firstTen = ExactNearest(floats, vector, 10, except);
            Assert.Subset(approximate.Take(20).Select(n => n.PaperId).ToHashSet(), firstTen.ToHashSet());
        }
        Assert.True(worst < 0.01f, $"a quantised similarity is {worst} away from the float one");
    }
}
