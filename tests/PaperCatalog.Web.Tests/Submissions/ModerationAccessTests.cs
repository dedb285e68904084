using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>Who may do what: admin routes need a moderator, posts need an antiforgery token, the public is rate-limited.</summary>
public sealed class ModerationAccessTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    /// <summary>Every route the app maps, with sample values for its parameters.</summary>
    private List<string> Routes(Func<string, bool> keep)
    {
        _site.CreateClient().Dispose(); // start the app
        var sources = _site.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(keep)
            .Select(r => r.Replace("{id:long}", "1", StringComparison.Ordinal).Replace("{slug}", "gqa", StringComparison.Ordinal)
                          .Replace("{token}", "0123456789abcdef0123456789abcdef", StringComparison.Ordinal).Replace("{**path}", "x.svg", StringComparison.Ordinal))
            .Distinct().ToList();
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesAnAnonymousVisitor()
    {
        var routes = Routes(r => r.StartsWith("/admin", StringComparison.Ordinal) && r != "/admin/signin");
        Assert.True(routes.Count >= 6, string.Join(", ", routes));
        var anonymous = _site.CreateReader();
        foreach (var route in routes)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                var response = await anonymous.SendAsync(new HttpRequestMessage(method, route));
                Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest,
                    $"{method} {route} answered {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.Redirect)
                    Assert.StartsWith("/admin/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal); // a path: never the request's Host
                Assert.DoesNotContain("Moderation queue", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EveryPost_WithoutAValidAntiforgeryToken_Gets400()
    {
        var moderator = await _site.SignedInAsync();
        var routes = Routes(r => !r.StartsWith("/api", StringComparison.Ordinal) && !r.Contains("media", StringComparison.Ordinal));
        Assert.Contains("/submit", routes);
        Assert.Contains("/admin/submissions/1", routes);
        foreach (var route in routes)
        {
            foreach (var handler in new[] { "", "?handler=preview", "?handler=approve", "?handler=reject", "?handler=delete" })
            {
                var none = await moderator.PostAsync(route + handler, new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Title"] = "x" }));
                Assert.True(none.StatusCode == HttpStatusCode.BadRequest, $"POST {route}{handler} without a token answered {(int)none.StatusCode}");
                var forged = await moderator.PostAsync(route + handler, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "CfDJ8forged" }));
                Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"POST {route}{handler} with a forged token answered {(int)forged.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task PublicSignInPage_DoesNotShowTheOperatorsCommandLine()
    {
        var page = await Html.GetOkAsync(_site.CreateReader(), "/admin/signin");
        Assert.DoesNotContain("catalog moderator", page.Body.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("--db", page.Body.Text(), StringComparison.Ordinal);
        Assert.Contains("operator", page.QuerySelector("main form .hint").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FailsAlike_ForUnknownNamesAndWrongPasswords_AndSignOutWorks()
    {
        // Lockouts (per client, never per account) are in Moderation/SignInLockoutTests, with a real address per client.
        await _site.AddModeratorAsync();
        var client = _site.CreateReader();
        var unknown = await Html.ParseAsync(await SiteFactory.TrySignInAsync(client, "nobody", "whatever whatever"));
        var wrong = await Html.ParseAsync(await SiteFactory.TrySignInAsync(client, SiteFactory.Moderator, "not the password"));
        Assert.Equal(unknown.QuerySelector(".form-errors").Text(), wrong.QuerySelector(".form-errors").Text());
        Assert.Contains("do not match", wrong.QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await SiteFactory.TrySignInAsync(client, SiteFactory.Moderator, SiteFactory.Password)).StatusCode);
        var queue = await Html.GetOkAsync(client, "/admin");
        var signOut = (IHtmlFormElement)queue.QuerySelector("form[action='/admin/signout']")!;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(client, signOut, new Dictionary<string, string?>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task ModeratorCookie_IsHttpOnlyAndSameSite()
    {
        await _site.AddModeratorAsync();
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/admin/signin");
        var response = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("main form")!, new Dictionary<string, string?> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catalog.moderator=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ModeratorCookie_IsSecure_OverHttps()
    {
        await _site.AddModeratorAsync();
        var client = _site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var doc = await Html.GetOkAsync(client, "/admin/signin");
        var response = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("main form")!, new Dictionary<string, string?> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catalog.moderator=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }
}

/// <summary>The public's posts are rate-limited per client, with a Retry-After.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly SiteFactory _site = new() { RatePermits = 3 };

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task TooManySubmissions_Get429_WithRetryAfter()
    {
        var client = _site.CreateReader();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var doc = await Html.GetOkAsync(client, "/submit"); // reading the form is never limited
            var response = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, SubmissionFlowTests.Paper($"Paper number {i} on rate limits", $"https://arxiv.org/abs/2411.0{i}001"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
                Assert.Contains("nothing you typed was sent", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>Oversized posts are refused before they are read, with a 4xx, not a 500.</summary>
public sealed class RequestLimitTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData(300 * 1024)]
    [InlineData(3 * 1024 * 1024)]
    public async Task OversizedSubmission_IsRefused_AndNothingIsStored(int bytes)
    {
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/submit");
        var values = SubmissionFlowTests.Paper();
        values["Input.Intro"] = new string('a', bytes);
        var response = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, values);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"answered {(int)response.StatusCode}");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_site.DatabasePath}");
        await connection.OpenAsync();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM submissions;";
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
