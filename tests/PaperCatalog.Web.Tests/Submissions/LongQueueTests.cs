using System.Net;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// A queue of 10,000 pending submissions, bulk-inserted into the site's real SQLite file: 9,999 spam submissions with
/// one 300-character title (so each is a duplicate of all the others), 2,000-character links and, on the first and
/// last pages, 64 KB intros; then one real submission, the newest.
/// </summary>
public sealed class LongQueue : IAsyncLifetime
{
    public const int Count = 10_000;
    public const string RealTitle = "Speculative Sampling with Tree Drafts";
    public static readonly string SpamTitle = ("Cheap <pills> & \"offers\" " + string.Concat(Enumerable.Repeat("buy now ", 40)))[..300];

    public SiteFactory Site { get; } = new();
    public HttpClient Moderator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var bigIntro = QueueRows.Intro(64 * 1024 - 100);
        var spamLink = "https://spam.example/offer?" + string.Concat(Enumerable.Repeat("a=1&", 500))[..(2_000 - 26)];
        QueueRows.Insert(Site, Count, i => i == Count - 1
            ? new QueueRows.Row(RealTitle, "https://arxiv.org/abs/2411.01234", "Drafts form a **tree**; the target model verifies every branch.", "Ada")
            : new QueueRows.Row(SpamTitle, spamLink, i < 100 || i >= Count - 100 ? bigIntro : "Buy **now**.", new string('S', 100)));
        Moderator = await Site.SignedInAsync();
    }

    public Task DisposeAsync()
    {
        Site.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The reproductions: a queue that was one 12 MB page, and 500 spam submissions that hid every real one.</summary>
public sealed class LongQueueTests(LongQueue queue, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LongQueue>
{
    private const int MaxPageBytes = 200 * 1024;

    private async Task<(IHtmlDocument Page, long Bytes)> GetAsync(string url)
    {
        var response = await queue.Moderator.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
        return (await Html.ParseAsync(response), bytes);
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin?page=2")]
    [InlineData("/admin?page=400")]
    [InlineData("/admin?order=newest")]
    public async Task QueuePage_Of10000Pending_ShowsAPageOf25_WithTheTotal_InUnder200KB(string url)
    {
        var (page, bytes) = await GetAsync(url);
        output.WriteLine($"{url}: {bytes:N0} bytes");
        Assert.True(bytes <= MaxPageBytes, $"{url} weighs {bytes:N0} bytes");
        var items = page.QuerySelectorAll(".queue-item");
        Assert.Equal(25, items.Length);
        Assert.Contains("10,000 pending", page.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        foreach (var item in items)
        {
            // Each shows an excerpt, never the whole intro; and at most a handful of the 9,998 other copies of its title.
            Assert.True(item.QuerySelector(".excerpt").Text().Length <= PaperCatalog.Submissions.RenderedIntro.ExcerptLength + 1);
            Assert.Null(item.QuerySelector(".intro-box"));
            Assert.InRange(item.QuerySelectorAll(".duplicates li").Length, 0, PaperCatalog.Submissions.SubmissionStore.MaxCandidates);
        }
    }

    [Fact]
    public async Task SpamSubmissions_NoLongerHideARealOne_EveryPageIsReachable_InBothOrders()
    {
        var (first, _) = await GetAsync("/admin");
        Assert.Contains("page 1 of 400", first.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        var last = first.QuerySelectorAll(".pager a").Single(a => a.Text() == "Last »").GetAttribute("href");
        Assert.Equal("/admin?page=400", last);
        Assert.Equal("/admin?page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));

        // Oldest first, the real submission (the newest) ends the last page; newest first, it leads the first.
        var (end, _) = await GetAsync(last!);
        Assert.Equal(LongQueue.RealTitle, end.QuerySelectorAll(".queue-item h2").Last().Text());
        Assert.Null(end.QuerySelector(".pager a[rel=next]"));
        var (newest, _) = await GetAsync("/admin?order=newest");
        Assert.Equal(LongQueue.RealTitle, newest.QuerySelector(".queue-item h2").Text());
        Assert.Equal("/admin?page=2&order=newest", newest.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        // The 64 KB intro of the page's rows was rendered when first read: only its first words show.
        Assert.StartsWith("Opening words of this intro.", newest.QuerySelectorAll(".queue-item .excerpt")[1].Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin?page=100000", "page 400 of 400")]
    [InlineData("/admin?page=-3", "page 1 of 400")]
    [InlineData("/admin?page=abc&order=sideways", "page 1 of 400")]
    public async Task PageNumber_OutOfRangeOrUnreadable_ShowsTheNearestPage_NeverAnError(string url, string shown)
    {
        var (page, _) = await GetAsync(url);
        Assert.Contains(shown, page.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        Assert.Equal(25, page.QuerySelectorAll(".queue-item").Length);
    }
}
