using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>A reader suggests a correction from a paper page, and a moderator approves it, in Chromium.</summary>
[Collection(E2ECollection.Name)]
public sealed class CorrectionFlowTests(E2EFixture fixture)
{
    private const string Paper = "a-survey-on-efficient-inference-for-large-language-models";

    [Fact]
    public async Task Reader_SuggestsACorrectionFromThePaperPage_ModeratorSeesTheChange_AndApprovalUpdatesThePaper()
    {
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/papers/" + Paper);
        var title = await page.Locator("h1").InnerTextAsync();
        await page.ClickAsync("a:has-text('Suggest a correction')");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Suggest a correction");
        await Expect(page.Locator("#Input_Title")).ToHaveValueAsync(title);
        await Expect(page.Locator("#Input_Affiliation")).ToHaveValueAsync("THU, Infinigence-AI, SJTU etc");
        await page.FillAsync("#Input_Affiliation", "Tsinghua University, Infinigence-AI, SJTU");
        await page.ClickAsync("button:has-text('Send the correction for review')");
        await page.WaitForURLAsync(ContributorFlowTests.Receipt());
        await Expect(page.Locator(".status")).ToContainTextAsync("Pending");
        problems.AssertNone();

        var moderatorContext = await fixture.NewContextAsync(moderator: true);
        var moderator = await moderatorContext.NewPageAsync();
        var moderatorProblems = new PageProblems(moderator);
        await moderator.GotoAsync(fixture.BaseUrl + "/admin?order=newest");
        await moderator.Locator(".queue-item h2 a", new() { HasText = title }).First.ClickAsync();
        var change = moderator.Locator(".proposed-changes tbody tr");
        await Expect(change).ToHaveCountAsync(1);
        await Expect(change).ToContainTextAsync("THU, Infinigence-AI, SJTU etc");
        await Expect(change).ToContainTextAsync("Tsinghua University, Infinigence-AI, SJTU");
        // The proposed-edit table is a new part of the review page: axe over it, light and dark.
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await moderator.EmulateMediaAsync(new() { ColorScheme = scheme });
            var axe = await moderator.Locator(".proposed-edit").RunAxe();
            Assert.NotEmpty(axe.Passes);
            Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{scheme}: {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(4).Select(n => string.Join(" ", n.Target)))})"));
        }
        await moderator.ClickAsync("button:has-text('Approve and update the paper')");
        // After a decision the moderator goes on to the next submission; the corrected paper is at its own address.
        await moderator.WaitForURLAsync(new Regex("/admin"));
        await moderator.GotoAsync(fixture.BaseUrl + "/papers/" + Paper);
        await Expect(moderator.Locator(".facts")).ToContainTextAsync("Tsinghua University, Infinigence-AI, SJTU");
        moderatorProblems.AssertNone();

        // Readers see the corrected paper at the same address (the cache was evicted by the write).
        await page.GotoAsync(fixture.BaseUrl + "/papers/" + Paper);
        await Expect(page.Locator(".facts")).ToContainTextAsync("Tsinghua University, Infinigence-AI, SJTU");
        await moderatorContext.CloseAsync();
        await context.CloseAsync();
    }
}
