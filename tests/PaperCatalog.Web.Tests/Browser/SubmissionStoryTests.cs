using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>The whole story in Chromium, by real typing and clicking: a reader submits, a moderator approves, the paper is public.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class SubmissionStoryTests(E2EFixture fixture)
{
    private const string Title = "Pumpkin Scheduling: Harvest-Aware Batching for Token Streams";
    private const string Slug = "pumpkin-scheduling"; // the part of the title before its colon

    [GeneratedRegex(@"/submissions/[0-9a-f]{32}\?received=1$")]
    private static partial Regex Receipt();

    private static ILocator FieldError(IPage page, string field) =>
        page.Locator(".field", new() { Has = page.Locator($"#Input_{field}") }).Locator($"[data-valmsg-for='Input.{field}']");

    [Fact]
    public async Task Reader_Submits_WithAMistakeFixed_Moderator_Approves_PaperIsPublic_AndTheStatusLinkSaysApproved()
    {
        // The reader, on the submission form.
        var readerContext = await fixture.NewContextAsync();
        var reader = await readerContext.NewPageAsync();
        var readerProblems = new PageProblems(reader);
        await reader.GotoAsync(fixture.BaseUrl + "/");
        await reader.ClickAsync("footer a[href='/submit']");
        await reader.WaitForURLAsync("**/submit");
        await Expect(reader.Locator("h1")).ToHaveTextAsync("Submit a paper");

        await reader.Locator("#Input_Title").PressSequentiallyAsync(Title, new() { Delay = 5 });
        await reader.FillAsync("#Input_Link", "https://arxiv.org/abs/2502.04321");
        await reader.SelectOptionAsync("#Input_Topic", new SelectOptionValue { Label = "LLM Inference" });
        await reader.FillAsync("#Input_Keywords", "PumpkinSched, batching");
        await reader.FillAsync("#Input_Affiliation", "Example Lab");
        await reader.FillAsync("#Input_Date", "2024.13"); // the mistake: there is no 13th month
        await reader.FillAsync("#Input_Venue", "MLSys 2025");
        await reader.FillAsync("#Input_Citations", "7");
        await reader.FillAsync("#Input_Name", "Ada");
        await reader.ClickAsync("button:has-text('Submit for review')");

        // The message sits beside the date; nothing typed was lost, the mistake included.
        await Expect(FieldError(reader, "Date")).ToContainTextAsync("YYYY.MM");
        await Expect(reader.Locator("#Input_Date")).ToHaveClassAsync(new Regex("input-validation-error"));
        await Expect(reader.Locator("p.form-errors")).ToContainTextAsync("Nothing you typed was lost");
        await Expect(FieldError(reader, "Title")).ToBeEmptyAsync();
        await Expect(reader.Locator("#Input_Title")).ToHaveValueAsync(Title);
        await Expect(reader.Locator("#Input_Link")).ToHaveValueAsync("https://arxiv.org/abs/2502.04321");
        await Expect(reader.Locator("#Input_Topic")).ToHaveValueAsync("llm-inference");
        await Expect(reader.Locator("#Input_Date")).ToHaveValueAsync("2024.13");
        await Expect(reader.Locator("#Input_Name")).ToHaveValueAsync("Ada");

        // Fixed; then an intro, previewed live as it is typed (JavaScript), math typeset.
        await reader.FillAsync("#Input_Date", "2024.11");
        await reader.Locator("#Input_Intro").PressSequentiallyAsync("Lanes are **harvested** in order; the cost is $O(n)$.", new() { Delay = 5 });
        await Expect(reader.Locator("#preview-output strong")).ToHaveTextAsync("harvested");
        await Expect(reader.Locator("#preview-output .katex").First).ToBeVisibleAsync();

        // The Preview button renders the same on the server and keeps the form.
        await reader.ClickAsync("button:has-text('Preview the intro')");
        await reader.WaitForURLAsync("**/submit?handler=Preview");
        await Expect(reader.Locator("#preview-output strong")).ToHaveTextAsync("harvested");
        await Expect(reader.Locator("#preview-output .katex").First).ToBeVisibleAsync();
        await Expect(reader.Locator("#Input_Date")).ToHaveValueAsync("2024.11");
        await Expect(reader.Locator("#Input_Title")).ToHaveValueAsync(Title);

        await reader.ClickAsync("button:has-text('Submit for review')");
        await reader.WaitForURLAsync(Receipt());
        await Expect(reader.Locator(".notice")).ToContainTextAsync("your submission was received");
        await Expect(reader.Locator(".status")).ToContainTextAsync("Pending");
        var statusLink = (await reader.Locator(".status-link").InnerTextAsync()).Trim();
        Assert.Equal(fixture.BaseUrl + new Uri(reader.Url).AbsolutePath, statusLink);
        Assert.DoesNotContain("ada@example.org", await reader.ContentAsync(), StringComparison.Ordinal);

        // The moderator signs in, opens the queue and the submission, and approves it.
        var moderatorContext = await fixture.NewContextAsync();
        var moderator = await moderatorContext.NewPageAsync();
        var moderatorProblems = new PageProblems(moderator);
        await moderator.GotoAsync(fixture.BaseUrl + "/admin");
        await moderator.WaitForURLAsync("**/admin/signin**");
        await moderator.FillAsync("#Name", SiteFactory.Moderator);
        await moderator.FillAsync("#Password", SiteFactory.Password);
        await moderator.ClickAsync("main button:has-text('Sign in')");
        await moderator.WaitForURLAsync(fixture.BaseUrl + "/admin");
        await Expect(moderator.Locator(".page-head h1")).ToHaveTextAsync("Moderation queue");
        var item = moderator.Locator(".queue-item", new() { Has = moderator.Locator($"h2:has-text('{Title}')") });
        await Expect(item.Locator(".excerpt")).ToContainTextAsync("harvested");
        await item.Locator("h2 a").ClickAsync();
        await moderator.WaitForURLAsync("**/admin/submissions/*");
        await Expect(moderator.Locator(".intro-box strong")).ToHaveTextAsync("harvested");
        await Expect(moderator.Locator("#Input_Title")).ToHaveValueAsync(Title);
        await Expect(moderator.Locator("#Input_Date")).ToHaveValueAsync("2024.11");
        await moderator.ClickAsync("button:has-text('Approve and publish')");
        // The moderator moves on (the next pending submission, or the queue), told where the paper now is.
        await moderator.WaitForURLAsync(new Regex(@"/admin(/submissions/\d+)?\?decided=\d+$"));
        await Expect(moderator.Locator(".decided-notice")).ToContainTextAsync("Approved");
        await moderator.ClickAsync(".decided-notice a.decided-paper");
        await moderator.WaitForURLAsync("**/papers/" + Slug);
        await Expect(moderator.Locator("h1")).ToHaveTextAsync(Title);

        // Public: in its topic's table and in search.
        await reader.GotoAsync(fixture.BaseUrl + "/topics/llm-inference");
        await Expect(reader.Locator("table.papers .title-link", new() { HasText = Title })).ToBeVisibleAsync();
        await reader.GotoAsync(fixture.BaseUrl + "/search?q=pumpkinsched");
        await Expect(reader.Locator(".hit-title").First).ToContainTextAsync(Title);

        // The submitter's private link says Approved and leads to the paper.
        await reader.GotoAsync(statusLink);
        await Expect(reader.Locator(".status")).ToContainTextAsync("Approved");
        await reader.ClickAsync(".status a:has-text('See it in the catalog')");
        await reader.WaitForURLAsync("**/papers/" + Slug);
        await Expect(reader.Locator("#intro strong")).ToHaveTextAsync("harvested");

        readerProblems.AssertNone();
        moderatorProblems.AssertNone();
        await readerContext.CloseAsync();
        await moderatorContext.CloseAsync();
    }
}
