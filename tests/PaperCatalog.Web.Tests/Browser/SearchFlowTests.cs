using Microsoft.Playwright;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>Search as a reader uses it: "/" to focus, results that follow typing, a suggestion clicked.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Slash_FocusesSearch_ResultsFollowTyping_AndATypoSuggestionIsOneClick()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);

        await page.GotoAsync(fixture.BaseUrl + "/topics/attention");
        await page.Keyboard.PressAsync("/");
        Assert.Equal("site-search", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("smoothquant");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=smoothquant", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.StartsWith("SmoothQuant", await page.Locator(".hit-title").First.InnerTextAsync());

        // On /search, results follow typing without a submit, and the URL follows the results.
        await page.FillAsync("#search-q", "");
        await page.Locator("#search-q").PressSequentiallyAsync("orca", new() { Delay = 40 });
        await page.WaitForURLAsync("**/search?q=orca");
        await Assertions.Expect(page.Locator(".hit-title").First).ToContainTextAsync("Orca");

        // A filter changes the results at once.
        await page.SelectOptionAsync("select[name=topic]", "batching");
        await page.WaitForURLAsync("**/search?q=orca&topic=batching");
        await Assertions.Expect(page.Locator(".hit-meta > a").First).ToHaveTextAsync("Batching");

        // A typo with one clear correction shows the correction's results at once, with a way back to what was typed.
        await page.FillAsync("#search-q", "flashatention");
        await page.SelectOptionAsync("select[name=topic]", "");
        await Assertions.Expect(page.Locator(".corrected")).ToContainTextAsync("Showing results for FlashAttention; search instead for flashatention");
        await Assertions.Expect(page.Locator(".hit-title").First).ToContainTextAsync("FlashAttention");
        await page.ClickAsync(".corrected a");
        await page.WaitForURLAsync("**/search?q=flashatention&exact=1");
        await Assertions.Expect(page.Locator(".did-you-mean a").First).ToHaveTextAsync("FlashAttention");
        Assert.Empty(problems);
        await context.CloseAsync();
    }
}
