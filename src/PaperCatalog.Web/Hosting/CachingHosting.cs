using Microsoft.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Public pages and JSON answers from memory: ASP.NET Core's output cache (tag <see cref="Tag"/>, evicted on every write
/// through this process and within a second of a write by another process), strong ETags with 304s, HTTP caching headers
/// a shared cache may follow, and br/gzip compression. Signed-in moderators and private pages bypass all of it.
/// </summary>
public static class CachingHosting
{
    public const string Tag = "catalog";

    /// <summary>The answers compressed when the client accepts it (and so sent with <c>Vary: Accept-Encoding</c>, compressed or not).</summary>
    internal static readonly string[] CompressedTypes = ["text/html", "application/json", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/xml", "text/plain", "application/atom+xml",
                "application/x-bibtex", "application/x-research-info-systems", "application/vnd.citationstyles.csl+json", "application/opensearchdescription+xml"];

    /// <summary>Paths whose answers are private (forms with tokens, moderators' pages, a submitter's status): never cached nor compressed.</summary>
    internal static bool IsPrivate(PathString path) =>
        path.StartsWithSegments("/admin") || path.StartsWithSegments("/submit") || path.StartsWithSegments("/submissions") ||
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/api/submissions");

    public static WebApplicationBuilder AddPageCaching(this WebApplicationBuilder builder)
    {
        var megabytes = OutputCacheMegabytes(builder.Configuration);
        builder.Services.AddOutputCache(options =>
        {
            options.SizeLimit = megabytes * 1024L * 1024;
            options.MaximumBodySize = 1024 * 1024;
            options.DefaultExpirationTimeSpan = TimeSpan.FromMinutes(10);
            options.AddBasePolicy(policy => policy
                .With(context => !IsPrivate(context.HttpContext.Request.Path))
                .SetVaryByQuery("*")
                .SetVaryByHeader("Accept-Encoding")
                .Tag(Tag));
            // After the base policy: lets the 404 page be stored too, keyed by the path that was not found.
            options.AddBasePolicy(new NotFoundPagePolicy());
        });
        builder.Services.AddResponseCompression(options =>
        {
            // Private pages carry antiforgery tokens next to what the user typed: no compression there (BREACH).
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = CompressedTypes;
        });
        // Fastest: on a 20 KB page it saves about as much as the default level at a fraction of the CPU (README, Benchmarks).
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.AddSingleton<IResponseCompressionProvider, PublicOnlyCompression>();
        // The setting read once, here: the front cache holds an eighth of what the output cache may.
        builder.Services.AddSingleton(sp => new FrontCache(sp.GetRequiredService<CatalogCache>(), sp.GetRequiredService<TimeProvider>(),
            megabytes * 1024L * 1024 / 8, sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()));
        builder.Services.AddSingleton<StoreVersionWatcher>();
        builder.Services.AddSingleton<IAfterCatalogPrepared>(sp => sp.GetRequiredService<StoreVersionWatcher>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreVersionWatcher>());
        return builder;
    }

    /// <summary>
    /// <c>Caching:OutputCacheMegabytes</c> (default 64): the most the output cache holds. It is most of the site's memory
    /// beyond the runtime's own under load (README, Memory): a small machine trades hit rate for memory here.
    /// </summary>
    internal static int OutputCacheMegabytes(IConfiguration configuration)
    {
        var text = configuration["Caching:OutputCacheMegabytes"];
        if (string.IsNullOrWhiteSpace(text)) return 64;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 16_384) return value;
        throw new Microsoft.Extensions.Options.OptionsValidationException("Caching", typeof(OutputCacheOptions),
            [$"Caching:OutputCacheMegabytes: '{text}' is not a whole number of megabytes from 1 to 16384"]);
    }

    /// <summary>Public answers any reader would get, straight from memory before routing and everything after it (<see cref="FrontCache"/>).</summary>
    public static WebApplication UseFrontCache(this WebApplication app)
    {
        var front = app.Services.GetRequiredService<FrontCache>();
        app.Use(front.InvokeAsync);
        return app;
    }

    /// <summary>Output cache, then ETags over the bytes as sent, then compression (so each encoding has its own ETag).</summary>
    public static WebApplication UsePageCaching(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IOutputCacheStore>();
        app.Services.GetRequiredService<CatalogCache>().Invalidated += () => _ = store.EvictByTagAsync(Tag, CancellationToken.None).AsTask();
        app.UseOutputCache();
        app.Use(ETagAsync);
        app.UseResponseCompression();
        return app;
    }

    /// <summary>
    /// For public GETs: the answer is buffered (pages are small), hashed into a strong ETag, and answered 304 when the
    /// client already has it. Anonymous readers get <c>Cache-Control: public, max-age=0, must-revalidate</c> (a CDN or
    /// nginx may keep and revalidate); signed-in answers and private paths are <c>private, no-store</c>.
    /// </summary>
    /// <summary>
    /// The buffers answers are held in while their ETag is computed: pooled blocks, not a MemoryStream that doubles its
    /// array as it grows (a 84 KB topic page went through seven arrays, the last on the large object heap, and copying
    /// them was a tenth of an uncached page's processor time). At most 4 MB of free blocks are kept.
    /// </summary>
    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 4 * 1024 * 1024,
    });

    private static async Task ETagAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || IsStatic(request.Path))
        {
            await next(context);
            return;
        }
        if (IsPrivate(request.Path) || context.User.Identity?.IsAuthenticated == true)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "private, no-store";
                return Task.CompletedTask;
            });
            await next(context);
            return;
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<StreamedAnswer>() is not null)
        {
            // No validator without the bytes, and buffering them is what streaming avoids (see StreamedAnswer).
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status200OK) context.Response.Headers.CacheControl = "public, no-cache";
                return Task.CompletedTask;
            });
            await next(context);
            return;
        }
        var original = context.Response.Body;
        await using var buffer = Buffers.GetStream("etag");
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK && !response.Headers.ContainsKey("Set-Cookie"))
        {
            buffer.Position = 0;
            var etag = "\"" + Convert.ToHexString(await SHA256.HashDataAsync(buffer, context.RequestAborted), 0, 16).ToLowerInvariant() + "\"";
            response.Headers.ETag = etag;
            if (!response.Headers.ContainsKey("Cache-Control")) response.Headers.CacheControl = FrontCache.PublicCacheControl;
            // Compression adds Vary only when it compresses; a shared cache that stored a plain answer without it would
            // give that copy to every client (a 304 carries the Vary of its 200).
            if (IsCompressedType(response.ContentType) && !response.Headers.Vary.Any(v => v is not null && v.Contains("Accept-Encoding", StringComparison.OrdinalIgnoreCase)))
                response.Headers.Append("Vary", "Accept-Encoding");
            if (Matches(request.Headers.IfNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.Remove("Content-Length");
                return;
            }
        }
        // Nothing written (a 404 before the error page re-executes): leave the answer untouched, no Content-Length, so
        // the status-code pages still fill it in.
        if (buffer.Length == 0) return;
        if (response.StatusCode == StatusCodes.Status200OK) response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static bool IsCompressedType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return CompressedTypes.Contains(type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether an <c>If-None-Match</c> names <paramref name="etag"/> (or is <c>*</c>).</summary>
    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            if (value is null) continue;
            foreach (var range in value.Split(','))
            {
                var tag = range.AsSpan().Trim();
                if (tag.SequenceEqual(etag) || tag.SequenceEqual("*")) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Marks an endpoint whose answer can be large (a list's citations): it is written as it is made, so it gets no ETag,
    /// which would need every byte in memory first. A tag from the store's version instead was not taken: SQLite's
    /// <c>data_version</c> is per connection and starts again with the process, so a tag from it could repeat over
    /// different bytes after a restart and earn a wrong 304; the output cache still keeps such an answer when it is small.
    /// </summary>
    public sealed class StreamedAnswer
    {
        public static readonly StreamedAnswer Instance = new();
    }

    /// <summary>Written as it is made, never buffered for an ETag (<see cref="StreamedAnswer"/>).</summary>
    public static TBuilder Streamed<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(StreamedAnswer.Instance);

    /// <summary>
    /// The 404 page is rendered in place for every unknown path (<see cref="NotFoundInPlace"/>); its suggestions depend
    /// only on that path, so it is cached under the path's own key like any page (and evicted with them). Without this, a
    /// mistyped link cost a Razor render and a suggestion lookup on every request, several times a cached page. An answer
    /// rendered past the client's suggestion allowance (<see cref="NoStoreItem"/>) is not stored: another reader would
    /// get it without its suggestions.
    /// </summary>
    private sealed class NotFoundPagePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            if (context.AllowCacheLookup && http.Response.StatusCode == StatusCodes.Status404NotFound &&
                // Only a path that was not found: a refusal (429, 400) rendered as this page is that client's answer, not the path's.
                http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is { OriginalStatusCode: StatusCodes.Status404NotFound } &&
                !IsPrivate(http.Request.Path) && !http.Items.ContainsKey(NoStoreItem) &&
                Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(http.Response.Headers.SetCookie))
                context.AllowCacheStorage = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Set in <see cref="HttpContext.Items"/> by a page whose answer must not be stored (it is not what every reader would get).</summary>
    internal const string NoStoreItem = "PaperCatalog.NoStore";

    internal static bool IsStatic(PathString path) =>
        path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/lib") || path.StartsWithSegments("/img") || path.StartsWithSegments("/favicon.ico");

    /// <summary>Compresses what the default provider would, except private pages and signed-in answers.</summary>
    private sealed class PublicOnlyCompression(IServiceProvider services, Microsoft.Extensions.Options.IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context) =>
            !IsPrivate(context.Request.Path) && context.User.Identity?.IsAuthenticated != true && base.ShouldCompressResponse(context);
    }

    /// <summary>
    /// Notices writes by another process (a <c>catalog import</c> or <c>restore</c> into the running site's store, another
    /// node) through SQLite's <c>PRAGMA data_version</c> on one connection of its own, read twice a second, and then
    /// invalidates every cache. A pragma read costs microseconds.
    /// </summary>
    private sealed class StoreVersionWatcher(CatalogDatabase database, CatalogCache cache, CatalogPreparation preparation,
        ILogger<StoreVersionWatcher> logger) : BackgroundService, IAfterCatalogPrepared
    {
        private const string ChangesSql = "SELECT n FROM catalog_changes WHERE id = 1;";
        private SqliteConnection? _connection;
        private long? _baseline;
        private long _changes;

        /// <summary>
        /// The first reading is taken here, as the last step of the store's preparation (after its own writes, before any
        /// request is let in), on the connection that keeps polling (<c>data_version</c> is per connection): a write by
        /// another process after it is always seen, and nothing cached before it exists.
        /// </summary>
        public async Task CatalogPreparedAsync(CancellationToken ct)
        {
            try
            {
                _connection = await database.OpenAsync(ct);
                _baseline = await _connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA data_version;", cancellationToken: ct));
                _changes = await _connection.ExecuteScalarAsync<long>(new CommandDefinition(ChangesSql, cancellationToken: ct));
            }
            catch (SqliteException e)
            {
                logger.LogWarning(e, "Could not read the store's data version at start-up; the watcher retries");
            }
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // A store that could not be prepared is not polled (its page says so until a restart).
            if (!await preparation.WaitAsync(stoppingToken))
            {
                if (_connection is not null) await _connection.DisposeAsync();
                return;
            }
            long? last = _baseline;
            var connection = _connection;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    try
                    {
                        connection ??= await database.OpenAsync(stoppingToken);
                        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA data_version;", cancellationToken: stoppingToken));
                        // Something was written: the caches go only if it was the catalog (migration 0027's count), not a
                        // submission, a sign-in or a failed password. A reading taken after a failure has no baseline: it
                        // evicts, since writes may have been missed.
                        if (version != last)
                        {
                            var changes = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ChangesSql, cancellationToken: stoppingToken));
                            if (last is null || changes != _changes) cache.Invalidate();
                            _changes = changes;
                        }
                        last = version;
                    }
                    catch (SqliteException e)
                    {
                        logger.LogWarning(e, "Could not read the store's data version; retrying");
                        if (connection is not null) await connection.DisposeAsync();
                        connection = null;
                        last = null;
                        cache.Invalidate();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                if (connection is not null) await connection.DisposeAsync();
            }
        }
    }
}
