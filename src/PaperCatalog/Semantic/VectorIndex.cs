using System.Numerics;
using System.Runtime.InteropServices;

namespace PaperCatalog.Semantic;

/// <summary>A paper and how close its vector is to another (the dot product of unit vectors: cosine similarity).</summary>
public readonly record struct Neighbour(long PaperId, float Similarity);

/// <summary>
/// Every paper's vector quantised to 8 bits, in one contiguous array, searched by brute force: each row holds a vector's
/// components as signed bytes over its own scale (largest component = 127), so 100,000 vectors take 38 MB instead of
/// 154 MB of floats, and a scan reads a quarter of the memory. The scores are approximate (within about 0.005 of the
/// cosine on unit vectors); <see cref="SemanticIndex.NearestAsync"/> re-ranks the best of them by the stored floats, so
/// the nearest papers it gives are the exact float ranking. Immutable; <see cref="SemanticIndex"/> swaps in a new one
/// when the store changes.
/// </summary>
public sealed class VectorIndex
{
    // The query's components as integers up to this: 127 × 32,767 × 384 dimensions stays inside an int's range.
    private const float QueryRange = 32_767f;
    private readonly long[] _ids;
    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly Dictionary<long, int> _rows;

    public VectorIndex(long[] ids, sbyte[] codes, float[] scales, int dimensions)
    {
        if (codes.Length != ids.Length * dimensions || scales.Length != ids.Length) throw new ArgumentException("One row of the given size and one scale per id", nameof(codes));
        _ids = ids;
        _codes = codes;
        _scales = scales;
        Dimensions = dimensions;
        _rows = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++) _rows[ids[i]] = i;
    }

    public static VectorIndex Empty { get; } = new([], [], [], TextEncoder.Dimensions);

    public int Count => _ids.Length;
    public int Dimensions { get; }

    /// <summary>The memory the vectors take (codes and scales), for the benchmark's report.</summary>
    public long Bytes => _codes.LongLength + _scales.LongLength * sizeof(float);

    /// <summary>True when the paper has a vector here.</summary>
    public bool Contains(long paperId) => _rows.ContainsKey(paperId);

    /// <summary>
    /// Writes <paramref name="vector"/> as signed bytes into <paramref name="codes"/> and returns the scale that turns them
    /// back (component ≈ code × scale); a zero vector has scale 0.
    /// </summary>
    public static float Quantise(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(vector);
        var scale = Math.Abs(max) / 127f;
        for (var i = 0; i < vector.Length; i++) codes[i] = scale == 0 ? (sbyte)0 : (sbyte)Math.Round(vector[i] / scale);
        return scale;
    }

    /// <summary>
    /// The <paramref name="k"/> papers nearest to <paramref name="query"/> by the quantised vectors, nearest first, leaving
    /// out <paramref name="except"/> (the paper a page is about). Similarities are approximate: see the class summary.
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, long except = long.MinValue)
    {
        if (k <= 0 || query.Length != Dimensions || _ids.Length == 0) return [];
        // The query as integers, widened once, so each row costs integer multiply-adds only.
        var max = Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(query));
        if (max == 0) return [];
        var queryScale = max / QueryRange;
        var q = new int[Dimensions];
        for (var i = 0; i < q.Length; i++) q[i] = (int)Math.Round(query[i] / queryScale);

        // A min-heap of the best k so far: its root is the one to beat.
        var best = new PriorityQueue<int, float>(k + 1);
        var floor = float.NegativeInfinity;
        var codes = _codes.AsSpan();
        for (var i = 0; i < _ids.Length; i++)
        {
            var score = Dot(codes.Slice(i * Dimensions, Dimensions), q) * _scales[i] * queryScale;
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

    /// <summary>
    /// The integer dot product of a row and the widened query, one SIMD register of bytes at a time (widened twice to
    /// ints: .NET's portable vectors have no byte multiply-add).
    /// </summary>
    private static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<int> query)
    {
        var sum = Vector<int>.Zero;
        var i = 0;
        if (row.Length >= Vector<sbyte>.Count)
        {
            var queries = MemoryMarshal.Cast<int, Vector<int>>(query);
            var step = Vector<sbyte>.Count;
            var ints = Vector<int>.Count;
            for (; i + step <= row.Length; i += step)
            {
                Vector.Widen(new Vector<sbyte>(row[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                var at = i / ints;
                sum += a * queries[at] + b * queries[at + 1] + c * queries[at + 2] + d * queries[at + 3];
            }
        }
        var total = Vector.Sum(sum);
        for (; i < row.Length; i++) total += row[i] * query[i];
        return total;
    }
}
