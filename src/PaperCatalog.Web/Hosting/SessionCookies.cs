using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PaperCatalog.Moderation;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// The moderator cookie is only a pointer to a session row: every request checks that the session still exists (one
/// primary-key lookup), so sign-out, a new password or a removal stops every copy of the cookie at once. The cookie
/// renews itself while used (idle timeout <see cref="SignInOptions.IdleMinutes"/>), never past the session's absolute end.
/// </summary>
public sealed class SessionCookies(ModeratorSessions sessions, TimeProvider clock, IOptions<SignInOptions> options)
{
    public const string SessionClaim = "catalog:session";

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>: the session must still be live.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = clock.GetUtcNow();
        var expires = context.Properties.ExpiresUtc ?? now;
        var id = context.Principal?.FindFirst(SessionClaim)?.Value;
        // An idle cookie (past its own expiry) is refused by the site's clock too, not only by the cookie handler's.
        var session = id is null || expires <= now ? null : await sessions.FindAsync(id, context.HttpContext.RequestAborted);
        if (session is null || session.Moderator != context.Principal!.Identity?.Name)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        // Sliding renewal done here rather than by the cookie handler, whose renewal always adds the full timeout and
        // so would carry a busy session past its end. Renewed once half the idle time has passed, as the handler would.
        var idle = TimeSpan.FromMinutes(options.Value.IdleMinutes);
        var renewed = Min(now + idle, session.ExpiresAt);
        if (expires - now < idle / 2 && renewed > expires)
        {
            context.Properties.IssuedUtc = now;
            context.Properties.ExpiresUtc = renewed;
            context.ShouldRenew = true;
        }
    }

    /// <summary>Signing out ends the session on the server, so a copy of the cookie taken earlier stops working too.</summary>
    public async Task SigningOutAsync(CookieSigningOutContext context)
    {
        if (context.HttpContext.User.FindFirst(SessionClaim)?.Value is { } id) await sessions.EndAsync(id, context.HttpContext.RequestAborted);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
