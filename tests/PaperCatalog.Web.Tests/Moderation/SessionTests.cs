using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Moderation;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Moderation;

/// <summary>A moderator's sign-in is a session the server can end: sign-out, a new password or a removal ends it everywhere.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task SignOut_EndsTheSession_SoACapturedCookieStopsWorking()
    {
        // Issue 10: a cookie copied before sign-out kept working for 8 hours.
        await _site.AddModeratorAsync();
        var moderator = _site.CreateReader();
        var captured = await SignInCapturingAsync(moderator);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(captured, "/admin")).StatusCode);
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var signOut = (IHtmlFormElement)queue.QuerySelector("form[action='/admin/signout']")!;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(moderator, signOut, new Dictionary<string, string?>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await moderator.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(captured, "/admin")).StatusCode);
    }

    [Fact]
    public async Task NewPassword_EndsEverySessionOfThatModerator()
    {
        // Issue 10: a captured cookie kept working after `catalog moderator add` set a new password.
        var laptop = await _site.SignedInAsync();
        var phone = _site.CreateReader();
        var captured = await SignInCapturingAsync(phone);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(captured, "/admin")).StatusCode);
        Assert.Null(await _site.Services.GetRequiredService<ModeratorAccounts>().AddAsync(SiteFactory.Moderator, "a brand new passphrase", CancellationToken.None));
        foreach (var client in new[] { laptop, phone }) Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(captured, "/admin")).StatusCode);
    }

    [Fact]
    public async Task Removal_EndsEverySessionOfThatModerator()
    {
        var laptop = await _site.SignedInAsync();
        var phone = await _site.SignedInAsync();
        Assert.True(await _site.Services.GetRequiredService<ModeratorAccounts>().RemoveAsync(SiteFactory.Moderator, CancellationToken.None));
        foreach (var client in new[] { laptop, phone }) Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task AnotherModeratorsNewPassword_LeavesThisSessionAlone()
    {
        var moderator = await _site.SignedInAsync();
        Assert.Null(await _site.Services.GetRequiredService<ModeratorAccounts>().AddAsync("noor", "another long passphrase", CancellationToken.None));
        Assert.Null(await _site.Services.GetRequiredService<ModeratorAccounts>().AddAsync("noor", "yet another passphrase", CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync("/admin")).StatusCode);
    }

    /// <summary>Signs <paramref name="client"/> in through the real form and returns its moderator cookie, as a thief would copy it.</summary>
    private static async Task<string> SignInCapturingAsync(HttpClient client)
    {
        var response = await SiteFactory.TrySignInAsync(client, SiteFactory.Moderator, SiteFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catalog.moderator=", StringComparison.Ordinal)).Split(';')[0];
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string cookie, string url)
    {
        using var stranger = _site.CreateReader();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await stranger.SendAsync(request);
    }
}
