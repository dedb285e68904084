namespace PaperCatalog.Web.Hosting;

/// <summary>
/// A step that must run after the store is prepared and before the first request is let in (the store watcher's first
/// reading); run in registration order, as part of the preparation.
/// </summary>
public interface IAfterCatalogPrepared
{
    Task CatalogPreparedAsync(CancellationToken ct);
}

/// <summary>
/// The store's preparation at start-up (migrations, and on first start the bundled import), run beside the rest of
/// start-up rather than before it: Kestrel listens at once, and what needs the store (requests, the store watcher, the
/// vector worker, the search-index check, the test factory) waits for <see cref="Prepared"/>.
/// </summary>
public sealed class CatalogPreparation
{
    private readonly TaskCompletionSource<bool> _prepared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// True once the store is migrated (and filled, on first start); false when preparing it failed or the site stopped
    /// first. Never faults: whoever waits decides what a failure means for them.
    /// </summary>
    public Task<bool> Prepared => _prepared.Task;

    /// <summary>Whether preparing failed: the site answers every request with <see cref="WriteFailedAsync"/>, and /healthz is unhealthy.</summary>
    public bool Failed => _prepared.Task is { IsCompleted: true, Result: false };

    /// <summary>For background services: true once the store is prepared, false when preparing failed or <paramref name="ct"/> was cancelled.</summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            return await Prepared.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="prepare"/> on the thread pool, once.</summary>
    internal void Start(Func<CancellationToken, Task> prepare, ILogger logger, CancellationToken ct) => _ = Task.Run(async () =>
    {
        try
        {
            await prepare(ct);
            _prepared.TrySetResult(true);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _prepared.TrySetResult(false);
        }
        catch (Exception e)
        {
            // Not rethrown: nothing awaits this task. The site keeps running so that readers get a page that says so
            // instead of a refused connection, and the operator finds the reason here and in /healthz.
            logger.LogCritical(e, "The catalog store could not be prepared; the site answers 503 until it is restarted");
            _prepared.TrySetResult(false);
        }
    }, CancellationToken.None);

    /// <summary>
    /// How long a request waits for the preparation before it is told to come back: longer than the bundled import takes on
    /// a loaded 2-core machine (6–8 s), shorter than a reverse proxy's usual read timeout (nginx: 60 s).
    /// </summary>
    internal static readonly TimeSpan RequestWait = TimeSpan.FromSeconds(20);

    /// <summary>The answer while the store is still being prepared after <see cref="RequestWait"/>: it reloads itself.</summary>
    internal static Task WriteStartingAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return WriteAsync(context, "<meta http-equiv=\"refresh\" content=\"5\">", "The catalog is starting",
            "The catalog is being prepared. This page reloads itself in a few seconds.");
    }

    /// <summary>The answer when preparing the store failed; the reason is in the site's log, not on a public page.</summary>
    internal static Task WriteFailedAsync(HttpContext context) => WriteAsync(context, "", "The catalog is unavailable",
        "The catalog could not be prepared at start-up. The site's operator finds the reason in its log.");

    private static Task WriteAsync(HttpContext context, string head, string title, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        // Fixed text only; no layout, since the layout's parts (topics, counts) read the store.
        return response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">{head}<title>{title}</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main><h1>{title}</h1><p>{message}</p></main></body></html>
            """, context.RequestAborted);
    }
}
