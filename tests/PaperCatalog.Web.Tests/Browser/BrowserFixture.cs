using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// The site on a real Kestrel port, and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public CatalogFactory Site { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ChromiumPath}: apt-get install chromium");
        Site.UseKestrel(0);
        Site.StartServer();
        BaseUrl = Site.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>
    /// Debian's Chromium, headless, with the flags it needs here: no sandbox (root), no GPU, and nothing that reaches
    /// the internet at start-up. Every browser fixture launches through this.
    /// </summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        // Assertions retry until they hold; the CI machine runs every suite at once on two cores, so the 5 s default
        // fails pages that are only slow. A page that never shows what is expected still fails.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Site.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
