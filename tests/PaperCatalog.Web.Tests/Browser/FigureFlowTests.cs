using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using PaperCatalog.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>A contributor sends a figure with a paper and a moderator reviews and publishes it, in Chromium.</summary>
[Collection(E2ECollection.Name)]
public sealed class FigureFlowTests(E2EFixture fixture)
{
    [Fact]
    public async Task Contributor_AttachesAFigure_SeesItOnTheStatusPage_ModeratorReviewsIt_AndTheApprovedPaperShowsIt()
    {
        const string title = "Tiled Figures for Browser Review";
        // Long enough that the review page's intro box scrolls (axe's scrollable-region-focusable).
        var intro = string.Join("\n\n", Enumerable.Range(1, 40).Select(i => $"Paragraph {i} of an intro that scrolls in its box."));
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/submit");
        await ContributorFlowTests.FillAsync(page, title, "2507.01234", intro);
        // A refused figure first: the form comes back with what was typed, the figure field saying why.
        await page.SetInputFilesAsync("#Figure", new FilePayload { Name = "diagram.svg", MimeType = "image/svg+xml", Buffer = TestImages.Svg() });
        await page.FillAsync("#FigureDescription", "Blue tiles on the left, amber on the right");
        await page.ClickAsync("button:has-text('Submit for review')");
        await Expect(page.Locator("[data-valmsg-for='Figure']")).ToContainTextAsync("SVG figures are not accepted");
        await Expect(page.Locator("#Input_Title")).ToHaveValueAsync(title);
        await Expect(page.Locator("#FigureDescription")).ToHaveValueAsync("Blue tiles on the left, amber on the right");

        await page.SetInputFilesAsync("#Figure", new FilePayload { Name = "tiles.png", MimeType = "image/png", Buffer = TestImages.Png(120, 60) });
        await page.ClickAsync("button:has-text('Submit for review')");
        await page.WaitForURLAsync(ContributorFlowTests.Receipt());
        var own = page.Locator(".submitted .paper-figure img");
        await Expect(own).ToHaveAttributeAsync("alt", "Blue tiles on the left, amber on the right");
        Assert.Equal(120, await own.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"));
        problems.AssertNone();

        var moderatorContext = await fixture.NewContextAsync(moderator: true);
        var moderator = await moderatorContext.NewPageAsync();
        var moderatorProblems = new PageProblems(moderator);
        await moderator.GotoAsync(fixture.BaseUrl + "/admin?order=newest");
        await Expect(moderator.Locator(".queue-item", new() { HasText = title }).Locator(".queue-kind")).ToContainTextAsync("With a figure");
        await moderator.Locator(".queue-item h2 a", new() { HasText = title }).ClickAsync();
        var figure = moderator.Locator("aside .paper-figure img");
        Assert.Equal(120, await figure.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"));
        await Expect(moderator.Locator(".figure-facts")).ToContainTextAsync("120 × 60 pixels");
        // The review page with a figure and an intro that scrolls: axe over the whole page, light and dark.
        Assert.True(await moderator.Locator(".intro-box").EvaluateAsync<bool>("box => box.scrollHeight > box.clientHeight"), "the intro box does not scroll");
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await moderator.EmulateMediaAsync(new() { ColorScheme = scheme });
            var axe = await moderator.RunAxe();
            Assert.NotEmpty(axe.Passes);
            Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{scheme}: {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(4).Select(n => string.Join(" ", n.Target)))})"));
        }
        await moderator.ClickAsync("button:has-text('Approve and publish')");
        await moderator.WaitForURLAsync(new Regex("decided="));
        var paperLink = await moderator.Locator(".decided-notice a.decided-paper").GetAttributeAsync("href");
        moderatorProblems.AssertNone();

        // Readers see it above the intro, and it opens full size.
        await page.GotoAsync(fixture.BaseUrl + paperLink);
        var published = page.Locator("article .paper-figure img");
        Assert.Equal(120, await published.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"));
        await page.ClickAsync("article .paper-figure a");
        await page.WaitForURLAsync(new Regex("/media/figure/[0-9a-f]{16}\\.png$"));
        problems.AssertNone();
        await moderatorContext.CloseAsync();
        await context.CloseAsync();
    }
}
