using AngleSharp.Dom;
using System.Net;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// "Suggest a correction" on a paper page, through real HTTP, real forms and real antiforgery tokens: the form opens
/// prefilled as a correction of that paper, the moderators see what it changes, and approving it updates that paper.
/// </summary>
public sealed class CorrectionTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    // One site for the class (tests in a class run one after another): each test corrects a paper of its own.
    private readonly SiteFactory _site = site;

    /// <summary>Follows the paper page's "Suggest a correction" link to the prefilled form.</summary>
    private static async Task<IHtmlFormElement> CorrectionFormAsync(HttpClient reader, string paper)
    {
        var page = await Html.GetOkAsync(reader, "/papers/" + paper);
        var link = page.QuerySelector(".suggest a")!.GetAttribute("href")!;
        var form = await Html.GetOkAsync(reader, link);
        return (IHtmlFormElement)form.QuerySelector("form[data-submit-form]")!;
    }

    private static async Task<string> SubmittedCountAsync(HttpClient client) =>
        (await Html.GetOkAsync(client, "/topics")).QuerySelector(".index-list").Text();

    [Fact]
    public async Task SuggestACorrection_OpensTheSubmitFormPrefilledWithThePaper_MarkedAsItsCorrection()
    {
        var reader = _site.CreateReader();
        var page = await Html.GetOkAsync(reader, "/papers/medusa");
        Assert.Equal("/submit?correct=medusa", page.QuerySelector(".suggest a")!.GetAttribute("href"));

        var form = await CorrectionFormAsync(reader, "medusa");
        Assert.Equal(page.QuerySelector("h1").Text(), form.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value);
        Assert.Equal("medusa", form.QuerySelector<IHtmlInputElement>("[name='Correct']")!.Value);
        Assert.Equal("Princeton, Together AI, UIUC etc", form.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
        Assert.Equal("llm-inference", form.QuerySelector<IHtmlSelectElement>("[name='Input.Topic']")!.SelectedOptions.Single().Value);
        Assert.Equal("Suggest a correction", form.Owner!.QuerySelector("h1").Text());
    }

    [Fact]
    public async Task Correction_IsNotItsOwnPapersDuplicate_ShowsEachChange_AndApprovingUpdatesThatPaperInsteadOfAddingOne()
    {
        var reader = _site.CreateReader();
        var before = await SubmittedCountAsync(reader);
        var form = await CorrectionFormAsync(reader, "gqa");
        // Same title and arXiv link as the published paper: exactly what a new submission would be refused for.
        var sent = await Forms.PostAsync(reader, form, new Dictionary<string, string?> { ["Input.Affiliation"] = "Google Research, Google DeepMind", ["Input.Citations"] = "777" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var status = await Html.GetOkAsync(reader, sent.Headers.Location!.OriginalString);
        Assert.Equal("/papers/gqa", status.QuerySelector(".status-facts a[href^='/papers/']")!.GetAttribute("href"));

        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, (await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item h2 a").Single(a => a.Text().StartsWith("GQA", StringComparison.Ordinal)).GetAttribute("href")!);
        // Its own paper is not offered as a duplicate; the changes are listed field by field, and only those.
        Assert.DoesNotContain(review.QuerySelectorAll(".duplicates a"), a => a.GetAttribute("href") == "/papers/gqa");
        Assert.Equal("/papers/gqa", review.QuerySelector(".proposed-edit h2 a")!.GetAttribute("href"));
        var changes = review.QuerySelectorAll(".proposed-changes tbody tr")
            .Select(r => (r.QuerySelector("th").Text(), r.QuerySelectorAll("td")[0].Text(), r.QuerySelectorAll("td")[1].Text())).ToList();
        Assert.Equal(new[] { ("affiliation", "Google Research", "Google Research, Google DeepMind"), ("citations", "489", "777") }, changes);

        var approveForm = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approve = approveForm.QuerySelector("button[formaction]")!;
        Assert.Equal("Approve and update the paper", approve.Text());
        var approved = await Forms.PostAsync(moderator, approveForm, new Dictionary<string, string?>(), approve.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        var paper = await Html.GetOkAsync(reader, "/papers/gqa");
        Assert.Contains("Google Research, Google DeepMind", paper.QuerySelector(".facts").Text(), StringComparison.Ordinal);
        Assert.Contains("777", paper.QuerySelector(".facts").Text(), StringComparison.Ordinal);
        Assert.Equal(before, await SubmittedCountAsync(reader));
        // Audited like an edit, naming the submission, the paper and each change.
        var audit = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector("table").Text();
        Assert.Contains("approve-correction", audit, StringComparison.Ordinal);
        Assert.Contains("affiliation", audit, StringComparison.Ordinal);
        Assert.Contains("Google DeepMind", audit, StringComparison.Ordinal);
        // The edit page sees it as the moderator's edit.
        Assert.Contains(SiteFactory.Moderator, (await Html.GetOkAsync(moderator, "/admin/papers/gqa")).QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correction_ThatChangesNothing_IsRefusedWithAMessage_AndStoresNothing()
    {
        var reader = _site.CreateReader();
        var moderator = await _site.SignedInAsync();
        var waiting = (await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item").Length;
        var response = await Forms.PostAsync(reader, await CorrectionFormAsync(reader, "eagle"), new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.Contains("Nothing was changed", doc.QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Equal(waiting, (await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item").Length);
    }

    [Fact]
    public async Task CorrectionOfAnUnknownPaper_IsNotFound()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/submit?correct=no-such-paper")).StatusCode);
    }
}
