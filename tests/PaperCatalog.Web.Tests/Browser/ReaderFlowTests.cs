using Microsoft.Playwright;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>What a reader clicks through, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReaderFlowTests(BrowserFixture fixture)
{
    private async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(BrowserNewContextOptions? options = null)
    {
        var context = await fixture.Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        return (context, page, problems);
    }

    [Fact]
    public async Task Reader_OpensTopicSortsByCitationsAndReadsAPaperWithRenderedMath()
    {
        var (context, page, problems) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        await page.ClickAsync(".topic-card a:has-text('Attention')");
        await page.WaitForURLAsync("**/topics/attention");

        await page.ClickAsync("th.col-citations a");
        await page.WaitForURLAsync("**/topics/attention?sort=citations&dir=desc");
        var first = await page.Locator("table.papers tbody tr").First.Locator(".title-link").InnerTextAsync();
        Assert.Equal("LoRA: Low-Rank Adaptation of Large Language Models", first);

        await page.ClickAsync("table.papers .title-link:has-text('FlashAttention: Fast')");
        await page.WaitForURLAsync("**/papers/flashattention");
        Assert.Equal("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", await page.Locator("h1").InnerTextAsync());

        // KaTeX typeset the formulas: rendered math nodes, none left as raw TeX.
        await page.Locator("#intro .katex").First.WaitForAsync();
        Assert.True(await page.Locator("#intro .katex").CountAsync() > 0);
        Assert.Equal(0, await page.Locator("#intro .math:not(.math-rendered)").CountAsync());
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Reader_FollowsAKeywordFromAPaperToEveryPaperCarryingIt()
    {
        var (context, page, problems) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/papers/onebit");
        await page.ClickAsync(".facts a.chip:has-text('OneBit')");
        await page.WaitForURLAsync("**/keywords/onebit");
        Assert.Equal(2, await page.Locator("table.papers tbody tr").CountAsync());
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Fact]
    public async Task IntroFigures_LoadUnderTheContentSecurityPolicy()
    {
        var (context, page, problems) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/papers/flashattention");
        var images = page.Locator("#intro img");
        Assert.True(await images.CountAsync() > 0);
        var width = await images.First.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1");
        Assert.True(width > 0, "the figure did not load");
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Fact]
    public async Task DarkMode_FollowsTheSystem()
    {
        var (light, lightPage, _) = await OpenAsync(new BrowserNewContextOptions { ColorScheme = ColorScheme.Light });
        var (dark, darkPage, _) = await OpenAsync(new BrowserNewContextOptions { ColorScheme = ColorScheme.Dark });
        await lightPage.GotoAsync(fixture.BaseUrl + "/topics/attention");
        await darkPage.GotoAsync(fixture.BaseUrl + "/topics/attention");
        const string luminance = "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b) / 3; }";
        Assert.True(await lightPage.EvaluateAsync<double>(luminance) > 200);
        Assert.True(await darkPage.EvaluateAsync<double>(luminance) < 60);
        await light.CloseAsync();
        await dark.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/topics/attention")]
    [InlineData("/papers/flashattention")]
    public async Task PhoneWidth_PageFitsWithoutSidewaysScrolling(string path)
    {
        var (context, page, _) = await OpenAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 740 }, IsMobile = true });
        await page.GotoAsync(fixture.BaseUrl + path);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"{path} is {overflow}px wider than a phone");
        await context.CloseAsync();
    }

    [Fact]
    public async Task LongTable_HeaderRowStaysInViewBelowTheSiteHeader()
    {
        var (context, page, _) = await OpenAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 600 } });
        await page.GotoAsync(fixture.BaseUrl + "/topics/attention");
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await page.WaitForFunctionAsync("() => window.scrollY > 300");
        var header = await page.Locator("header.site-header").BoundingBoxAsync();
        var column = await page.Locator("th.col-title").BoundingBoxAsync();
        Assert.NotNull(header);
        Assert.NotNull(column);
        Assert.InRange(header.Y, -1, 1);
        Assert.InRange(column.Y, header.Height - 2, header.Height + 2);
        await context.CloseAsync();
    }

    [Fact]
    public async Task WithoutJavaScript_TablesSortAndPagesNavigate()
    {
        var (context, page, _) = await OpenAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        await page.GotoAsync(fixture.BaseUrl + "/topics/quantization");
        await page.ClickAsync("th.col-date a");
        await page.WaitForURLAsync("**/topics/quantization?sort=date&dir=desc");
        Assert.Equal(12, await page.Locator("table.papers tbody tr").CountAsync());
        await page.ClickAsync("table.papers .title-link >> nth=0");
        Assert.Contains("/papers/", page.Url);
        await context.CloseAsync();
    }
}
