using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>A contributor's obstacles, in Chromium: a form left open until its cookie is gone, and taking a submission back.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class ContributorFlowTests(E2EFixture fixture)
{
    /// <summary>The status page a sent form lands on.</summary>
    [GeneratedRegex(@"/submissions/[0-9a-f]{32}\?received=1$")]
    internal static partial Regex Receipt();

    /// <summary>Fills the form; <paramref name="arxivId"/> is typed bare, as the form allows.</summary>
    internal static async Task FillAsync(IPage page, string title, string arxivId, string intro)
    {
        await page.FillAsync("#Input_Title", title);
        await page.FillAsync("#Input_Link", arxivId);
        await page.SelectOptionAsync("#Input_Topic", new SelectOptionValue { Label = "LLM Inference" });
        await page.FillAsync("#Input_Keywords", "Flow, test");
        await page.FillAsync("#Input_Affiliation", "Example Lab");
        await page.FillAsync("#Input_Date", "2025.01");
        await page.FillAsync("#Input_Intro", intro);
    }

    [Fact]
    public async Task FormWhoseAntiforgeryCookieExpired_ComesBackWithTheTextKept_AndTheNextClickSendsIt()
    {
        const string intro = "A long intro written over an afternoon.\n\nIt has **two** paragraphs and $x^2$ math.";
        var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/submit");
        // The new topic's name is asked for only once a new topic is chosen.
        await Expect(page.Locator("#Input_NewTopicName")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#Input_Topic", "new");
        await Expect(page.Locator("#Input_NewTopicName")).ToBeVisibleAsync();
        await FillAsync(page, "Lantern Caches: Keeping Warm Keys Through the Night", "2501.04242", intro);

        // A day later the browser has dropped the session's cookies; the tab is still open.
        await context.ClearCookiesAsync();
        await page.ClickAsync("button:has-text('Submit for review')");

        await Expect(page.Locator(".form-errors").First).ToContainTextAsync("could not be sent safely");
        await Expect(page.Locator("#Input_Intro")).ToHaveValueAsync(intro);
        await Expect(page.Locator("#Input_Title")).ToHaveValueAsync("Lantern Caches: Keeping Warm Keys Through the Night");
        await Expect(page.Locator("#Input_Link")).ToHaveValueAsync("2501.04242");

        await page.ClickAsync("button:has-text('Submit for review')");
        await page.WaitForURLAsync(Receipt());
        await Expect(page.Locator(".status")).ToContainTextAsync("Pending");
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task Submitter_CopiesTheLink_AndWithdraws_AndTheModeratorNoLongerSeesIt()
    {
        const string title = "Heron Paging: Wading Through Long Contexts";
        var context = await fixture.NewContextAsync();
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/submit");
        await FillAsync(page, title, "2501.05353", "Short.");
        await page.ClickAsync("button:has-text('Submit for review')");
        await page.WaitForURLAsync(Receipt());

        var copy = page.Locator("[data-copy-link]");
        await Expect(copy).ToBeVisibleAsync();
        await copy.ClickAsync();
        await Expect(page.Locator("[data-copy-result]")).ToHaveTextAsync("Copied.");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await page.Locator("a.status-link").GetAttributeAsync("href"), copied);
        await Expect(page.Locator(".submitted-facts")).ToContainTextAsync(title);

        await page.ClickAsync("button:has-text('Withdraw this submission')");
        await Expect(page.Locator(".notice")).ToContainTextAsync("withdrawn");
        await Expect(page.Locator(".status")).ToContainTextAsync("Withdrawn");
        await Expect(page.Locator("button:has-text('Withdraw this submission')")).ToHaveCountAsync(0);
        problems.AssertNone();

        var moderatorContext = await fixture.NewContextAsync(moderator: true);
        var moderator = await moderatorContext.NewPageAsync();
        await moderator.GotoAsync(fixture.BaseUrl + "/admin?order=newest");
        await Expect(moderator.Locator(".queue-item h2").First).ToBeVisibleAsync();
        await Expect(moderator.Locator($".queue-item h2:has-text('{title}')")).ToHaveCountAsync(0);
        await moderatorContext.CloseAsync();
        await context.CloseAsync();
    }
}
