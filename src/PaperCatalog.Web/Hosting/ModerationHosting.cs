using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PaperCatalog.Data;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Hosting;

/// <summary>Configuration section <c>Submissions</c>: the limits on what the public can send.</summary>
public sealed class SubmissionOptions
{
    /// <summary>Form posts (submissions, sign-ins) a client may make per <see cref="RateWindowSeconds"/>.</summary>
    public int RatePermits { get; set; } = 10;
    /// <summary>Intro previews a client may ask for per window (live preview posts as the reader pauses typing).</summary>
    public int PreviewPermits { get; set; } = 120;
    public int RateWindowSeconds { get; set; } = 60;
    /// <summary>Largest request body accepted by the submission form, in bytes (the intro alone may be 64 KB).</summary>
    public long MaxRequestBytes { get; set; } = 256 * 1024;
    /// <summary>Failed sign-ins before a moderator account is locked, and for how long.</summary>
    public int MaxSignInFailures { get; set; } = 5;
    public int LockMinutes { get; set; } = 15;
}

/// <summary>Submissions, moderator sign-in (cookie authentication), rate limits and the audit log.</summary>
public static class ModerationHosting
{
    public const string PublicForms = "public-forms";

    public static WebApplicationBuilder AddModeration(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Submissions");
        builder.Services.Configure<SubmissionOptions>(section);
        var options = section.Get<SubmissionOptions>() ?? new SubmissionOptions();

        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<CatalogEditor>();
        builder.Services.AddSingleton(sp => new ModeratorAccounts(sp.GetRequiredService<CatalogDatabase>(), sp.GetRequiredService<TimeProvider>())
        {
            MaxFailures = options.MaxSignInFailures,
            LockFor = TimeSpan.FromMinutes(options.LockMinutes),
        });

        // Antiforgery tokens and sign-in cookies must survive a restart: keep the keys beside the store.
        builder.Services.AddDataProtection()
            .SetApplicationName("PaperCatalog")
            .PersistKeysToFileSystem(OwnerOnly.CreateFolder(Path.Combine(Path.GetDirectoryName(AppRoot.Resolve(builder.Configuration["Catalog:Database"] ?? "catalog.db"))!, "keys")));

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "catalog.moderator";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = "/admin/signin";
                cookie.LogoutPath = "/admin/signout";
                cookie.AccessDeniedPath = "/admin/signin";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                // A moderator removed with the tool loses access at once, not when the cookie expires.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var name = context.Principal?.Identity?.Name;
                    var accounts = context.HttpContext.RequestServices.GetRequiredService<ModeratorAccounts>();
                    if (name is null || !await accounts.ExistsAsync(name, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        builder.Services.AddAuthorization();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address, on POSTs only (reading the form is free); previews have their own, larger allowance.
            limiter.AddPolicy(PublicForms, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter("read");
                var preview = string.Equals(context.Request.Query["handler"], "preview", StringComparison.OrdinalIgnoreCase);
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter((preview ? "preview:" : "post:") + client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = preview ? options.PreviewPermits : options.RatePermits,
                    Window = TimeSpan.FromSeconds(options.RateWindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(options.RateWindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync("Too many requests from your address. Please wait a little and try again; nothing you typed was sent.", _));
            };
        });

        // Request size limits: forms are small; the largest field (an intro) is 64 KB.
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = (int)Math.Min(int.MaxValue, options.MaxRequestBytes);
            form.ValueCountLimit = 64;
            form.MultipartBodyLengthLimit = options.MaxRequestBytes;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBytes, 1024 * 1024));
        return builder;
    }

    /// <summary>Signs a moderator in with a cookie.</summary>
    public static Task SignInModeratorAsync(this HttpContext context, string name) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme)));
}
