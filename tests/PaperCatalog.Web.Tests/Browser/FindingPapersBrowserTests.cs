using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// Finding papers in Chromium (issue 16): an identifier or a name typed into search, a search that finds nothing or
/// has a typo, the header's topics on a phone and a laptop, the search filters folded on a phone, figures.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FindingPapersBrowserTests(BrowserFixture fixture)
{
    private async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        return (context, page, problems);
    }

    [Fact]
    public async Task AnArxivIdTyped_GoesToThePaper_AndANameListsThatPersonsPapers()
    {
        var (context, page, problems) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/search");
        // Typing shows the paper the id names (the live results), Enter opens it.
        await page.Locator("#search-q").PressSequentiallyAsync("2205.14135", new() { Delay = 30 });
        await Expect(page.Locator("#search-results .notice a")).ToContainTextAsync("FlashAttention");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/papers/flashattention", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Expect(page.Locator("h1")).ToContainTextAsync("FlashAttention");

        // The header's box takes an arXiv link as well.
        await page.FillAsync("#site-search", "https://arxiv.org/abs/2307.08691v1");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/papers/flashattention-2", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GotoAsync(fixture.BaseUrl + "/search?q=Tri+Dao");
        var first = await page.Locator(".hit-title a").First.GetAttributeAsync("href");
        await page.GotoAsync(fixture.BaseUrl + first);
        await Expect(page.Locator(".facts .authors")).ToContainTextAsync("Tri Dao");
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Fact]
    public async Task NoResults_OffersKeywordsAndSubmit_AndATypoShowsItsCorrectionsResults()
    {
        var (context, page, problems) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/search?q=zzqqxx");
        await Expect(page.Locator(".no-results")).ToBeVisibleAsync();
        await Expect(page.Locator(".no-results a[href='/submit']")).ToBeVisibleAsync();
        await page.Locator(".no-results a.chip").First.ClickAsync();
        await Expect(page.Locator(".hit").First).ToBeVisibleAsync();

        await page.GotoAsync(fixture.BaseUrl + "/search?q=quantizaton");
        await Expect(page.Locator(".corrected")).ToContainTextAsync("Showing results for Quantization; search instead for quantizaton");
        await Expect(page.Locator(".hit").First).ToBeVisibleAsync();
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1024)]
    [InlineData(1280)]
    public async Task Header_ShowsEveryTopicWhole_WithRoomAtTheEdges(int width)
    {
        var (context, page, problems) = await OpenAsync(width, 844);
        await page.GotoAsync(fixture.BaseUrl + "/");
        var links = page.Locator("header .topic-nav a");
        Assert.Equal(6, await links.CountAsync());
        for (var i = 0; i < 6; i++)
        {
            var link = links.Nth(i);
            await Expect(link).ToBeVisibleAsync();
            var box = (await link.BoundingBoxAsync())!;
            Assert.True(box.X >= 8 && box.X + box.Width <= width - 8, $"topic {i} at {box.X}..{box.X + box.Width} of {width} px");
            // Whole, not clipped by a scrolling list: the text fits its own box.
            Assert.True(await link.EvaluateAsync<bool>("a => a.scrollWidth <= a.clientWidth + 1"), $"topic {i} is clipped");
        }
        var brand = (await page.Locator(".brand").BoundingBoxAsync())!;
        Assert.True(brand.X >= 10, $"the brand touches the edge ({brand.X} px)");
        var main = await page.Locator("main").EvaluateAsync<double>("m => parseFloat(getComputedStyle(m).paddingTop)");
        Assert.True(main >= 12, $"main has {main} px above its content");
        Assert.Empty(problems);
        await context.CloseAsync();
    }

    [Fact]
    public async Task SearchFilters_AreFoldedOnAPhone_AndOpenOnADesktop()
    {
        var (phoneContext, phone, problems) = await OpenAsync(390, 844);
        await phone.GotoAsync(fixture.BaseUrl + "/search?q=attention");
        await Expect(phone.Locator(".search-options")).ToBeHiddenAsync();
        await Expect(phone.Locator(".facet-groups")).ToBeHiddenAsync();
        var hit = (await phone.Locator(".hit").First.BoundingBoxAsync())!;
        Assert.True(hit.Y < 500, $"the first result starts {hit.Y} px down");
        await phone.Locator("details.search-filters > summary").First.ClickAsync();
        await Expect(phone.Locator(".search-options select[name=topic]")).ToBeVisibleAsync();
        await phoneContext.CloseAsync();

        var (desktopContext, desktop, desktopProblems) = await OpenAsync();
        await desktop.GotoAsync(fixture.BaseUrl + "/search?q=attention");
        await Expect(desktop.Locator(".search-options select[name=topic]")).ToBeVisibleAsync();
        await Expect(desktop.Locator(".facet-groups")).ToBeVisibleAsync();
        await Expect(desktop.Locator("details.search-filters > summary").First).ToBeHiddenAsync();
        Assert.Empty(problems.Concat(desktopProblems));
        await desktopContext.CloseAsync();
    }

    [Fact]
    public async Task Figures_OpenFullSize_AndSvgFiguresAreDimmedInDarkMode()
    {
        var (context, page, problems) = await OpenAsync(scheme: ColorScheme.Dark);
        await page.GotoAsync(fixture.BaseUrl + "/papers/flashattention");
        var figure = page.Locator("#intro a.figure-link").First;
        await Expect(figure).ToBeVisibleAsync();
        Assert.EndsWith(".svg", await figure.GetAttributeAsync("href"));
        var filter = await page.Locator("#intro img").First.EvaluateAsync<string>("i => getComputedStyle(i).filter");
        Assert.Contains("invert", filter);
        Assert.Empty(problems);
        await context.CloseAsync();
    }
}
