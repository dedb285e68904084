using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using PaperCatalog.Data;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Hosting;

/// <summary>Configuration section <c>Submissions</c>: the limits on what the public can send.</summary>
public sealed class SubmissionOptions
{
    /// <summary>Form posts a client may make per <see cref="RateWindowSeconds"/>: submissions and sign-ins, each counted apart.</summary>
    public int RatePermits { get; set; } = 10;
    /// <summary>Intro previews a client may ask for per window (live preview posts as the reader pauses typing).</summary>
    public int PreviewPermits { get; set; } = 120;
    public int RateWindowSeconds { get; set; } = 60;
    /// <summary>Largest request body accepted by the submission form, in bytes (the intro alone may be 64 KB).</summary>
    public long MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Largest body the submission form accepts (a constant: it is the form page's attribute): a figure of up to four
    /// times <see cref="Figures.FigureImages.MaxBytes"/>, so an over-size one is answered with the form and a message,
    /// plus room for the text fields. Other forms stay under the host's limit of 1 MB.
    /// </summary>
    public const long MaxFigureRequestBytes = 4 * Figures.FigureImages.MaxBytes + 1024 * 1024;
}

/// <summary>Submissions, moderator sign-in (cookie authentication over revocable sessions), request size limits and the audit log.</summary>
public static class ModerationHosting
{
    public static WebApplicationBuilder AddModeration(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Submissions");
        builder.Services.Configure<SubmissionOptions>(section);
        var options = section.Get<SubmissionOptions>() ?? new SubmissionOptions();
        builder.Services.Configure<SignInOptions>(builder.Configuration.GetSection("SignIn"));
        var signIn = builder.Configuration.GetSection("SignIn").Get<SignInOptions>() ?? new SignInOptions();

        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton<Figures.FigureStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<CatalogEditor>();
        builder.Services.AddSingleton<ModeratorAccounts>();
        builder.Services.AddSingleton<ModeratorSessions>();
        builder.Services.AddSingleton<ModeratorSignIn>();

        // Antiforgery tokens and sign-in cookies must survive a restart: keep the keys beside the store.
        builder.Services.AddDataProtection()
            .SetApplicationName("PaperCatalog")
            .PersistKeysToFileSystem(OwnerOnly.CreateFolder(Path.Combine(Path.GetDirectoryName(AppRoot.Resolve(builder.Configuration["Catalog:Database"] ?? "catalog.db"))!, "keys")));

        builder.Services.AddSingleton<SessionCookies>();
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
                // The cookie lives for the idle timeout; SessionCookies renews it while used, never past the session's end,
                // and checks on every request that its session is still live.
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(signIn.IdleMinutes);
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionCookies>().ValidateAsync(context);
                cookie.Events.OnSigningOut = context => context.HttpContext.RequestServices.GetRequiredService<SessionCookies>().SigningOutAsync(context);
            });
        builder.Services.AddAuthorization();

        // Request size limits: forms are small; the largest field (an intro) is 64 KB.
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = (int)Math.Min(int.MaxValue, options.MaxRequestBytes);
            form.ValueCountLimit = 64;
            // Only the submission form takes a file, and only it may send a body that large (see MaxFigureRequestBytes).
            form.MultipartBodyLengthLimit = options.MaxRequestBytes + SubmissionOptions.MaxFigureRequestBytes;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBytes, 1024 * 1024));
        return builder;
    }

    /// <summary>Signs a moderator in with a cookie for <paramref name="session"/> (its id in the claims, checked on every request).</summary>
    public static Task SignInModeratorAsync(this HttpContext context, ModeratorSession session) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, session.Moderator), new Claim(SessionCookies.SessionClaim, session.Id)],
                CookieAuthenticationDefaults.AuthenticationScheme)));
}
