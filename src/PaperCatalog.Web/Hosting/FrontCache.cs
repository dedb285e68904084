using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using PaperCatalog.Data;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// The anonymous reader's public pages answered before the error pages, routing, sign-in, authorisation, rate limits
/// and the output cache's own lookup: on a 2-core machine those steps were about a fifth of a cached page's time, and
/// the status-code step alone more than half of what a cached answer allocated (README, Benchmarks).
/// It holds the bytes exactly as they were sent (one entry per Accept-Encoding, so a gzip or br body is never
/// compressed again) with their headers, protective headers included; the step that adds those to every answer runs
/// before this one and sets the same values again.
/// <para>
/// Only what any reader would get is kept: the answer to a GET without the moderator cookie or an Authorization
/// header, a 200 with the ETag step's public <c>Cache-Control</c> and an ETag, no cookie set, from an endpoint with no
/// rate limit (a cached search still counts against the client's allowance, so it keeps going through the limiter)
/// and no authorisation. A request that carries the moderator cookie (valid or not) or asks for a private path never
/// looks here. Every write clears it, with the output cache; an answer made before a write and finished after the
/// clear is not stored.
/// </para>
/// <para>
/// An answer is kept the second time its key misses here (rendered or from the output cache), so addresses asked for
/// once (a query string of junk, a crawler's walk) never take its room. It is small (an eighth of the output cache);
/// when full it starts again empty, and the pages still asked for come back on their next request.
/// </para>
/// </summary>
public sealed class FrontCache
{
    /// <summary>As long as the output cache keeps an answer; every write clears both long before.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>The ETag step's own Cache-Control for public answers: anything else was chosen by a page and is left to the output cache.</summary>
    internal const string PublicCacheControl = "public, max-age=0, must-revalidate";

    private const int MaxEntryBytes = 1024 * 1024;

    /// <summary>How many keys seen once are remembered before that list starts again.</summary>
    private const int MaxSeen = 16_384;

    /// <summary>Headers the server or this step writes for each answer itself.</summary>
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase) { "Content-Length", "Date", "Server", "Age", "Transfer-Encoding" };

    private static readonly string[] Ages = [.. Enumerable.Range(0, (int)Lifetime.TotalSeconds + 2).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    /// <summary>Hashes of keys seen once, not the keys: a long query string costs no memory here (a collision only lets an answer in early).</summary>
    private readonly ConcurrentDictionary<int, bool> _seen = new();
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _clock;
    private readonly long _capacityBytes;
    private readonly string _moderatorCookie;
    private long _generation;
    private long _bytes;
    private int _seenCount;

    /// <param name="capacityBytes">What it may hold (an eighth of the output cache's size, see <see cref="CachingHosting"/>).</param>
    public FrontCache(CatalogCache catalog, TimeProvider clock, long capacityBytes, IOptionsMonitor<CookieAuthenticationOptions> cookies)
    {
        _clock = clock;
        _capacityBytes = capacityBytes;
        _moderatorCookie = cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie.Name ?? "catalog.moderator";
        catalog.Invalidated += Clear;
    }

    /// <summary>How many answers it holds (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>Forgets every answer; one being made now is not stored when it is done (its generation is past).</summary>
    public void Clear()
    {
        lock (_writeLock)
        {
            _generation++;
            _entries.Clear();
            _bytes = 0;
        }
    }

    /// <summary>The step itself: a stored answer for a request that may have one, else the rest of the pipeline.</summary>
    internal Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || CachingHosting.IsPrivate(request.Path) || CachingHosting.IsStatic(request.Path) ||
            !StringValues.IsNullOrEmpty(request.Headers.Authorization) || HasCookie(request, _moderatorCookie))
            return next(context);
        var key = new Key(request.Scheme, request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value,
            request.Headers.AcceptEncoding.ToString());
        var generation = Volatile.Read(ref _generation);
        if (_entries.TryGetValue(key, out var entry))
        {
            var age = _clock.GetElapsedTime(entry.Stored);
            if (age < Lifetime) return WriteAsync(context, entry, age);
            Remove(key, entry);
        }
        else if (!SeenBefore(key)) return next(context);
        return CaptureAsync(context, next, key, generation);
    }

    /// <summary>
    /// Whether the request carries the cookie. Most readers send no Cookie header at all, and asking
    /// <c>Request.Cookies</c> would build (and parse into) a cookie collection for every one of them.
    /// </summary>
    private static bool HasCookie(HttpRequest request, string name) =>
        !StringValues.IsNullOrEmpty(request.Headers.Cookie) && request.Cookies.ContainsKey(name);

    /// <summary>Whether the key missed here before; if not, it is remembered for next time.</summary>
    private bool SeenBefore(Key key)
    {
        var hash = key.GetHashCode();
        if (_seen.ContainsKey(hash)) return true;
        if (Interlocked.Increment(ref _seenCount) > MaxSeen)
        {
            _seen.Clear();
            Interlocked.Exchange(ref _seenCount, 0);
        }
        _seen.TryAdd(hash, true);
        return false;
    }

    /// <summary>Runs the rest of the pipeline, keeping a copy of what it sends; stores it when any reader would get the same.</summary>
    private async Task CaptureAsync(HttpContext context, RequestDelegate next, Key key, long generation)
    {
        var response = context.Response;
        var original = response.Body;
        await using var copy = new CopyingStream(original);
        response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }
        if (copy.Overflowed || context.RequestAborted.IsCancellationRequested || !AnyReaderGetsThis(context)) return;
        var headers = new List<KeyValuePair<string, StringValues>>(response.Headers.Count);
        foreach (var header in response.Headers)
            if (!NotStored.Contains(header.Key)) headers.Add(header);
        var body = copy.Copy.ToArray();
        // The body, the key's text and a rough allowance for the headers.
        var size = body.Length + key.Chars * 2L + 1024;
        Add(key, generation, new Entry([.. headers], response.Headers.ETag.ToString(), body, _clock.GetTimestamp(), size));
    }

    private static bool AnyReaderGetsThis(HttpContext context)
    {
        var response = context.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.CacheControl != PublicCacheControl ||
            StringValues.IsNullOrEmpty(response.Headers.ETag) || !StringValues.IsNullOrEmpty(response.Headers.SetCookie) ||
            context.Items.ContainsKey(CachingHosting.NoStoreItem) || context.User.Identity?.IsAuthenticated == true)
            return false;
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata is not null && metadata.GetMetadata<EnableRateLimitingAttribute>() is null && metadata.GetMetadata<IAuthorizeData>() is null &&
               metadata.GetMetadata<CachingHosting.StreamedAnswer>() is null;
    }

    private void Add(Key key, long generation, Entry entry)
    {
        lock (_writeLock)
        {
            if (_generation != generation) return;
            if (_bytes + entry.Size > _capacityBytes)
            {
                // Full: start again rather than keep whatever came first; what is still asked for comes back at once.
                _entries.Clear();
                _bytes = 0;
            }
            if (_entries.TryGetValue(key, out var old)) _bytes -= old.Size;
            _entries[key] = entry;
            _bytes += entry.Size;
        }
    }

    private void Remove(Key key, Entry entry)
    {
        lock (_writeLock)
        {
            if (_entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry))) _bytes -= entry.Size;
        }
    }

    private static Task WriteAsync(HttpContext context, Entry entry, TimeSpan age)
    {
        var response = context.Response;
        var headers = response.Headers;
        foreach (var (name, value) in entry.Headers) headers[name] = value;
        headers.Age = Ages[Math.Min((int)age.TotalSeconds, Ages.Length - 1)];
        if (CachingHosting.Matches(context.Request.Headers.IfNoneMatch, entry.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = entry.Body.Length;
        return response.Body.WriteAsync(entry.Body, context.RequestAborted).AsTask();
    }

    /// <summary>What the output cache varies by here (scheme, host, path, query, Accept-Encoding), compared exactly.</summary>
    private readonly record struct Key(string Scheme, string? Host, string? PathBase, string? Path, string? Query, string AcceptEncoding)
    {
        public int Chars => Scheme.Length + (Host?.Length ?? 0) + (PathBase?.Length ?? 0) + (Path?.Length ?? 0) + (Query?.Length ?? 0) + AcceptEncoding.Length;
    }

    private sealed record Entry(KeyValuePair<string, StringValues>[] Headers, string ETag, byte[] Body, long Stored, long Size);

    /// <summary>Passes every write on and keeps a copy of the bytes, up to <see cref="MaxEntryBytes"/>.</summary>
    private sealed class CopyingStream(Stream inner) : Stream
    {
        public MemoryStream Copy { get; } = new();

        public bool Overflowed { get; private set; }

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (Overflowed) return;
            if (Copy.Length + bytes.Length > MaxEntryBytes) Overflowed = true;
            else Copy.Write(bytes);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) Copy.Dispose();
            base.Dispose(disposing);
        }
    }
}
