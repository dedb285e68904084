using Deque.AxeCore.Playwright;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>axe-core on the main pages, in Chromium, light and dark: no serious or critical violations.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/", "light")]
    [InlineData("/topics/attention", "light")]
    [InlineData("/topics/attention", "dark")]
    [InlineData("/papers/flashattention", "light")]
    [InlineData("/papers/flashattention", "dark")]
    [InlineData("/keywords/onebit", "light")]
    [InlineData("/no-such-page", "light")]
    public async Task Page_HasNoSeriousAccessibilityViolations(string path, string scheme)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ColorScheme = scheme == "dark" ? Microsoft.Playwright.ColorScheme.Dark : Microsoft.Playwright.ColorScheme.Light });
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + path);
        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes); // axe really ran its rules on the page
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        await context.CloseAsync();
    }
}
