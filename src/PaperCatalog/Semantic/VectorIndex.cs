using System.Numerics.Tensors;

namespace PaperCatalog.Semantic;

/// <summary>A paper and how close its vector is to another (the dot product of unit vectors: cosine similarity).</summary>
public readonly record struct Neighbour(long PaperId, float Similarity);

/// <summary>
/// Every paper's vector in one contiguous array, searched by brute force: one SIMD dot product per paper
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>). At 100,000 papers that is 38 million
/// multiply-adds a query, a few milliseconds (tests/PaperCatalog.Benchmarks, verb <c>semantic</c>): no index needed.
/// Immutable; <see cref="SemanticIndex"/> swaps in a new one when the store changes.
/// </summary>
public sealed class VectorIndex
{
    private readonly long[] _ids;
    private readonly float[] _data;
    private readonly Dictionary<long, int> _rows;

    public VectorIndex(long[] ids, float[] data, int dimensions)
    {
        if (data.Length != ids.Length * dimensions) throw new ArgumentException("One row of the given size per id", nameof(data));
        _ids = ids;
        _data = data;
        Dimensions = dimensions;
        _rows = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++) _rows[ids[i]] = i;
    }

    public static VectorIndex Empty { get; } = new([], [], TextEncoder.Dimensions);

    public int Count => _ids.Length;
    public int Dimensions { get; }

    /// <summary>The stored vector of a paper, or an empty span when it has none yet.</summary>
    public ReadOnlySpan<float> VectorOf(long paperId) =>
        _rows.TryGetValue(paperId, out var row) ? _data.AsSpan(row * Dimensions, Dimensions) : [];

    /// <summary>
    /// The <paramref name="k"/> papers nearest to <paramref name="query"/>, nearest first, leaving out
    /// <paramref name="except"/> (the paper a page is about).
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, long except = long.MinValue)
    {
        if (k <= 0 || query.Length != Dimensions || _ids.Length == 0) return [];
        // A min-heap of the best k so far: its root is the one to beat.
        var best = new PriorityQueue<int, float>(k + 1);
        var floor = float.NegativeInfinity;
        var data = _data.AsSpan();
        for (var i = 0; i < _ids.Length; i++)
        {
            var score = TensorPrimitives.Dot(query, data.Slice(i * Dimensions, Dimensions));
            if (best.Count == k && score <= floor) continue;
            if (_ids[i] == except) continue;
            best.Enqueue(i, score);
            if (best.Count > k) best.Dequeue();
            if (best.Count == k) best.TryPeek(out _, out floor);
        }
        var result = new Neighbour[best.Count];
        for (var j = result.Length - 1; j >= 0; j--)
        {
            best.TryDequeue(out var row, out var score);
            result[j] = new Neighbour(_ids[row], score);
        }
        return result;
    }
}
