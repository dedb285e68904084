using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Moderation;

/// <summary>
/// A session ends 12 hours after sign-in however busy the moderator (sliding renewal never passes that), and after an
/// hour unused. Time is moved on by the site's clock.
/// </summary>
public sealed class SessionLifetimeTests : IDisposable
{
    private readonly TestClock _clock = new();
    private readonly SiteFactory _site;

    public SessionLifetimeTests() => _site = new SiteFactory { Clock = _clock };

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task BusySession_IsRenewedWhileUsed_ButNeverPastItsAbsoluteEnd()
    {
        // Issue 10: the cookie renewed itself for 8 hours on every use, for ever.
        var moderator = await _site.SignedInAsync();
        var end = _clock.GetUtcNow() + TimeSpan.FromHours(12);
        var renewals = new List<DateTimeOffset>();
        while (_clock.GetUtcNow() < end - TimeSpan.FromMinutes(25))
        {
            _clock.Advance(TimeSpan.FromMinutes(25));
            var response = await moderator.GetAsync("/admin");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (ExpiryOf(response) is { } expires) renewals.Add(expires);
        }
        Assert.True(renewals.Count >= 10, $"{renewals.Count} renewals");
        // The session's end is stored to the second and taken here just after sign-in: a few seconds' slack.
        Assert.All(renewals, r => Assert.True(r <= end + TimeSpan.FromSeconds(1), $"renewed to {r:O}, past the end {end:O}"));
        Assert.Equal(end, renewals.Max(), TimeSpan.FromSeconds(5));

        _clock.Advance(end - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await moderator.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task UnusedSession_EndsAfterTheIdleTimeout()
    {
        var moderator = await _site.SignedInAsync();
        _clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync("/admin")).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Redirect, (await moderator.GetAsync("/admin")).StatusCode);
    }

    /// <summary>The expiry inside a renewed moderator cookie, read with the site's own key; null when the response renews nothing.</summary>
    private DateTimeOffset? ExpiryOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies)) return null;
        var cookie = cookies.FirstOrDefault(c => c.StartsWith("catalog.moderator=", StringComparison.Ordinal));
        if (cookie is null) return null;
        var format = _site.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
        return format.Unprotect(cookie.Split(';')[0]["catalog.moderator=".Length..])?.Properties.ExpiresUtc;
    }
}
