using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Per-client allowances (by <see cref="ClientAddress"/>), each a named policy attached to its endpoints: sign-in posts,
/// submission posts and previews, searches, duplicate checks. A client over an allowance gets 429 with Retry-After.
/// </summary>
public static class RateLimitHosting
{
    public const string SignIn = "sign-in";
    public const string Submit = "submit";
    public const string Search = "search";
    public const string DuplicateCheck = "duplicate-check";
    public const string Export = "export";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimits"));
        var forms = builder.Configuration.GetSection("Submissions").Get<SubmissionOptions>() ?? new SubmissionOptions();
        var reads = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton<SuggestionAllowance>();
        builder.Services.AddSingleton(new ExportGate(reads.ConcurrentExports, TimeSpan.FromSeconds(reads.ExportWaitSeconds)));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Posts only: reading a form is free. Sign-ins have a bucket of their own, so a busy submitter can still sign in.
            limiter.AddPolicy(SignIn, context => HttpMethods.IsPost(context.Request.Method)
                ? Window(SignIn, context, forms.RatePermits, forms.RateWindowSeconds)
                : RateLimitPartition.GetNoLimiter("read"));
            // The limiter runs before Razor Pages picks a handler; HandlerSelectionFilter makes sure the handler the request
            // names is the one that runs (or it is a 404), so previews may have their own, larger allowance.
            limiter.AddPolicy(Submit, context => !HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : string.Equals(HandlerSelectionFilter.RequestedHandler(context), "preview", StringComparison.OrdinalIgnoreCase)
                    ? Window("preview", context, forms.PreviewPermits, forms.RateWindowSeconds)
                    : Window(Submit, context, forms.RatePermits, forms.RateWindowSeconds));
            limiter.AddPolicy(Search, context => Bucket(Search, context, reads.SearchPermits, reads.WindowSeconds));
            limiter.AddPolicy(Export, context => Bucket(Export, context, reads.ExportPermits, reads.WindowSeconds));
            limiter.AddPolicy(DuplicateCheck, context => Bucket(DuplicateCheck, context, reads.DuplicateCheckPermits, reads.WindowSeconds));
            limiter.OnRejected = (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(forms.RateWindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = RetryAfter(retry);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync("Too many requests from your address. Please wait a little and try again; nothing you typed was sent.", ct));
            };
        });

        // The pages' policies, attached to their endpoints (the API endpoints attach theirs where they are mapped).
        builder.Services.Configure<RazorPagesOptions>(pages =>
        {
            foreach (var (page, policy) in new[] { ("/Admin/SignIn", SignIn), ("/Submit/Index", Submit), ("/Submissions/Status", Submit), ("/Search/Index", Search) })
                pages.Conventions.AddPageApplicationModelConvention(page, model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(policy)));
        });
        return builder;
    }

    /// <summary>A Retry-After value: whole seconds, at least one.</summary>
    public static string RetryAfter(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static RateLimitPartition<string> Window(string name, HttpContext context, int permits, int seconds) =>
        RateLimitPartition.GetFixedWindowLimiter(name + " " + ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(seconds),
            QueueLimit = 0,
        });

    internal static RateLimitPartition<string> Bucket(string name, HttpContext context, int permits, int seconds) =>
        RateLimitPartition.GetTokenBucketLimiter(name + " " + ClientAddress.Of(context), _ => BucketOptions(permits, seconds));

    /// <summary>A full bucket of <paramref name="permits"/>, refilled evenly over the window (in steps of at least a second, so the refill timer stays idle).</summary>
    private static TokenBucketRateLimiterOptions BucketOptions(int permits, int seconds)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1.0, (double)seconds / Math.Max(1, permits)));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(permits * period.TotalSeconds / seconds)),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
