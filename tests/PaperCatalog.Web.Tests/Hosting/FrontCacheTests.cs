using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>
/// The front cache answers anonymous readers before routing: with the very headers and bytes of the rendered answer
/// (protective headers included), per encoding, never for a moderator or a rate-limited read, and never after a write.
/// The output cache is emptied behind it in these tests, so an answer with an Age header can only have come from the front.
/// </summary>
public sealed class FrontCacheTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private FrontCache Front => _site.Services.GetRequiredService<FrontCache>();

    /// <summary>Empties the output cache only (a write would clear the front cache too).</summary>
    private async Task EmptyOutputCacheAsync() =>
        await _site.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(CachingHosting.Tag, CancellationToken.None);

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? encoding = null, string? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (encoding is not null) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        if (etag is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await client.SendAsync(request);
    }

    /// <summary>Asks twice (an address is kept the second time it is asked for) and returns the first, rendered, answer.</summary>
    private static async Task<HttpResponseMessage> FillAsync(HttpClient client, string url, string? encoding = null)
    {
        var rendered = await GetAsync(client, url, encoding);
        await GetAsync(client, url, encoding);
        return rendered;
    }

    private static Dictionary<string, string> HeadersOf(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Age"))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);

    [Theory]
    [InlineData("http://localhost", null)]
    [InlineData("http://localhost", "gzip")]
    [InlineData("https://localhost", "br")]
    public async Task AFrontAnswer_HasTheRenderedAnswersHeadersAndBytes_ProtectiveHeadersIncluded(string baseAddress, string? encoding)
    {
        var reader = _site.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
        var rendered = await FillAsync(reader, "/topics/attention", encoding);
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Null(rendered.Headers.Age);
        Assert.Equal(1, Front.Count);
        await EmptyOutputCacheAsync();

        var front = await GetAsync(reader, "/topics/attention", encoding);
        Assert.Equal(HttpStatusCode.OK, front.StatusCode);
        Assert.NotNull(front.Headers.Age);
        Assert.Equal(HeadersOf(rendered), HeadersOf(front));
        Assert.Equal(await rendered.Content.ReadAsByteArrayAsync(), await front.Content.ReadAsByteArrayAsync());
        var headers = HeadersOf(front);
        foreach (var name in new[] { "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy", "ETag" })
            Assert.True(headers.ContainsKey(name), $"{encoding}: the front answer has no {name}");
        Assert.Equal(baseAddress.StartsWith("https", StringComparison.Ordinal), headers.ContainsKey("Strict-Transport-Security"));
        if (encoding is not null)
        {
            Assert.Equal(encoding, headers["Content-Encoding"]);
            Assert.Contains("Accept-Encoding", headers["Vary"], StringComparison.Ordinal);
        }
        else Assert.False(headers.ContainsKey("Content-Encoding"));
    }

    [Fact]
    public async Task EachEncoding_HasItsOwnFrontAnswer_And304ForItsOwnETag()
    {
        var reader = _site.CreateReader();
        var plain = await FillAsync(reader, "/topics/attention");
        var gzip = await FillAsync(reader, "/topics/attention", "gzip");
        Assert.Equal(2, Front.Count);
        await EmptyOutputCacheAsync();

        var again = await GetAsync(reader, "/topics/attention", "gzip");
        Assert.Equal("gzip", Assert.Single(again.Content.Headers.ContentEncoding));
        Assert.Equal(gzip.Headers.ETag, again.Headers.ETag);
        var revalidated = await GetAsync(reader, "/topics/attention", "gzip", gzip.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.NotNull(revalidated.Headers.Age);
        Assert.Equal(gzip.Headers.ETag, revalidated.Headers.ETag);
        Assert.True(revalidated.Headers.Contains("Content-Security-Policy"));
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        // The plain answer's ETag is no match for the gzip answer, and the other way round.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, "/topics/attention", "gzip", plain.Headers.ETag!.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(reader, "/topics/attention", etag: plain.Headers.ETag!.ToString())).StatusCode);
    }

    [Fact]
    public async Task ARequestWithTheModeratorCookie_NeverGetsAFrontAnswer_NorFillsOne_EvenWhenTheCookieIsNoGood()
    {
        var moderator = await _site.SignedInAsync();
        var reader = _site.CreateReader();
        // The sign-in wrote to the store, and the store watcher clears every cache once it notices (within a second):
        // a round counts only when the reader's entry outlived the other requests (nothing else fills it back).
        HttpResponseMessage own, forgedAnswer, again;
        for (var round = 1; ; round++)
        {
            await EmptyOutputCacheAsync();
            await FillAsync(reader, "/papers/gqa");
            await EmptyOutputCacheAsync();
            own = await GetAsync(moderator, "/papers/gqa");
            var forged = new HttpRequestMessage(HttpMethod.Get, "/papers/gqa");
            forged.Headers.Add("Cookie", "catalog.moderator=not-a-real-ticket");
            forgedAnswer = await _site.CreateReader().SendAsync(forged);
            again = await GetAsync(reader, "/papers/gqa");
            if (Front.Count == 1) break;
            Assert.True(round < 100, "the front cache never kept the reader's answer");
        }
        Assert.Null(own.Headers.Age);
        Assert.Contains("no-store", own.Headers.CacheControl!.ToString());
        Assert.Contains("Edit this paper", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, forgedAnswer.StatusCode);
        Assert.Null(forgedAnswer.Headers.Age);
        Assert.DoesNotContain("Edit this paper", await forgedAnswer.Content.ReadAsStringAsync());
        // The reader still gets the one stored answer, without the moderator's links.
        Assert.NotNull(again.Headers.Age);
        Assert.DoesNotContain("Edit this paper", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAddressAskedForOnce_IsNotKept_SoJunkQueriesTakeNoRoom()
    {
        var reader = _site.CreateReader();
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, "/topics/attention?utm=" + i)).StatusCode);
        Assert.Equal(0, Front.Count);
        await GetAsync(reader, "/topics/attention?utm=3");
        Assert.Equal(1, Front.Count);
    }

    [Fact]
    public async Task AFullFrontCache_StartsAgainEmpty_AndKeepsWhatIsAskedForNext()
    {
        // An eighth of a 1 MB output cache: 128 KB, about five topic pages.
        using var small = _site.WithWebHostBuilder(b => b.UseSetting("Caching:OutputCacheMegabytes", "1"));
        var reader = small.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var front = small.Services.GetRequiredService<FrontCache>();
        var (_, topic) = await Html.GetAsync(reader, "/topics/attention");
        var urls = topic.QuerySelectorAll("a.title-link").Select(a => a.GetAttribute("href")!).Prepend("/topics/attention").Take(14).ToList();
        Assert.True(urls.Count >= 10, $"only {urls.Count} pages to fill with");
        var most = 0;
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.OK, (await FillAsync(reader, url)).StatusCode);
            most = Math.Max(most, front.Count);
        }
        Assert.True(front.Count < most, $"{front.Count} answers kept of {urls.Count}, at most {most}: it never started again");
        await small.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(CachingHosting.Tag, CancellationToken.None);
        Assert.NotNull((await GetAsync(reader, urls[^1])).Headers.Age);
    }

    [Fact]
    public async Task RateLimitedAndPrivateAnswers_AreNeverFrontAnswers()
    {
        var reader = _site.CreateReader();
        foreach (var url in new[] { "/search?q=attention", "/api/search?q=attention", "/submit", "/no/such/page", "/citations.bib" })
        {
            await GetAsync(reader, url);
            await GetAsync(reader, url);
        }
        Assert.Equal(0, Front.Count);
    }

    [Fact]
    public async Task AModeratorsEdit_ClearsTheFrontCache_AndReadersSeeTheEditAtOnce()
    {
        var reader = _site.CreateReader();
        foreach (var url in new[] { "/papers/gqa", "/topics/attention", "/" }) await FillAsync(reader, url);
        Assert.Equal(3, Front.Count);
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var saved = await Forms.PostAsync(moderator, (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!,
            new Dictionary<string, string?> { ["Input.Title"] = "GQA, Out Of The Front" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(0, Front.Count);
        foreach (var url in new[] { "/papers/gqa", "/topics/attention" })
        {
            var page = await Html.ParseAsync(await GetAsync(reader, url));
            Assert.True(page.Body!.TextContent.Contains("Out Of The Front", StringComparison.Ordinal), $"{url} still shows the old title");
        }
    }
}
