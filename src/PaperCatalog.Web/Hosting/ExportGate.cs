namespace PaperCatalog.Web.Hosting;

/// <summary>
/// At most <c>RateLimits:ConcurrentExports</c> list exports written at once on this node, whoever asks: each one is a
/// core busy for seconds at 100,000 papers, so many clients together (each within its own allowance) could still take
/// every core. Another waits up to <c>RateLimits:ExportWaitSeconds</c> for a turn, then is told to come back.
/// </summary>
public sealed class ExportGate(int permits, TimeSpan wait)
{
    private readonly SemaphoreSlim _turns = new(Math.Max(1, permits), Math.Max(1, permits));

    /// <summary>How long a refused client is told to wait: about one export's time.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>A turn, released when disposed, or null when none came within the wait.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct) =>
        await _turns.WaitAsync(wait, ct) ? new Turn(_turns) : null;

    private sealed class Turn(SemaphoreSlim turns) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turns.Release();
        }
    }

    /// <summary>
    /// <paramref name="export"/> in a turn: a 429 with Retry-After and a plain message when none comes. The turn is held
    /// while the answer is written, which is when an export costs.
    /// </summary>
    public IResult Gated(IResult export) => new GatedResult(this, export);

    private sealed class GatedResult(ExportGate gate, IResult export) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using var turn = await gate.EnterAsync(context.RequestAborted);
            if (turn is null)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = RateLimitHosting.RetryAfter(RetryAfter);
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("The site is busy writing other citation exports. Please try again in a few seconds.", context.RequestAborted);
                return;
            }
            await export.ExecuteAsync(context);
        }
    }
}
