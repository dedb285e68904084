using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// A site of its own that tests may write to (a <see cref="SiteFactory"/> with the moderator account), on a real Kestrel
/// port, with Chromium. Seeds one pending submission so the status page, the queue and the review page have content,
/// and keeps a signed-in moderator's cookies for the tests that only look at admin pages.
/// </summary>
public sealed class E2EFixture : IAsyncLifetime
{
    public const string SeededTitle = "Zebra Striping: Interleaved Prefill Lanes for Token Streams";

    private IPlaywright? _playwright;

    public SiteFactory Site { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The seeded submission's private status page (a path).</summary>
    public string StatusPath { get; private set; } = "";

    /// <summary>The seeded submission's review page (a path).</summary>
    public string ReviewPath { get; private set; } = "";

    /// <summary>Cookies of a signed-in moderator, for <see cref="NewContextAsync"/>.</summary>
    public string ModeratorState { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {BrowserFixture.ChromiumPath}: apt-get install chromium");
        Site.UseKestrel(0);
        Site.StartServer();
        BaseUrl = Site.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await Site.AddModeratorAsync();

        // One pending submission, sent through the real form over HTTP.
        using var reader = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl + "/") };
        var form = (IHtmlFormElement)(await Html.GetOkAsync(reader, "/submit")).QuerySelector("form[data-submit-form]")!;
        var values = Submissions.SubmissionFlowTests.Paper(SeededTitle, "https://arxiv.org/abs/2409.07777");
        values["Input.Keywords"] = "ZebraLanes, prefill";
        var response = await Forms.PostAsync(reader, form, values);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        StatusPath = response.Headers.Location!.OriginalString.Split('?')[0];

        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(_playwright);

        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/admin/signin");
        await page.FillAsync("#Name", SiteFactory.Moderator);
        await page.FillAsync("#Password", SiteFactory.Password);
        await page.ClickAsync("main button[type=submit]");
        await page.WaitForURLAsync(BaseUrl + "/admin");
        ReviewPath = new Uri(await page.Locator($".queue-item h2 a:has-text('{SeededTitle}')").EvaluateAsync<string>("a => a.href")).AbsolutePath;
        ModeratorState = await context.StorageStateAsync();
        await context.CloseAsync();
    }

    /// <summary>A fresh browser context; with <paramref name="moderator"/>, already signed in.</summary>
    public Task<IBrowserContext> NewContextAsync(bool moderator = false, int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            StorageState = moderator ? ModeratorState : null,
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Site.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>
{
    public const string Name = "e2e browser";
}

/// <summary>Records what a person would not see but should never happen: script errors and Content-Security-Policy refusals.</summary>
public sealed class PageProblems
{
    private readonly List<string> _problems = [];

    public PageProblems(IPage page)
    {
        page.PageError += (_, error) => { lock (_problems) _problems.Add("page error: " + error); };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (_problems) _problems.Add("CSP: " + message.Text);
        };
    }

    public void AssertNone()
    {
        lock (_problems) Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }
}

/// <summary>Every kind of page the site serves, each with one representative address.</summary>
public sealed record PageType(string Name, string Path, bool Moderator = false, bool PostSubmit = false)
{
    public static IReadOnlyList<PageType> All(E2EFixture site) =>
    [
        new("home", "/"),
        new("topic", "/topics/attention"),
        new("paper", "/papers/flashattention"),
        new("keyword", "/keywords/onebit"),
        new("search-results", "/search?q=quantization"),
        new("search-empty", "/search"),
        new("search-suggestion", "/search?q=flashatention&exact=1"),
        new("search-corrected", "/search?q=quantizaton"),
        new("search-none", "/search?q=zzqqxx"),
        new("topics", "/topics"),
        new("keywords", "/keywords"),
        new("papers", "/papers"),
        new("stats", "/stats"),
        new("submit", "/submit"),
        new("submit-correction", "/submit?correct=flashattention"),
        new("submit-errors", "/submit", PostSubmit: true),
        new("status", site.StatusPath),
        new("admin-signin", "/admin/signin"),
        new("admin-queue", "/admin", Moderator: true),
        new("admin-review", site.ReviewPath, Moderator: true),
        new("admin-paper", "/admin/papers/flashattention", Moderator: true),
        new("admin-topics", "/admin/topics", Moderator: true),
        new("admin-audit", "/admin/audit", Moderator: true),
        new("admin-history", "/admin/history", Moderator: true),
        new("admin-delete", "/admin/papers/flashattention/delete", Moderator: true),
        new("not-found", "/no-such-page"),
    ];

    public static readonly string[] Names =
    [
        "home", "topic", "paper", "keyword", "search-results", "search-empty", "search-suggestion", "search-corrected", "search-none",
        "topics", "keywords", "papers", "stats", "submit", "submit-correction", "submit-errors",
        "status", "admin-signin", "admin-queue", "admin-review", "admin-paper", "admin-topics", "admin-audit", "admin-history", "admin-delete", "not-found",
    ];

    public static TheoryData<string> NameData()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names) data.Add(name);
        return data;
    }

    public static PageType Named(E2EFixture site, string name) => All(site).Single(p => p.Name == name);

    /// <summary>Opens the page as a person would reach it (the validation page by submitting the empty form).</summary>
    public async Task OpenAsync(IPage page, string baseUrl)
    {
        var response = await page.GotoAsync(baseUrl + Path);
        Assert.NotNull(response);
        if (Name != "not-found") Assert.True(response.Ok, $"{Path} answered {response.Status}");
        if (PostSubmit)
        {
            await page.ClickAsync("form[data-submit-form] button:has-text('Submit for review')");
            await page.Locator(".field-error:not(:empty)").First.WaitForAsync();
        }
        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
