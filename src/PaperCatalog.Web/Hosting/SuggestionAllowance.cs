using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// The 404 page's suggestions have an allowance of their own: past it, the page still answers (a 404 is no place
/// for a 429), only without the "did you mean" lookups.
/// </summary>
public sealed class SuggestionAllowance(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitHosting.Bucket("suggestions", context, options.Value.SuggestionPermits, options.Value.WindowSeconds));

    /// <summary>True when this client may have suggestions now (and counts it).</summary>
    public bool TryTake(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
