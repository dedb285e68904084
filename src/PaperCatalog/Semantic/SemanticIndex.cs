using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using PaperCatalog.Data;

namespace PaperCatalog.Semantic;

/// <summary>
/// The site's semantic side: the model (loaded once; absent when switched off or broken), the vectors in memory, and
/// the query vectors asked for lately. <see cref="CatchUpAsync"/> computes the vectors the store lacks and swaps in a
/// fresh <see cref="Vectors"/>; until the first catch-up has finished, <see cref="IsReady"/> is false and the site
/// ranks by keywords alone.
/// </summary>
public sealed class SemanticIndex(CatalogDatabase database, SemanticOptions options, ILogger<SemanticIndex> logger, CatalogCache? cache = null) : IDisposable
{
    private const int Batch = 16;
    private const int MaxQueryLength = 500;
    private readonly MemoryCache _queries = new(new MemoryCacheOptions { SizeLimit = 1_000 });
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly TaskCompletionSource _wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TextEncoder? _encoder;
    private volatile VectorIndex _vectors = VectorIndex.Empty;
    private volatile bool _ready;
    private long _generation;
    private long _papersEncoded;

    public bool Enabled => options.Enabled;

    /// <summary>True once the model is loaded and every paper had its vector at the last catch-up.</summary>
    public bool IsReady => _ready;

    /// <summary>Completes once a reader has asked for something only the model can give (<see cref="Want"/>).</summary>
    public Task Wanted => _wanted.Task;

    /// <summary>
    /// Says the model is needed now (a search while it is not ready): the background service loads it without waiting for
    /// the site to be idle. The caller answers from keywords meanwhile.
    /// </summary>
    public void Want()
    {
        if (options.Enabled) _wanted.TrySetResult();
    }

    /// <summary>The model, when one is loaded.</summary>
    public TextEncoder? Encoder => _encoder;

    /// <summary>The vectors as of the last catch-up.</summary>
    public VectorIndex Vectors => _vectors;

    /// <summary>How many paper texts this process has embedded (the tests' proof that unchanged papers are skipped).</summary>
    public long PapersEncoded => Interlocked.Read(ref _papersEncoded);

    /// <summary>Changes whenever <see cref="Vectors"/> does: caches of answers built from vectors key on it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// Loads the model; false (with one log line) when semantic search is off or the model cannot be loaded, which leaves
    /// the site on keyword search.
    /// </summary>
    public bool LoadModel()
    {
        if (!options.Enabled || _encoder is not null) return _encoder is not null;
        try
        {
            _encoder = TextEncoder.Load(options.Model, options.ModelFile);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or BadImageFormatException
                                       or DllNotFoundException or TypeInitializationException or NullReferenceException)
        {
            // NullReferenceException: the packages' resource loader's answer to a model assembly without its resources.
            logger.LogWarning("Semantic search is off: the model {Model} could not be loaded ({Reason}); search ranks by keywords", options.Model, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Computes every missing or outdated vector (in small batches, each its own short transaction, so imports and edits
    /// are never held up) and reloads the vectors when any were stored; then the caches forget answers built without
    /// them (keyword-only results, related papers of old vectors). Returns how many were computed.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var encoder = _encoder;
        if (encoder is null) return 0;
        await _catchUp.WaitAsync(ct);
        try
        {
            var computed = 0;
            var stalls = 0;
            if (_generation == 0 && await PaperVectors.ForgetOtherModelAsync(database, encoder.Model, ct))
                logger.LogInformation("Semantic search: computing vectors with {Model}", encoder.Model);
            while (true)
            {
                var pending = await PaperVectors.PendingAsync(database, Batch, ct);
                if (pending.Count == 0) break;
                var vectors = await Task.Run(() => encoder.Encode(pending.Select(p => p.Text).ToList()), ct);
                Interlocked.Add(ref _papersEncoded, pending.Count);
                var saved = await PaperVectors.SaveAsync(database, pending, vectors, ct);
                computed += saved;
                // A batch whose papers all changed while it was computed is read again; nothing stored twice in a row would
                // mean rows no vector can be saved for, so stop rather than spin (the next write tries again).
                stalls = saved == 0 ? stalls + 1 : 0;
                if (stalls >= 2) break;
            }
            if (computed > 0 || Interlocked.Read(ref _generation) == 0)
            {
                _vectors = await PaperVectors.LoadAsync(database, ct);
                Interlocked.Increment(ref _generation);
            }
            var wasReady = _ready;
            _ready = true;
            if (computed > 0 || !wasReady) cache?.Invalidate();
            return computed;
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <summary>The vector of a search query (cached: a query typed again is not encoded again), or null without a model.</summary>
    public float[]? QueryVector(string query)
    {
        var encoder = _encoder;
        if (encoder is null) return null;
        var key = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (key.Length == 0) return null;
        if (key.Length > MaxQueryLength) key = key[..MaxQueryLength];
        if (_queries.TryGetValue(key, out float[]? known) && known is not null) return known;
        var vector = encoder.EncodeQuery(key);
        _queries.Set(key, vector, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return vector;
    }

    /// <summary>
    /// How many of the quantised scan's best are re-ranked by their stored floats. The quantised scores are within about
    /// 0.005 of the cosine, so the exact nearest 30 are far inside the best 100 (tests/PaperCatalog.Web.Tests/Semantic
    /// compares the lists over the bundled catalog; the benchmark over 100,000 random vectors, the hard case).
    /// </summary>
    public int ReRanked { get; init; } = 100;

    /// <summary>
    /// The <paramref name="k"/> papers nearest to <paramref name="vector"/>, nearest first, leaving out
    /// <paramref name="except"/>: the quantised scan's best <see cref="ReRanked"/>, ranked by the stored floats (a paper
    /// whose vector was cleared since keeps its quantised score), so the order and similarities are the floats' own.
    /// </summary>
    public async Task<IReadOnlyList<Neighbour>> NearestAsync(float[] vector, int k, CancellationToken ct, long except = long.MinValue)
    {
        var approximate = Vectors.Nearest(vector, Math.Max(k, ReRanked), except);
        if (approximate.Count == 0) return [];
        var ids = new long[approximate.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = approximate[i].PaperId;
        var exact = await PaperVectors.SimilaritiesAsync(database, vector, ids, ct);
        var ranked = new Neighbour[ids.Length];
        for (var i = 0; i < ranked.Length; i++) ranked[i] = float.IsNaN(exact[i]) ? approximate[i] : approximate[i] with { Similarity = exact[i] };
        Array.Sort(ranked, static (a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.PaperId.CompareTo(b.PaperId));
        return ranked.Length > k ? ranked[..k] : ranked;
    }

    /// <summary>
    /// The <paramref name="count"/> papers nearest to a search query's vector, or null without a model. Kept with the
    /// query's vector and keyed by <see cref="Generation"/>: a query's next page or another filter of it needs the same
    /// neighbours, and the scan reads every vector.
    /// </summary>
    public async Task<IReadOnlyList<Neighbour>?> NearestToQueryAsync(string query, int count, CancellationToken ct)
    {
        if (QueryVector(query) is not { } vector) return null;
        var key = (Generation, string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant(), count);
        if (_queries.TryGetValue(key, out IReadOnlyList<Neighbour>? known) && known is not null) return known;
        var near = await NearestAsync(vector, count, ct);
        _queries.Set(key, near, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return near;
    }

    public void Dispose()
    {
        _encoder?.Dispose();
        _queries.Dispose();
        _catchUp.Dispose();
    }
}
