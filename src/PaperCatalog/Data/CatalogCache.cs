using System.Collections.Concurrent;

namespace PaperCatalog.Data;

/// <summary>
/// Keeps the site's small, hot read models (the topic list, a topic's rows, a paper's page) in memory so a page
/// view does not go back to SQLite every time. Writes made through this process call <see cref="Invalidate"/>;
/// writes from another process (a <c>catalog import</c> into a running site's store) show within
/// <see cref="Lifetime"/>. Only found items are kept, so probing unknown slugs cannot fill it. Entries past their
/// lifetime are swept out every <see cref="SweepEvery"/>: kept until replaced, as they were, 20,000 expired paper pages
/// of a 100,000-paper catalog under a crawler stayed in memory for good (the output cache holds the rendered pages).
/// </summary>
public sealed class CatalogCache(TimeProvider clock)
{
    private const int MaxEntries = 20_000;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, long Version), Lazy<Task<object?>>> _loading = new();
    private long _version;
    private long _lastSweep = clock.GetTimestamp();
    private int _sweeping;

    /// <summary>How long an entry may be served before it is read again.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Changes on every <see cref="Invalidate"/>: other caches put it in their keys to forget on writes too.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Raised after <see cref="Invalidate"/>, so caches outside the library (the site's output cache) forget too.</summary>
    public event Action? Invalidated;

    /// <summary>Forgets everything: call after any write to the store.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _entries.Clear();
        Invalidated?.Invoke();
    }

    /// <summary>The cached value for <paramref name="key"/>, or what <paramref name="load"/> reads (cached unless null).</summary>
    public Task<T?> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken ct) where T : class =>
        GetOrLoadAsync(key, Lifetime, load, ct);

    /// <summary>As above, for an entry that is costly to read and may be kept for <paramref name="lifetime"/>.</summary>
    public async Task<T?> GetOrLoadAsync<T>(string key, TimeSpan lifetime, Func<CancellationToken, Task<T?>> load, CancellationToken ct) where T : class
    {
        var version = Volatile.Read(ref _version);
        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version && clock.GetElapsedTime(entry.LoadedAt, now) < lifetime)
            return (T)entry.Value;
        // One load of a key at a time: readers who miss together wait for the same read. At 100,000 papers the search
        // facets are ~100 MB of rows to read and drop; sixteen readers arriving at a cold site each read them, which held
        // the first 20 seconds of a wrk run to 20 requests a second and left the heap some 150 MB larger for good.
        // The load is not cancelled with the reader who started it (the others still want it); each reader stops
        // waiting when its own request ends.
        var loading = _loading.GetOrAdd((key, version), k => new Lazy<Task<object?>>(() => LoadAsync(k.Key, k.Version, lifetime, load)));
        return (T?)await loading.Value.WaitAsync(ct);
    }

    private async Task<object?> LoadAsync<T>(string key, long version, TimeSpan lifetime, Func<CancellationToken, Task<T?>> load) where T : class
    {
        try
        {
            // Returns the task to Lazy.Value at once: Microsoft.Data.Sqlite's async methods run synchronously, so without
            // this the whole read would run inside the Lazy's lock while every other reader's thread blocked on it
            // (a profile of the topic page under 16 clients showed it as a third of the lock waits).
            await Task.Yield();
            var value = await load(CancellationToken.None);
            var now = clock.GetTimestamp();
            SweepIfDue(now);
            if (value is not null && _entries.Count < MaxEntries) _entries[key] = new Entry(value, version, now, lifetime);
            return value;
        }
        finally
        {
            _loading.TryRemove((key, version), out _);
        }
    }

    /// <summary>The value held for <paramref name="key"/> at the current version and within its lifetime, or null; reads nothing.</summary>
    internal T? Peek<T>(string key) where T : class =>
        _entries.TryGetValue(key, out var entry) && entry.Version == Version && clock.GetElapsedTime(entry.LoadedAt, clock.GetTimestamp()) < entry.Lifetime ? entry.Value as T : null;

    /// <summary>How many entries are held, expired or not.</summary>
    internal int Count => _entries.Count;

    // One sweep at a time, at most every SweepEvery; enumerating a ConcurrentDictionary while others write is safe.
    private void SweepIfDue(long now)
    {
        if (clock.GetElapsedTime(Volatile.Read(ref _lastSweep), now) < SweepEvery || Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            Volatile.Write(ref _lastSweep, now);
            var version = Volatile.Read(ref _version);
            foreach (var (key, entry) in _entries)
                if (entry.Version != version || clock.GetElapsedTime(entry.LoadedAt, now) >= entry.Lifetime)
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private sealed record Entry(object Value, long Version, long LoadedAt, TimeSpan Lifetime);
}
