using System.Net;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>
/// The site as operators deploy it: a real Kestrel port behind a real nginx that terminates TLS on loopback, with nginx
/// configured as the trusted proxy.
/// </summary>
public sealed class BehindNginxTests : IAsyncLifetime
{
    private readonly SiteFactory _site = new()
    {
        RatePermits = 3,
        Settings = { ["Site:TrustedProxies:0"] = "127.0.0.1" },
    };

    private Nginx _nginx = null!;

    public async Task InitializeAsync()
    {
        _site.UseKestrel(0);
        _site.StartServer();
        await _site.AddModeratorAsync();
        _nginx = await Nginx.StartAsync(_site.ClientOptions.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _nginx.Dispose();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task BehindATlsProxy_TheModeratorCookieIsSecure_AndHstsIsSent()
    {
        using var client = _nginx.Client();
        var (page, doc) = await Html.GetAsync(client, "/admin/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.Contains("Strict-Transport-Security"), "no HSTS behind the TLS proxy");
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("catalog.af", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        var signedIn = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("main form")!,
            new Dictionary<string, string?> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("catalog.moderator", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task OverPlainHttpThroughTheProxy_NoHsts()
    {
        using var client = _nginx.Client(https: false);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EachClientBehindTheProxy_HasItsOwnRateLimitBucket()
    {
        using var first = _nginx.Client("127.0.0.2");
        using var second = _nginx.Client("127.0.0.3");
        // Three posts are allowed per window; the fourth from the same client is refused.
        for (var i = 0; i < 3; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostEmptyAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostEmptyAsync(first)).StatusCode);
        // Another reader behind the same proxy is not punished for it.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostEmptyAsync(second)).StatusCode);
        // And a client cannot pick a new bucket by sending its own X-Forwarded-For: nginx replaces it.
        var spoofed = new HttpRequestMessage(HttpMethod.Post, "/submit") { Content = new FormUrlEncodedContent([]) };
        spoofed.Headers.Add("X-Forwarded-For", "198.51.100.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.SendAsync(spoofed)).StatusCode);
    }

    private static Task<HttpResponseMessage> PostEmptyAsync(HttpClient client) =>
        client.PostAsync("/submit", new FormUrlEncodedContent([]));
}
