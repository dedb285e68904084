using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// The moderator's flows in Chromium: bulk rejection from a filtered queue, the review page's keys, deleting a paper
/// after its confirmation page, and cleaning up the topic it emptied. Each test brings its own submissions (the
/// fixture's seeded one belongs to the page-type tests).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ModerationBrowserTests(E2EFixture fixture)
{
    private IReadOnlyList<long> Queue(string marker, int count) =>
        QueueRows.Insert(fixture.Site, count, i => new QueueRows.Row($"{marker} submission {i}", $"https://example.org/{marker}/{i}"), DateTime.UtcNow.AddDays(-3));

    [Fact]
    public async Task BulkReject_FromAFilteredQueue_RejectsTheTickedSpam_AndConfirms()
    {
        var ids = Queue("Cheapwatches", 3);
        var context = await fixture.NewContextAsync(moderator: true);
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await page.GotoAsync(fixture.BaseUrl + "/admin");
        await page.FillAsync("#queue-q", "cheapwatches");
        await page.ClickAsync(".queue-filter button[type=submit]");
        await page.WaitForURLAsync("**/admin?q=cheapwatches*");
        await Expect(page.Locator(".queue-item")).ToHaveCountAsync(3);

        await page.Locator(".tick-all input").CheckAsync();
        await page.FillAsync("#Note", "Spam.");
        await page.ClickAsync("button:has-text('Reject the ticked submissions')");
        await Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Rejected 3 submissions.");
        await Expect(page.Locator(".queue-item")).ToHaveCountAsync(0);
        Assert.Contains("q=cheapwatches", page.Url, StringComparison.Ordinal); // still the filtered queue
        await page.GotoAsync(fixture.BaseUrl + "/admin/history?q=cheapwatches&outcome=rejected");
        await Expect(page.Locator(".history tbody tr")).ToHaveCountAsync(ids.Count);
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task ReviewKeys_MoveAndDecide_AreShownInAHint_AndNeverFireWhileTyping()
    {
        var ids = Queue("Keyboardtrip", 2);
        var context = await fixture.NewContextAsync(moderator: true);
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        var first = fixture.BaseUrl + PaperUrls.Review(ids[0]);
        await page.GotoAsync(first);
        await Expect(page.Locator(".shortcut-hint")).ToBeVisibleAsync();
        await Expect(page.Locator(".shortcut-hint")).ToContainTextAsync("a approve and publish");

        await page.Keyboard.PressAsync("j");
        await page.WaitForURLAsync("**" + PaperUrls.Review(ids[1]));
        await page.Keyboard.PressAsync("k");
        await page.WaitForURLAsync(first);

        // Typed into the note, "r" and "a" are letters of the note, not decisions.
        await page.ClickAsync("#Note");
        await page.Keyboard.TypeAsync("rather bad", new() { Delay = 5 });
        await Expect(page.Locator("#Note")).ToHaveValueAsync("rather bad");
        Assert.Equal(first, page.Url);
        await page.EvaluateAsync("() => document.activeElement.blur()");

        // Out of the field, "r" rejects with the note as typed, and the next pending submission says so.
        await page.Keyboard.PressAsync("r");
        await page.WaitForURLAsync(new Regex("decided=" + ids[0].ToString(CultureInfo.InvariantCulture) + "$"));
        await Expect(page.Locator(".decided-notice")).ToContainTextAsync("Rejected “Keyboardtrip submission 0”");
        await page.GotoAsync(fixture.BaseUrl + "/admin/history?q=rather+bad");
        await Expect(page.Locator(".history tbody tr")).ToHaveCountAsync(1);
        problems.AssertNone();
        await context.CloseAsync();
    }

    /// <summary>Approves a fresh submission into a topic of its own (chosen on the review page) and returns the paper's path.</summary>
    private async Task<string> LonePaperAsync(IPage page, string marker, string topic)
    {
        var id = Queue(marker, 1)[0];
        await page.GotoAsync(fixture.BaseUrl + PaperUrls.Review(id));
        await page.SelectOptionAsync("#Input_Topic", "new");
        await page.FillAsync("#Input_NewTopicName", topic);
        await page.FillAsync("#Input_Keywords", marker.ToLowerInvariant() + "kw");
        await page.ClickAsync("button:has-text('Approve and publish')");
        await Expect(page.Locator(".decided-notice a.decided-paper")).ToBeVisibleAsync();
        return (await page.Locator(".decided-notice a.decided-paper").GetAttributeAsync("href"))!;
    }

    [Fact]
    public async Task DeletePaper_ShowsWhatGoesWithIt_ThenDeletesOnlyWhenConfirmed()
    {
        var context = await fixture.NewContextAsync(moderator: true);
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        var path = await LonePaperAsync(page, "Deletable", "Deletable Topic");
        await page.GotoAsync(fixture.BaseUrl + PaperUrls.EditPaper(path["/papers/".Length..]));
        await page.ClickAsync(".danger-zone a:has-text('Delete the paper')");
        await page.WaitForURLAsync("**/delete");
        await Expect(page.Locator("h1")).ToContainTextAsync("Delete “Deletable submission 0”?");
        await Expect(page.Locator(".delete-impact .chip")).ToHaveTextAsync("deletablekw");
        await Expect(page.Locator(".topic-emptied")).ToContainTextAsync("Deletable Topic is left without papers");

        await page.ClickAsync("a:has-text('Keep it')");
        await page.WaitForURLAsync("**" + PaperUrls.EditPaper(path["/papers/".Length..]));
        Assert.True((await page.APIRequest.GetAsync(fixture.BaseUrl + path)).Ok, "keeping the paper deleted it");

        await page.GoBackAsync();
        await page.ClickAsync("form.danger-zone button:has-text('Delete the paper')");
        await page.WaitForURLAsync("**/admin/topics?*");
        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("“Deletable Topic” has no papers left");
        Assert.Equal(404, (await page.APIRequest.GetAsync(fixture.BaseUrl + path)).Status);
        problems.AssertNone();
        await context.CloseAsync();
    }

    [Fact]
    public async Task EmptiedTopic_LeavesTheHomePageAndNavigation_AndIsRemovedFromTheTopicsPage()
    {
        var context = await fixture.NewContextAsync(moderator: true);
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        var path = await LonePaperAsync(page, "Emptied", "Emptied Topic");
        await page.GotoAsync(fixture.BaseUrl + "/");
        await Expect(page.Locator(".topic-nav a", new() { HasText = "Emptied Topic" })).ToHaveCountAsync(1);

        await page.GotoAsync(fixture.BaseUrl + PaperUrls.DeletePaper(path["/papers/".Length..]));
        await page.ClickAsync("form.danger-zone button:has-text('Delete the paper')");
        await page.WaitForURLAsync("**/admin/topics?*");
        await page.GotoAsync(fixture.BaseUrl + "/");
        await Expect(page.Locator(".topic-nav a", new() { HasText = "Emptied Topic" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".topic-cards", new() { HasText = "Emptied Topic" })).ToHaveCountAsync(0);

        await page.GotoAsync(fixture.BaseUrl + "/admin/topics");
        var item = page.Locator(".empty-topic[data-topic=emptied-topic]");
        await item.Locator("button:has-text('Remove')").ClickAsync();
        await Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Removed the topic.");
        await Expect(page.Locator(".empty-topic[data-topic=emptied-topic]")).ToHaveCountAsync(0);
        await Expect(page.Locator(".admin-table td", new() { HasText = "Emptied Topic" })).ToHaveCountAsync(0);
        problems.AssertNone();
        await context.CloseAsync();
    }
}
