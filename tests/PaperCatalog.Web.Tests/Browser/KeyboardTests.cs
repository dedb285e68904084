using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// The main flows with the keyboard alone (Tab, typing, Enter). After every key press the focused element must show a
/// focus indicator: a computed outline or box-shadow of non-zero width.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class KeyboardTests(E2EFixture fixture)
{
    private const string FocusIndicator = """
        () => {
          const el = document.activeElement;
          if (!el || el === document.body) return 'nothing is focused';
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const shadow = s.boxShadow && s.boxShadow !== 'none';
          return outline || shadow ? '' : 'no focus indicator on ' + el.outerHTML.slice(0, 160);
        }
        """;

    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var problem = await page.EvaluateAsync<string>(FocusIndicator);
        Assert.True(problem == "", problem);
    }

    /// <summary>Presses Tab until <paramref name="predicate"/> (JS, given the focused element) holds; checks the indicator at every stop.</summary>
    private static async Task<int> TabUntilAsync(IPage page, string predicate, int max = 80)
    {
        for (var presses = 1; presses <= max; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
            if (await page.EvaluateAsync<bool>($"el => ({predicate})(el)", await page.EvaluateHandleAsync("() => document.activeElement"))) return presses;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached an element matching {predicate}");
    }

    private static async Task TypeAsync(IPage page, string text)
    {
        await page.Keyboard.TypeAsync(text, new() { Delay = 5 });
    }

    [Fact]
    public async Task SkipLink_ShowsWhenFocused_AndMovesFocusToMain()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/topics/attention");
        var skip = page.Locator("a.skip-link");
        var hidden = await skip.BoundingBoxAsync();
        Assert.True(hidden is null || hidden.X + hidden.Width <= 0, "the skip link shows before it is focused");

        await page.Keyboard.PressAsync("Tab");
        Assert.True(await skip.EvaluateAsync<bool>("a => a === document.activeElement"), "the first Tab does not reach the skip link");
        await AssertFocusVisibleAsync(page);
        var box = await skip.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.Y >= 0 && box.Width > 0 && box.Height > 0, $"the focused skip link is off screen at {box.X},{box.Y}");
        Assert.True(await skip.EvaluateAsync<bool>("a => { const r = a.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === a; }"),
            "the focused skip link is covered");

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/topics/attention#main");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('main') && document.activeElement.tagName !== 'MAIN'"),
            "Tab after the skip link does not continue inside the main content");
        await AssertFocusVisibleAsync(page);
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task HeaderSearch_ThenAResult_ByKeyboard()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/");
        await TabUntilAsync(page, "el => el.id === 'site-search'");
        await TypeAsync(page, "smoothquant");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=smoothquant");
        await Expect(page.Locator(".hit-title").First).ToContainTextAsync("SmoothQuant");

        await TabUntilAsync(page, "el => el.matches('.hit-title a')");
        var target = await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(fixture.BaseUrl + target);
        Assert.Contains("/papers/", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("h1")).ToContainTextAsync("SmoothQuant");
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task SubmissionForm_FilledAndSentByKeyboard()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/submit");
        await TabUntilAsync(page, "el => el.id === 'Input_Title'");
        await TypeAsync(page, "Keyboard Only Decoding with Quiet Drafts");

        // The fields come in reading order: one Tab from each to the next.
        async Task Next(string id, string? text)
        {
            await page.Keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
            Assert.Equal(id, await page.EvaluateAsync<string>("() => document.activeElement.id"));
            if (text is not null) await TypeAsync(page, text);
        }
        await Next("Input_Link", "https://arxiv.org/abs/2503.01111");
        await Next("Input_Code", null);
        await Next("Input_Authors", "Ada Quiet, Grace Draft");
        await Next("Input_Topic", "Batching"); // type-ahead picks the option
        Assert.Equal("batching", await page.InputValueAsync("#Input_Topic"));
        // "New topic name" is hidden while an existing topic is chosen, so the next stop is the keywords.
        await Next("Input_Keywords", "QuietDraft");
        await Next("Input_Affiliation", "Example Lab");
        await Next("Input_Date", "2025.01");
        await Next("Input_Venue", null);
        await Next("Input_Citations", null);
        await Next("Input_Intro", "A *short* intro.");
        await Next("Figure", null); // the file input is one stop
        await Next("FigureDescription", null);
        await Next("Input_Name", null);
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page);
        Assert.Equal("Submit for review", (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/submissions/*?received=1");
        await Expect(page.Locator(".status")).ToContainTextAsync("Pending");
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task ModeratorSignsIn_ByKeyboard()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/admin/signin");
        await TabUntilAsync(page, "el => el.id === 'Name'");
        await TypeAsync(page, SiteFactory.Moderator);
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page);
        Assert.Equal("Password", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await TypeAsync(page, SiteFactory.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(fixture.BaseUrl + "/admin");
        await Expect(page.Locator(".page-head h1")).ToHaveTextAsync("Moderation queue");

        // The queue's first submission opens from the keyboard too.
        await TabUntilAsync(page, "el => el.matches('.queue-item h2 a')");
        var review = await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')");
        Assert.StartsWith("/admin/submissions/", review, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Enter");
        // Only the navigation is awaited (not the load event): on a loaded machine the load event is the slow part,
        // and the heading below is what proves the page opened. A failure names where the browser ended up.
        try
        {
            await page.WaitForURLAsync(fixture.BaseUrl + review, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"Enter on {review} did not navigate; the browser is at {page.Url}: {e.Message}");
        }
        await Expect(page.Locator(".page-head h1")).ToContainTextAsync("Review submission");
        problems.AssertNone();
        await context.CloseAsync();
    }
}
