using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.RateLimits;

/// <summary>
/// Expensive public reads (search, the duplicate check, the 404 page's suggestions) have a per-client allowance: a client
/// over it gets 429 with Retry-After (the 404 page: the page without suggestions); other clients are not affected.
/// </summary>
public sealed class ReadAllowanceTests : IDisposable
{
    private readonly SiteFactory _site = new()
    {
        Settings = { ["RateLimits:SearchPermits"] = "4", ["RateLimits:DuplicateCheckPermits"] = "3", ["RateLimits:SuggestionPermits"] = "2",
            ["RateLimits:ExportPermits"] = "3", ["RateLimits:ConcurrentExports"] = "1", ["RateLimits:ExportWaitSeconds"] = "0" },
    };

    public ReadAllowanceTests() => _site.Serve();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task SearchOverTheAllowance_Gets429WithRetryAfter_OnThePageAndTheApi_OnlyForThatClient()
    {
        using var greedy = _site.ClientFrom("127.0.0.2");
        foreach (var url in new[] { "/search?q=attention", "/api/search?q=quant", "/search?q=cache", "/api/search?q=kv" })
            Assert.Equal(HttpStatusCode.OK, (await greedy.GetAsync(url)).StatusCode);
        foreach (var url in new[] { "/api/search?q=attention", "/search?q=attention" })
        {
            var refused = await greedy.GetAsync(url);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), url);
        }
        using var reader = _site.ClientFrom("127.0.0.3");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/search?q=attention")).StatusCode);
        // Pages that search nothing are not counted.
        Assert.Equal(HttpStatusCode.OK, (await greedy.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task ListExportsOverTheAllowance_Get429WithRetryAfter_OnlyForThatClient()
    {
        using var greedy = _site.ClientFrom("127.0.0.7");
        foreach (var url in new[] { "/citations.bib", "/topics/attention/citations.ris", "/keywords/onebit/citations.json" })
            Assert.Equal(HttpStatusCode.OK, (await greedy.GetAsync(url)).StatusCode);
        var refused = await greedy.GetAsync("/citations.ris");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        using var reader = _site.ClientFrom("127.0.0.8");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/citations.bib")).StatusCode);
        // One paper's citation is small and cached: not counted.
        Assert.Equal(HttpStatusCode.OK, (await greedy.GetAsync("/papers/gqa/citation.bib")).StatusCode);
    }

    [Fact]
    public async Task ExportPastTheNodesConcurrentExports_Gets429WithRetryAfterAndAMessage_ThenGoesThroughWhenATurnIsFree()
    {
        using var reader = _site.ClientFrom("127.0.0.9");
        var gate = _site.Services.GetRequiredService<PaperCatalog.Web.Hosting.ExportGate>();
        var turn = await gate.EnterAsync(CancellationToken.None);
        Assert.NotNull(turn);
        using (turn)
        {
            var refused = await reader.GetAsync("/topics/attention/citations.bib");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Contains("busy writing other citation exports", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/topics/attention/citations.bib")).StatusCode);
    }

    [Fact]
    public async Task DuplicateCheckOverTheAllowance_Gets429WithRetryAfter()
    {
        using var greedy = _site.ClientFrom("127.0.0.4");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await greedy.GetAsync("/api/submissions/duplicates?title=Flash+attention+" + i)).StatusCode);
        var refused = await greedy.GetAsync("/api/submissions/duplicates?title=Flash+attention");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        using var reader = _site.ClientFrom("127.0.0.5");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/submissions/duplicates?title=Flash+attention")).StatusCode);
    }

    [Fact]
    public async Task NotFoundOverTheAllowance_IsStillThe404Page_WithoutSuggestions_AndThatAnswerIsNotCachedForOthers()
    {
        using var greedy = _site.ClientFrom("127.0.0.6");
        var suggested = new List<int>();
        // Each path once: a path asked for again comes from the output cache and costs no lookup.
        foreach (var path in new[] { "/papers/flashattention2", "/papers/flashattention4", "/papers/flashattention5", "/papers/flashattention6" })
        {
            var (response, doc) = await Html.GetAsync(greedy, path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("We could not find that page", doc.Body!.TextContent, StringComparison.Ordinal);
            suggested.Add(doc.QuerySelectorAll(".suggestions a").Length);
        }
        Assert.Equal(2, suggested.Count(n => n > 0));
        Assert.Equal(0, suggested[^1]);
        // The answer without suggestions was not stored: another reader asking for that path gets them.
        using var reader = _site.ClientFrom("127.0.0.7");
        Assert.NotEmpty((await Html.GetAsync(reader, "/papers/flashattention6")).Document.QuerySelectorAll(".suggestions a"));
        Assert.NotEmpty((await Html.GetAsync(reader, "/papers/flashattention2")).Document.QuerySelectorAll(".suggestions a"));
    }
}

/// <summary>With the shipped allowances, a reader who behaves never meets a limit.</summary>
public sealed class BehavedReaderTests : IDisposable
{
    private readonly SiteFactory _site = new() { DefaultAllowances = true };

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task ReaderTypingSearchesAndASubmission_NeverSeesA429()
    {
        _site.Serve();
        using var reader = _site.ClientFrom("127.0.0.8");
        var statuses = new List<HttpStatusCode>();
        // Live search as a reader types two queries letter by letter (one request per letter), then pages and filters.
        foreach (var query in new[] { "speculative decoding", "flashattention kv cache" })
            for (var i = 1; i <= query.Length; i++)
                statuses.Add((await reader.GetAsync("/search?q=" + Uri.EscapeDataString(query[..i]))).StatusCode);
        for (var page = 1; page <= 5; page++) statuses.Add((await reader.GetAsync($"/api/search?q=attention&page={page}")).StatusCode);
        // The submit form checks for duplicates as the title and link are typed.
        const string title = "Tree drafts for speculative sampling";
        for (var i = 4; i <= title.Length; i += 2) statuses.Add((await reader.GetAsync("/api/submissions/duplicates?title=" + Uri.EscapeDataString(title[..i]))).StatusCode);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        for (var i = 0; i < 5; i++)
            Assert.NotEmpty((await Html.GetAsync(reader, "/papers/flashattention" + i)).Document.QuerySelectorAll(".suggestions a"));
    }
}
