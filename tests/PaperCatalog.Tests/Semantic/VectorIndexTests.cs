using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using PaperCatalog.Semantic;

namespace PaperCatalog.Tests.Semantic;

/// <summary>
/// The quantised scan's dot products: the AVX2 kernel (16-bit multiply-adds) and the portable one must give the exact
/// integer a scalar loop gives, at the extremes of both ranges too, and the scan must rank as the floats do within the
/// quantisation's error.
/// </summary>
public sealed class VectorIndexTests
{
    private const int Dimensions = TextEncoder.Dimensions;

    private static long ScalarDot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        long total = 0;
        for (var i = 0; i < row.Length; i++) total += row[i] * query[i];
        return total;
    }

    public static TheoryData<string> Shapes() => ["random", "largest", "smallest", "mixed signs"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Dot_EqualsTheScalarSum_OnEveryKernel(string shape)
    {
        var random = new Random(3);
        var row = new sbyte[Dimensions];
        var query = new short[Dimensions];
        for (var i = 0; i < Dimensions; i++)
            (row[i], query[i]) = shape switch
            {
                "largest" => ((sbyte)127, (short)32_767),
                "smallest" => ((sbyte)-127, (short)-32_767),
                "mixed signs" => ((sbyte)(i % 2 == 0 ? 127 : -127), (short)(i % 3 == 0 ? -32_767 : 32_767)),
                _ => ((sbyte)random.Next(-127, 128), (short)random.Next(-32_767, 32_768)),
            };
        var expected = ScalarDot(row, query);
        Assert.Equal(expected, VectorIndex.DotPortable(row, query));
        if (Avx2.IsSupported) Assert.Equal(expected, VectorIndex.DotAvx2(row, query));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HighDot_EqualsTheScalarSum_OnEveryKernel(string shape)
    {
        var random = new Random(5);
        var row = new byte[Dimensions / 2];
        var query = new sbyte[Dimensions];
        for (var j = 0; j < row.Length; j++)
            row[j] = shape switch
            {
                "largest" or "mixed signs" => (byte)255,
                "smallest" => (byte)0,
                _ => (byte)random.Next(256),
            };
        for (var i = 0; i < Dimensions; i++)
            query[i] = shape switch
            {
                "largest" => (sbyte)127,
                "smallest" => (sbyte)-127,
                "mixed signs" => (sbyte)(i % 2 == 0 ? 127 : -127),
                _ => (sbyte)random.Next(-127, 128),
            };
        long expected = 0;
        for (var j = 0; j < row.Length; j++) expected += (row[j] & 15) * query[j] + (row[j] >> 4) * query[row.Length + j];
        Assert.Equal(expected, VectorIndex.HighDotPortable(row, query));
        if (Avx2.IsSupported) Assert.Equal(expected, VectorIndex.HighDotAvx2(row, query));
    }

    [Fact]
    public void Nearest_RanksTheFloatsNeighbours_WithinTheQuantisationError()
    {
        var random = new Random(7);
        const int count = 2_000;
        var ids = new long[count];
        var floats = new float[count][];
        var high = new byte[count * Dimensions / 2];
        var low = new byte[count * Dimensions / 2];
        var scales = new float[count];
        for (var n = 0; n < count; n++)
        {
            floats[n] = RandomUnit(random);
            ids[n] = 10 + n;
            scales[n] = VectorIndex.Quantise(floats[n], high.AsSpan(n * Dimensions / 2, Dimensions / 2), low.AsSpan(n * Dimensions / 2, Dimensions / 2));
        }
        var index = new VectorIndex(ids, high, low, scales, Dimensions);
        for (var q = 0; q < 20; q++)
        {
            var query = RandomUnit(random);
            var near = index.Nearest(query, 50, except: 10 + q);
            Assert.Equal(50, near.Count);
            Assert.DoesNotContain(near, n => n.PaperId == 10 + q);
            Assert.All(near, n => Assert.InRange(n.Similarity - TensorPrimitives.Dot(query, floats[n.PaperId - 10]), -0.005f, 0.005f));
            var exactTen = Enumerable.Range(0, count).Where(n => n != q).OrderByDescending(n => TensorPrimitives.Dot(query, floats[n])).Take(10).Select(n => ids[n]);
            Assert.Subset(near.Select(n => n.PaperId).ToHashSet(), exactTen.ToHashSet());
            Assert.True(near.Zip(near.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity), "nearest first");
        }
    }

    private static float[] RandomUnit(Random random)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }
}
