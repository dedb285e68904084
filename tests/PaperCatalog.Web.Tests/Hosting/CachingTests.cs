using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>The output cache, ETags and compression: fast for readers, never stale after a write, never shared for moderators.</summary>
public sealed class CachingTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? encoding = null, string? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (encoding is not null) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        if (etag is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task TheOutputCachesSize_FollowsItsSetting_AndAValueThatIsNoSize_StopsTheStartNamingIt()
    {
        static long SizeLimit(IServiceProvider services) =>
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>>().Value.SizeLimit;
        Assert.Equal(64L << 20, SizeLimit(_site.Services));
        using var small = _site.WithWebHostBuilder(b => b.UseSetting("Caching:OutputCacheMegabytes", "8"));
        Assert.Equal(8L << 20, SizeLimit(small.Services));
        Assert.Equal(HttpStatusCode.OK, (await small.CreateClient().GetAsync("/topics/attention")).StatusCode);
        foreach (var bad in new[] { "0", "-5", "lots", "1e3" })
        {
            using var refused = _site.WithWebHostBuilder(b => b.UseSetting("Caching:OutputCacheMegabytes", bad));
            var e = Assert.ThrowsAny<Exception>(() => refused.Services);
            Assert.Contains($"Caching:OutputCacheMegabytes: '{bad}'", e.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/topics/attention")]
    [InlineData("/papers/gqa")]
    [InlineData("/keywords/gqa")]
    [InlineData("/search?q=attention")]
    [InlineData("/api/search?q=attention")]
    public async Task PublicAnswers_AreServedFromTheCache_WithAStrongETag_And304WhenUnchanged(string url)
    {
        var reader = _site.CreateReader();
        var first = await GetAsync(reader, url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag!.IsWeak);
        var control = first.Headers.CacheControl!;
        Assert.True(control.Public && control.MustRevalidate && control.MaxAge == TimeSpan.Zero, $"{url}: Cache-Control {control}");

        var second = await GetAsync(reader, url);
        Assert.True(second.Headers.Age is not null, $"{url}: the second answer did not come from the output cache");
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        var revalidated = await GetAsync(reader, url, etag: etag.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, url, etag: "\"someotherversion\"")).StatusCode);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Pages_AreCompressedAsNegotiated_EachEncodingWithItsOwnETag(string encoding)
    {
        var reader = _site.CreateReader();
        var plain = await GetAsync(reader, "/topics/attention");
        var compressed = await GetAsync(reader, "/topics/attention", encoding);
        Assert.Equal(encoding, Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.True(compressed.Content.Headers.ContentLength < plain.Content.Headers.ContentLength / 2,
            $"{encoding}: {compressed.Content.Headers.ContentLength} of {plain.Content.Headers.ContentLength} bytes");
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag);
        await using var body = encoding == "br"
            ? (Stream)new System.IO.Compression.BrotliStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var text = new StreamReader(body);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await text.ReadToEndAsync());
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(reader, "/topics/attention", encoding, compressed.Headers.ETag!.ToString())).StatusCode);
    }

    [Fact]
    public async Task APrivateWrite_LeavesTheCaches_ACatalogWriteByAnotherProcessEmptiesThem()
    {
        async Task WriteAsAnotherProcessAsync(string sql)
        {
            await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False");
            await other.OpenAsync();
            await using var write = other.CreateCommand();
            write.CommandText = sql;
            await write.ExecuteNonQueryAsync();
        }

        // Reproduction: every write to the store emptied every cache within half a second (the watcher read only
        // data_version), so a failed password or a posted submission made every reader's next page a render.
        var reader = _site.CreateReader();
        for (var i = 0; i < 2; i++) await GetAsync(reader, "/topics/attention"); // the front cache keeps an answer on its second miss
        var front = _site.Services.GetRequiredService<PaperCatalog.Web.Hosting.FrontCache>();
        Assert.True(front.Count > 0, "the topic page was not kept");

        await SiteFactory.TrySignInAsync(_site.CreateClient(), "nobody", "not the password");
        await WriteAsAnotherProcessAsync("INSERT INTO audit_log (at, moderator, action, target) VALUES ('2026-01-01T00:00:00Z', 'probe', 'sign-in', 'probe');");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // three of the watcher's readings
        Assert.True(front.Count > 0, "a write to private tables emptied the caches");

        await WriteAsAnotherProcessAsync("UPDATE papers SET title = title WHERE slug = 'kivi';");
        for (var waited = TimeSpan.Zero; front.Count > 0; waited += TimeSpan.FromMilliseconds(100))
        {
            Assert.True(waited < TimeSpan.FromSeconds(5), "a catalog write by another process left the caches for 5 s");
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData("/topics/attention", null)]
    [InlineData("/topics/attention", "gzip")]
    [InlineData("/api/papers/gqa", null)]
    [InlineData("/topics/attention/feed.atom", null)]
    public async Task CompressibleAnswers_SayTheyVaryByEncoding_EvenWhenSentPlain(string url, string? encoding)
    {
        var reader = _site.CreateReader();
        // Twice: the first answer is rendered, the second comes from the caches.
        for (var i = 0; i < 2; i++)
        {
            var response = await GetAsync(reader, url, encoding);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept-Encoding", response.Headers.Vary, StringComparer.OrdinalIgnoreCase);
            Assert.Single(response.Headers.Vary, v => v.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
            var revalidated = await GetAsync(reader, url, encoding, response.Headers.ETag!.ToString());
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Contains("Accept-Encoding", revalidated.Headers.Vary, StringComparer.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task PrivatePages_AreNeverCachedOrCompressed_AndModeratorsBypassTheCache()
    {
        var reader = _site.CreateReader();
        var submit = await GetAsync(reader, "/submit", "br");
        Assert.Empty(submit.Content.Headers.ContentEncoding);
        Assert.Equal("no-store, private", string.Join(", ", submit.Headers.CacheControl!.ToString().Split(", ").Order()));
        Assert.Null((await GetAsync(reader, "/submit")).Headers.Age);

        // A reader fills the cache for a paper page; the moderator still gets a page of their own.
        await GetAsync(reader, "/papers/gqa");
        Assert.NotNull((await GetAsync(reader, "/papers/gqa")).Headers.Age);
        var moderator = await _site.SignedInAsync();
        var own = await GetAsync(moderator, "/papers/gqa", "br");
        Assert.Null(own.Headers.Age);
        Assert.Empty(own.Content.Headers.ContentEncoding);
        Assert.Contains("no-store", own.Headers.CacheControl!.ToString());
        Assert.Contains("Edit this paper", await own.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Edit this paper", await (await GetAsync(reader, "/papers/gqa")).Content.ReadAsStringAsync());
        var admin = await GetAsync(moderator, "/admin");
        Assert.Contains("no-store", admin.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("/papers/flashattention-x")]
    [InlineData("/no/such/page")]
    public async Task TheNotFoundPage_IsCachedPerPath_AndGoesWhenThePathStartsToExist(string path)
    {
        var reader = _site.CreateReader();
        var first = await GetAsync(reader, path);
        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        var second = await GetAsync(reader, path);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.True(second.Headers.Age is not null, $"{path}: the second 404 was rendered again");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        // Another path has its own 404 (its own suggestions), not the first one's.
        var other = await GetAsync(reader, "/papers/gqa-x");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Null(other.Headers.Age);
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await other.Content.ReadAsStringAsync());
        var signedIn = await GetAsync(await _site.SignedInAsync(), path);
        Assert.True(signedIn.Headers.CacheControl is { Private: true, NoStore: true } && signedIn.Headers.Age is null, $"{path}: a moderator's 404 is {signedIn.Headers.CacheControl}");
    }

    [Fact]
    public async Task ARepeatedMissingPath_IsOneCacheHit_WithoutRunningThePageOrTheNotFoundPageAgain()
    {
        // Reproduction (issue 12): the 404 was re-executed at /not-found, so its cache entry was never the missing
        // path's own; every repeat ran the paper page's handler (a store lookup) and the pipeline twice.
        var endpoints = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var site = _site.WithWebHostBuilder(b => b.ConfigureLogging(l => l
            .AddFilter<EndpointLog>("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Information)
            .AddProvider(new EndpointLog(endpoints))));
        var reader = site.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(reader, "/papers/flashattention-x")).StatusCode);
        Assert.Contains(endpoints, e => e.Contains("/Papers/Show", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Contains("/NotFound", StringComparison.Ordinal));
        endpoints.Clear();
        var again = await GetAsync(reader, "/papers/flashattention-x");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("We could not find that page", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(endpoints);
        // A 404 for a path with a query (a handler the page lacks) is never stored as that path's answer.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(reader, "/?handler=preview")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, "/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(reader, "/papers/gqa?handler=x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, "/papers/gqa")).StatusCode);
    }

    /// <summary>The endpoints each request ran, from ASP.NET Core's own "Executing endpoint" log line.</summary>
    private sealed class EndpointLog(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);
        public void Dispose() { }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => category == "Microsoft.AspNetCore.Routing.EndpointMiddleware";
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines.Enqueue(formatter(state, exception));
            }
        }
    }

    [Fact]
    public async Task ACached404_IsEvictedByEveryWrite_LikeThePages()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(reader, "/topics/no-such-topic")).StatusCode);
        Assert.NotNull((await GetAsync(reader, "/topics/no-such-topic")).Headers.Age);
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var saved = await Forms.PostAsync(moderator, (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!,
            new Dictionary<string, string?> { ["Input.Title"] = "GQA, Renamed" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Null((await GetAsync(reader, "/topics/no-such-topic")).Headers.Age);
    }

    [Fact]
    public async Task AModeratorsEdit_EvictsEveryCachedPage_AtOnce()
    {
        var reader = _site.CreateReader();
        foreach (var url in new[] { "/papers/gqa", "/topics/attention", "/search?q=gqa" }) { await GetAsync(reader, url); await GetAsync(reader, url); }
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var saved = await Forms.PostAsync(moderator, (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!,
            new Dictionary<string, string?> { ["Input.Title"] = "GQA, Cached No More" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        foreach (var url in new[] { "/papers/gqa", "/topics/attention", "/search?q=gqa" })
        {
            var page = await Html.ParseAsync(await GetAsync(reader, url));
            Assert.True(page.Body!.TextContent.Contains("Cached No More", StringComparison.Ordinal), $"{url} still shows the old title");
        }
    }

    [Fact]
    public async Task AnImportByAnotherProcess_ShowsInTheRunningSite_EvenWhenItLandsBeforeTheWatchersFirstReading()
    {
        // The site starts with the first request and the write follows at once, so it usually lands before the store
        // watcher's first reading (half a second after start-up). That reading used to become the baseline, and the
        // cached page was served until the next write: the flake this test once was.
        var reader = _site.CreateReader();
        await GetAsync(reader, "/topics/attention");
        Assert.NotNull((await GetAsync(reader, "/topics/attention")).Headers.Age);

        // Another process writes the file (a connection of its own, as `catalog import` would).
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False"))
        {
            await other.OpenAsync();
            await using var command = other.CreateCommand();
            command.CommandText = "UPDATE papers SET title = title || ', Second Edition' WHERE slug = 'longformer';";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var deadline = DateTime.UtcNow.AddSeconds(20); // a liveness bound on a loaded machine, not a speed measurement: the watcher reads twice a second
        string body;
        do
        {
            body = await (await GetAsync(reader, "/topics/attention")).Content.ReadAsStringAsync();
            if (body.Contains("Second Edition", StringComparison.Ordinal)) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Contains("Second Edition", body);
    }
}
