using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>Protective headers on every kind of response, over HTTP and HTTPS, and the cookies the site sets.</summary>
public sealed class SecurityHeaderTests(SecurityFactory factory) : IClassFixture<SecurityFactory>
{
    private async Task<Dictionary<string, string>> SamplesAsync(HttpClient client)
    {
        var samples = new Dictionary<string, string>
        {
            ["page"] = "/",
            ["search page"] = "/search?q=attention",
            ["static file"] = "/css/site.css",
            ["404"] = "/no-such-page",
            ["JSON API"] = "/api/search?q=attention",
        };
        foreach (var page in await SiteMap.CrawlAsync(client, factory.Services, 60))
        {
            var (_, doc) = await Html.GetAsync(client, page);
            if (doc.QuerySelector("img[src*='/media/']")?.GetAttribute("src") is { } media) { samples["media"] = media; break; }
        }
        Assert.True(samples.ContainsKey("media"), "no intro image found to check the media headers");
        return samples;
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("https://localhost")]
    public async Task EveryResponseType_CarriesTheProtectiveHeaders(string baseAddress)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
        foreach (var (kind, url) in await SamplesAsync(client))
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{kind} {url}: {(int)response.StatusCode}");
            string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : "";
            var csp = Header("Content-Security-Policy");
            Assert.False(csp.Length == 0, $"{kind} {url}: no Content-Security-Policy");
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(d => d.Split(' ')[0], d => d, StringComparer.OrdinalIgnoreCase);
            var script = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src") ?? "";
            Assert.DoesNotContain("'unsafe-inline'", script);
            Assert.DoesNotContain("'unsafe-eval'", script);
            Assert.DoesNotContain("*", script);
            if (!directives.ContainsKey("sandbox")) // media runs nothing at all: default-src 'none' plus sandbox
            {
                Assert.Equal("object-src 'none'", directives.GetValueOrDefault("object-src"));
                Assert.Equal("base-uri 'none'", directives.GetValueOrDefault("base-uri"));
                Assert.Equal("frame-ancestors 'none'", directives.GetValueOrDefault("frame-ancestors"));
            }
            else Assert.Equal("default-src 'none'", directives["default-src"]);
            Assert.Equal("nosniff", Header("X-Content-Type-Options"));
            Assert.False(Header("Referrer-Policy").Length == 0, $"{kind} {url}: no Referrer-Policy");
            Assert.DoesNotContain("unsafe-url", Header("Referrer-Policy"));
            var hsts = Header("Strict-Transport-Security");
            if (baseAddress.StartsWith("https", StringComparison.Ordinal)) Assert.Contains("max-age=31536000", hsts);
            else Assert.True(hsts.Length == 0, $"{kind} {url}: HSTS over plain HTTP");
        }
    }

    [Fact]
    public async Task WithThePolicySwitchedOff_OnlyTheCspHeaderIsGone()
    {
        using var off = new SecurityFactory { ContentSecurityPolicy = false };
        var response = await off.CreateReader().GetAsync("/");
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    public static TheoryData<string> Schemes => new() { "http://localhost", "https://localhost" };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Cookies_AreHttpOnly_SameSite_AndSecureOverHttps(string baseAddress)
    {
        // Pages with a POST form (found by crawling) set the antiforgery cookie; a probe makes sure one is set
        // even while no page of the site has such a form yet.
        using var probed = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, AntiforgeryProbe>()));
        var client = probed.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false, HandleCookies = false });
        var forms = await SiteMap.FormsAsync(client, await SiteMap.CrawlAsync(client, probed.Services, 60));
        var urls = forms.Where(f => f.IsPost).Select(f => f.Page).Distinct().Append(AntiforgeryProbe.Path).ToList();
        var cookies = new List<string>();
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            if (response.Headers.TryGetValues("Set-Cookie", out var set)) cookies.AddRange(set.Select(c => url + ": " + c));
        }
        Assert.Contains(cookies, c => c.Contains("catalog.af", StringComparison.Ordinal));
        foreach (var cookie in cookies)
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.Contains("httponly", attributes);
            Assert.Contains(attributes, a => a is "samesite=strict" or "samesite=lax");
            if (baseAddress.StartsWith("https", StringComparison.Ordinal)) Assert.True(attributes.Contains("secure"), $"not Secure over HTTPS: {cookie}");
        }
    }

    private sealed class AntiforgeryProbe : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Path = "/__test/antiforgery";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(Path, probe => probe.Run(context =>
            {
                context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
                return context.Response.WriteAsync("ok");
            }));
            next(app);
        };
    }
}

/// <summary>Methods no page handler takes: a 405, never a page rendered without its model (regression: TRACE was a 500).</summary>
public sealed class UnhandledMethodTests(SecurityFactory factory) : IClassFixture<SecurityFactory>
{
    [Theory]
    [InlineData("TRACE", "/search")]
    [InlineData("TRACE", "/")]
    [InlineData("OPTIONS", "/papers/flashattention")]
    [InlineData("OPTIONS", "/topics/attention")]
    [InlineData("PROPFIND", "/keywords/onebit")]
    public async Task MethodWithoutAHandler_Is405(string method, string url)
    {
        var response = await factory.CreateReader().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        // 405, or 400 where antiforgery refuses an unsafe method first; never a 500.
        Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest, $"{method} {url}: {(int)response.StatusCode}");
    }
}
