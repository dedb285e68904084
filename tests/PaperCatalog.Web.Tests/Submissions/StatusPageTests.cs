using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>The submitter's status page: the private link, the whole submission, and withdrawing it.</summary>
public sealed class StatusPageTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<(HttpClient Reader, string Status)> SubmittedAsync(Dictionary<string, string?>? values = null)
    {
        var reader = _site.CreateReader();
        var response = await SubmissionFlowTests.SubmitAsync(reader, values ?? SubmissionFlowTests.Paper());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (reader, response.Headers.Location!.OriginalString.Split('?')[0]);
    }

    [Fact]
    public async Task StatusPage_ShowsThePrivateLinkAsALink_AndTheWholeSubmission()
    {
        var values = SubmissionFlowTests.Paper();
        values["Input.Code"] = "https://github.com/example/tree-drafts";
        values["Input.Authors"] = "Ada Lovelace, Alan Turing";
        var (reader, status) = await SubmittedAsync(values);
        var page = await Html.GetOkAsync(reader, status);

        var link = page.QuerySelector("a.status-link")!;
        Assert.Equal("http://localhost" + status, link.GetAttribute("href"));
        Assert.Equal(link.GetAttribute("href"), link.Text());
        // The copy button waits for status.js (no inline script: the CSP allows none).
        Assert.True(page.QuerySelector("[data-copy-link]")!.HasAttribute("hidden"));
        Assert.Contains(page.QuerySelectorAll("script[src]"), s => s.GetAttribute("src")!.StartsWith("/js/status.js", StringComparison.Ordinal));
        Assert.Empty(page.QuerySelectorAll("script:not([src])"));

        var facts = page.QuerySelector(".submitted-facts")!;
        Assert.Contains("Speculative Sampling with Tree Drafts", facts.Text(), StringComparison.Ordinal);
        Assert.Equal("https://arxiv.org/abs/2411.01234", facts.QuerySelector("a[href^='https://arxiv.org']")!.GetAttribute("href"));
        Assert.NotNull(facts.QuerySelector("a[href='https://github.com/example/tree-drafts']"));
        Assert.Contains("Ada Lovelace, Alan Turing", facts.Text(), StringComparison.Ordinal);
        Assert.Contains("TreeDraft, speculative decoding", facts.Text(), StringComparison.Ordinal);
        Assert.Contains("Example Lab", facts.Text(), StringComparison.Ordinal);
        Assert.Contains("NeurIPS 2025", facts.Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector(".submitted .intro-box strong"));
    }

    [Fact]
    public async Task Withdraw_TakesTheSubmissionOutOfTheQueue_AndTheStatusSaysWithdrawn()
    {
        var (reader, status) = await SubmittedAsync();
        var moderator = await _site.SignedInAsync();
        Assert.Single((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));

        var form = (IHtmlFormElement)(await Html.GetOkAsync(reader, status)).QuerySelector(".withdraw form")!;
        var withdrawn = await Forms.PostAsync(reader, form, new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal(status + "?withdrawn=1", withdrawn.Headers.Location!.OriginalString);
        var page = await Html.GetOkAsync(reader, withdrawn.Headers.Location!.OriginalString);
        Assert.Contains("withdrawn", page.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Contains("Withdrawn", page.QuerySelector(".status").Text(), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector(".withdraw form"));

        Assert.Empty((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
        // Sent again from the old page: refused in words, nothing changes.
        var again = await Forms.PostAsync(reader, form, new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already withdrawn", (await Html.ParseAsync(again)).QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        // No longer waiting, so the same paper may be proposed anew.
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), SubmissionFlowTests.Paper())).StatusCode);
    }

    [Fact]
    public async Task AdminNavigation_CountsThePendingSubmissions_OnEveryModeratorPage()
    {
        var moderator = await _site.SignedInAsync();
        Assert.Equal("0 pending", (await Html.GetOkAsync(moderator, "/admin/topics")).QuerySelector(".admin-nav .pending-count").Text());
        var (reader, status) = await SubmittedAsync();
        await SubmittedAsync(SubmissionFlowTests.Paper("Another Paper Entirely Different", "https://arxiv.org/abs/2411.05678"));
        Assert.Equal("2 pending", (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector(".admin-nav .pending-count").Text());
        var form = (IHtmlFormElement)(await Html.GetOkAsync(reader, status)).QuerySelector(".withdraw form")!;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(reader, form, new Dictionary<string, string?>())).StatusCode);
        Assert.Equal("1 pending", (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".admin-nav .pending-count").Text());
    }

    [Fact]
    public async Task Withdraw_WithoutItsAntiforgeryToken_IsRefused_AndTheSubmissionStaysPending()
    {
        var (reader, status) = await SubmittedAsync();
        var refused = await reader.PostAsync(status + "?handler=Withdraw", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Pending", (await Html.GetOkAsync(reader, status)).QuerySelector(".status").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitForm_AsksForNoEmail_SinceTheSiteSendsNone_AndAHandMadeOneIsNotKept()
    {
        var form = (await Html.GetOkAsync(_site.CreateReader(), "/submit")).QuerySelector("form[data-submit-form]")!;
        Assert.Null(form.QuerySelector("[name='Input.Email']"));
        Assert.NotNull(form.QuerySelector("[name='Input.Name']"));

        await SubmittedAsync(); // Paper() carries ada@example.org, as a hand-made post could
        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        Assert.DoesNotContain("ada@example.org", review.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }
}
