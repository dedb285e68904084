using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PaperCatalog.Semantic;

/// <summary>A paper and how close its vector is to another (the dot product of unit vectors: cosine similarity).</summary>
public readonly record struct Neighbour(long PaperId, float Similarity);

/// <summary>
/// Every paper's vector quantised to 8 bits, searched by brute force: each vector's components are signed bytes over its
/// own scale (largest component = 127), so 100,000 vectors take 37 MiB instead of 146 MiB of floats. Each byte is held
/// as two 4-bit halves in two planes (high halves of every row in one array, low halves in another): a scan reads only
/// the high plane, 18.5 MiB at 100,000 (the scan is bound by reading memory: 37 MiB took 4.6-9 ms on one core here),
/// and scores the best few hundred rows exactly by adding their low halves. The byte scores are approximate (within
/// about 0.005 of the cosine on unit vectors); <see cref="SemanticIndex.NearestAsync"/> re-ranks the best of them by
/// the stored floats, so the nearest papers it gives are the exact float ranking. Immutable; <see cref="SemanticIndex"/>
/// swaps in a new one when the store changes.
/// </summary>
public sealed class VectorIndex
{
    // The query's components as integers up to this: 127 × 32,767 × 384 dimensions stays inside an int's range.
    private const float QueryRange = 32_767f;

    /// <summary>
    /// How many rows the high halves' scan passes on to be scored exactly, at least. Their scores are off by up to 8 codes
    /// per component (about 0.006 of the cosine, one standard deviation, over random unit vectors), so a row of the exact
    /// best 30 lies among the best few hundred by the high halves, even over 100,000 random vectors (where the best
    /// crowd together most); the benchmark counts the exact ranking's papers it gets back.
    /// </summary>
    private const int Coarse = 512;

    private readonly long[] _ids;
    private readonly byte[] _high;
    private readonly byte[] _low;
    private readonly float[] _scales;
    private readonly Dictionary<long, int> _rows;

    /// <summary>
    /// The index over rows already split by <see cref="Quantise"/>: row i (paper <paramref name="ids"/>[i]) is
    /// <paramref name="dimensions"/> / 2 bytes of each plane from i × <paramref name="dimensions"/> / 2.
    /// </summary>
    public VectorIndex(long[] ids, byte[] high, byte[] low, float[] scales, int dimensions)
    {
        if (dimensions % 2 != 0) throw new ArgumentException("Two components per byte of a plane", nameof(dimensions));
        if (high.Length != ids.Length * (dimensions / 2) || low.Length != high.Length || scales.Length != ids.Length)
            throw new ArgumentException("One row of the given size in each plane and one scale per id", nameof(high));
        _ids = ids;
        _high = high;
        _low = low;
        _scales = scales;
        Dimensions = dimensions;
        _rows = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++) _rows[ids[i]] = i;
    }

    public static VectorIndex Empty { get; } = new([], [], [], [], TextEncoder.Dimensions);

    public int Count => _ids.Length;
    public int Dimensions { get; }

    /// <summary>The memory the vectors take (both planes and the scales), for the benchmark's report.</summary>
    public long Bytes => _high.LongLength + _low.LongLength + _scales.LongLength * sizeof(float);

    /// <summary>True when the paper has a vector here.</summary>
    public bool Contains(long paperId) => _rows.ContainsKey(paperId);

    /// <summary>
    /// Writes <paramref name="vector"/> as signed bytes, split into its row of each plane (<paramref name="high"/> and
    /// <paramref name="low"/>, half as many bytes as components each), and returns the scale that turns the bytes back
    /// (component ≈ byte × scale); a zero vector has scale 0.
    /// </summary>
    public static float Quantise(ReadOnlySpan<float> vector, Span<byte> high, Span<byte> low)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(vector);
        var scale = Math.Abs(max) / 127f;
        // Component 2j in the low 4 bits of byte j, 2j + 1 in its high 4 bits; the high half offset by 8 so it is unsigned.
        for (var j = 0; j < vector.Length / 2; j++)
        {
            int even = scale == 0 ? 0 : (int)Math.Round(vector[2 * j] / scale), odd = scale == 0 ? 0 : (int)Math.Round(vector[2 * j + 1] / scale);
            high[j] = (byte)(((even >> 4) + 8) | (((odd >> 4) + 8) << 4));
            low[j] = (byte)((even & 15) | ((odd & 15) << 4));
        }
        return scale;
    }

    /// <summary>
    /// The <paramref name="k"/> papers nearest to <paramref name="query"/> by the quantised vectors, nearest first, leaving
    /// out <paramref name="except"/> (the paper a page is about). Similarities are approximate: see the class summary.
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, long except = long.MinValue)
    {
        if (k <= 0 || query.Length != Dimensions || _ids.Length == 0) return [];
        var max = Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(query));
        if (max == 0) return [];
        // The query twice: as signed bytes, split into even and odd components as the planes hold them, for the scan of
        // the high halves (unsigned 4-bit × signed 8-bit pairs, vpmaddubsw, cannot saturate); as 16-bit integers for the
        // exact byte scores of the rows it passes on.
        var half = Dimensions / 2;
        var coarseScale = max / 127f;
        Span<sbyte> evenOdd = stackalloc sbyte[Dimensions];
        var sum = 0;
        for (var j = 0; j < half; j++)
        {
            evenOdd[j] = (sbyte)Math.Round(query[2 * j] / coarseScale);
            evenOdd[half + j] = (sbyte)Math.Round(query[2 * j + 1] / coarseScale);
            sum += evenOdd[j] + evenOdd[half + j];
        }
        var fineScale = max / QueryRange;
        Span<short> fine = stackalloc short[Dimensions];
        for (var i = 0; i < fine.Length; i++) fine[i] = (short)Math.Round(query[i] / fineScale);

        // A byte is 16 × (high half - 8) + low half; a low half is 7.5 on average, which the estimate assumes.
        var offset = 120.5f * sum;
        var coarse = Math.Min(_ids.Length, Math.Max(Coarse, 4 * k));
        var high = _high.AsSpan();
        var avx2 = Avx2.IsSupported && half % Vector256<byte>.Count == 0;
        var best = new PriorityQueue<int, float>(coarse + 1);
        var floor = float.NegativeInfinity;
        for (var i = 0; i < _ids.Length; i++)
        {
            var row = high.Slice(i * half, half);
            var estimate = (16f * (avx2 ? HighDotAvx2(row, evenOdd) : HighDotPortable(row, evenOdd)) - offset) * _scales[i];
            if (best.Count == coarse && estimate <= floor) continue;
            if (_ids[i] == except) continue;
            best.Enqueue(i, estimate);
            if (best.Count > coarse) best.Dequeue();
            if (best.Count == coarse) best.TryPeek(out _, out floor);
        }

        // The rows passed on, scored by their whole bytes, the best k kept.
        var exact = new PriorityQueue<int, float>(k + 1);
        Span<sbyte> codes = stackalloc sbyte[Dimensions];
        var avx2Fine = Avx2.IsSupported && Dimensions % Vector256<short>.Count == 0;
        while (best.TryDequeue(out var i, out _))
        {
            Codes(i, codes);
            var score = (avx2Fine ? DotAvx2(codes, fine) : DotPortable(codes, fine)) * _scales[i] * fineScale;
            exact.Enqueue(i, score);
            if (exact.Count > k) exact.Dequeue();
        }
        var result = new Neighbour[exact.Count];
        for (var j = result.Length - 1; j >= 0; j--)
        {
            exact.TryDequeue(out var row, out var score);
            result[j] = new Neighbour(_ids[row], score);
        }
        return result;
    }

    /// <summary>Row <paramref name="row"/>'s bytes, put together from its two halves.</summary>
    private void Codes(int row, Span<sbyte> codes)
    {
        var half = Dimensions / 2;
        var high = _high.AsSpan(row * half, half);
        var low = _low.AsSpan(row * half, half);
        for (var j = 0; j < half; j++)
        {
            codes[2 * j] = (sbyte)((((high[j] & 15) - 8) << 4) | (low[j] & 15));
            codes[2 * j + 1] = (sbyte)((((high[j] >> 4) - 8) << 4) | (low[j] >> 4));
        }
    }

    /// <summary>
    /// A row's high halves (unsigned, 0-15) times the query's bytes (even components, then odd) with AVX2: 32 bytes of
    /// the plane, 64 components, per step; pairs multiplied and added into 16 bits (at most 2 × 15 × 127 each, so
    /// vpmaddubsw never saturates), the even and odd sums added (at most 7,620) and widened to 32 bits by vpmaddwd.
    /// </summary>
    internal static int HighDotAvx2(ReadOnlySpan<byte> row, ReadOnlySpan<sbyte> evenOdd)
    {
        var half = row.Length;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(evenOdd);
        var nibble = Vector256.Create((byte)15);
        var ones = Vector256.Create((short)1);
        var sum = Vector256<int>.Zero;
        for (var j = 0; j + 32 <= half; j += 32)
        {
            var bytes = Vector256.LoadUnsafe(ref r, (nuint)j);
            var even = Avx2.MultiplyAddAdjacent(bytes & nibble, Vector256.LoadUnsafe(ref q, (nuint)j));
            var odd = Avx2.MultiplyAddAdjacent(Vector256.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble, Vector256.LoadUnsafe(ref q, (nuint)(half + j)));
            sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(even + odd, ones));
        }
        return Vector256.Sum(sum);
    }

    /// <summary>The same as <see cref="HighDotAvx2"/>, one component at a time, for processors without AVX2.</summary>
    internal static int HighDotPortable(ReadOnlySpan<byte> row, ReadOnlySpan<sbyte> evenOdd)
    {
        var half = row.Length;
        var total = 0;
        for (var j = 0; j < half; j++) total += (row[j] & 15) * evenOdd[j] + (row[j] >> 4) * evenOdd[half + j];
        return total;
    }

    /// <summary>
    /// The integer dot product of a row and the query with AVX2: 16 bytes sign-extended to 16-bit lanes and multiplied
    /// pairwise into 32-bit sums (vpmaddwd), a quarter of the instructions of widening everything to ints, so the scan is
    /// bound by reading the bytes. Needs a length that is a multiple of 16.
    /// </summary>
    internal static int DotAvx2(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        var even = Vector256<int>.Zero;
        var odd = Vector256<int>.Zero;
        var i = 0;
        for (; i + 32 <= row.Length; i += 32)
        {
            var low = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
            var high = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i + 16));
            even = Avx2.Add(even, Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref q, (nuint)i)));
            odd = Avx2.Add(odd, Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref q, (nuint)i + 16)));
        }
        if (i < row.Length)
            even = Avx2.Add(even, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i)), Vector256.LoadUnsafe(ref q, (nuint)i)));
        return Vector256.Sum(even + odd);
    }

    /// <summary>
    /// The same dot product with portable vectors, for processors without AVX2: one register of bytes at a time, widened
    /// twice to ints with the query beside them (.NET's portable vectors have no byte or short multiply-add).
    /// </summary>
    internal static int DotPortable(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var sum = Vector<int>.Zero;
        var i = 0;
        var step = Vector<sbyte>.Count;
        for (; i + step <= row.Length; i += step)
        {
            Vector.Widen(new Vector<sbyte>(row[i..]), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            Vector.Widen(new Vector<short>(query[i..]), out var qa, out var qb);
            Vector.Widen(new Vector<short>(query[(i + Vector<short>.Count)..]), out var qc, out var qd);
            sum += a * qa + b * qb + c * qc + d * qd;
        }
        var total = Vector.Sum(sum);
        for (; i < row.Length; i++) total += row[i] * query[i];
        return total;
    }
}
