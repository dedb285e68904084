using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>The queue's one progressive enhancement: a box that ticks every submission on the page.</summary>
[Collection(E2ECollection.Name)]
public sealed class QueueBrowserTests(E2EFixture fixture)
{
    [Fact]
    public async Task TickAll_TicksAndClearsEverySubmissionOnThePage_AndFollowsSingleTicks()
    {
        var context = await fixture.NewContextAsync(moderator: true);
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/admin");
        var all = page.Locator(".tick-all input");
        var boxes = page.Locator(".queue-item input[name=Selected]");
        Assert.True(await boxes.CountAsync() >= 1);

        await all.CheckAsync();
        foreach (var box in await boxes.AllAsync()) await Expect(box).ToBeCheckedAsync();
        await boxes.First.UncheckAsync();
        await Expect(all).Not.ToBeCheckedAsync();
        await boxes.First.CheckAsync();
        await Expect(all).ToBeCheckedAsync();
        await all.UncheckAsync();
        foreach (var box in await boxes.AllAsync()) await Expect(box).Not.ToBeCheckedAsync();
        problems.AssertNone();
        await context.CloseAsync();
    }
}
