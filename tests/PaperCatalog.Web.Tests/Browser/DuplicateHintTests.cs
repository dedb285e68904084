using Microsoft.Playwright;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>While a submitter types, papers already listed are pointed out (nothing is submitted here).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DuplicateHintTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TypingAKnownArxivLink_ShowsTheListedPaper_BeforeSubmitting()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/submit");
        await page.Locator("[name='Input.Link']").PressSequentiallyAsync("https://arxiv.org/pdf/2305.13245v2.pdf", new() { Delay = 5 });
        var hint = page.Locator("#duplicates li").First;
        await Assertions.Expect(hint).ToContainTextAsync("Already listed (the same arXiv paper)");
        Assert.Equal("/papers/gqa", await hint.Locator("a").GetAttributeAsync("href"));

        await page.FillAsync("[name='Input.Link']", "");
        await page.Locator("[name='Input.Title']").PressSequentiallyAsync("Efficient Memory Management for Large Language Model Serving", new() { Delay = 2 });
        await Assertions.Expect(page.Locator("#duplicates li").First).ToContainTextAsync("Similar title");
        await context.CloseAsync();
    }
}
