using System.Net;
using System.Reflection;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Submissions;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// The two fields added through the one description of a paper: code (a repository link) and authors, from the list,
/// the submission form, approval and a moderator's edit to the tables and paper pages; and every field of the form is a
/// field of the page that shows it.
/// </summary>
public sealed class CodeAndAuthorsTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private static IEnumerable<string> FormFields(params string[] except) =>
        typeof(SubmissionForm).GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.PropertyType == typeof(string) && p.CanWrite && !except.Contains(p.Name)).Select(p => "Input." + p.Name);

    [Fact]
    public async Task EveryFieldOfTheForm_HasItsInput_OnTheSubmitReviewAndEditPages()
    {
        var submit = await Html.GetOkAsync(_site.CreateReader(), "/submit");
        // The site sends no mail, so the submit form asks for no e-mail (README, "The status page"); the property only
        // reads addresses stored before that, and a hand-made post's address is dropped.
        Assert.All(FormFields(nameof(SubmissionForm.Email)), name => Assert.NotNull(submit.QuerySelector($"form[data-submit-form] [name='{name}']")));
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        // A paper has no submitter.
        Assert.All(FormFields(nameof(SubmissionForm.Name), nameof(SubmissionForm.Email)), name => Assert.NotNull(edit.QuerySelector($"main form.paper-form [name='{name}']")));
    }

    [Fact]
    public async Task ListPaper_ShowsItsCodeInTheTable_AndCodeAndAuthorsOnItsPage()
    {
        var reader = _site.CreateReader();
        var row = (await Html.GetOkAsync(reader, "/topics/llm-inference")).QuerySelectorAll("table.papers tbody tr")
            .Single(r => r.QuerySelector(".title-link")!.GetAttribute("href") == "/papers/eagle");
        Assert.Equal("https://github.com/SafeAILab/EAGLE", row.QuerySelectorAll(".links a").Single(a => a.Text() == "code").GetAttribute("href"));
        var page = await Html.GetOkAsync(reader, "/papers/eagle");
        Assert.Equal("https://github.com/SafeAILab/EAGLE", page.QuerySelectorAll(".facts .links a").Single(a => a.Text() == "code").GetAttribute("href"));
        Assert.Equal("Yuhui Li, Fangyun Wei, Chao Zhang, Hongyang Zhang", page.QuerySelector(".facts .authors").Text());
        // GQA has no official repository: no code link.
        Assert.DoesNotContain((await Html.GetOkAsync(reader, "/papers/gqa")).QuerySelectorAll(".facts .links a"), a => a.Text() == "code");
    }

    [Fact]
    public async Task Submission_WithCodeAndAuthors_IsApprovedWithThem()
    {
        var values = SubmissionFlowTests.Paper();
        values["Input.Code"] = "https://github.com/example/tree-draft";
        values["Input.Authors"] = "Ada Lovelace; Hopper, Grace";
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), values)).StatusCode);

        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        Assert.Equal("https://github.com/example/tree-draft", form.QuerySelector<IHtmlInputElement>("[name='Input.Code']")!.Value);
        Assert.Equal("Ada Lovelace; Hopper, Grace", form.QuerySelector<IHtmlInputElement>("[name='Input.Authors']")!.Value);
        var approved = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>(), form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        var page = await Html.GetOkAsync(_site.CreateReader(), await Decisions.PaperPathAsync(moderator, approved));
        Assert.Equal("https://github.com/example/tree-draft", page.QuerySelectorAll(".facts .links a").Single(a => a.Text() == "code").GetAttribute("href"));
        Assert.Equal("Ada Lovelace; Hopper, Grace", page.QuerySelector(".facts .authors").Text());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("github.com/example/tree-draft")]
    [InlineData("https://github.com/example/tree draft")]
    public async Task Submission_WithACodeLinkThatIsNoWebAddress_IsRefusedBesideTheField_KeepingWhatWasTyped(string code)
    {
        var values = SubmissionFlowTests.Paper();
        values["Input.Code"] = code;
        var response = await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), values);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.Contains("http:// or https://", doc.QuerySelector("[data-valmsg-for='Input.Code']").Text(), StringComparison.Ordinal);
        Assert.Equal(code, doc.QuerySelector<IHtmlInputElement>("[name='Input.Code']")!.Value);
    }

    [Fact]
    public async Task ModeratorsEdit_OfAListPaper_WritesCodeAndAuthors_AndThePageStatesTheEditRule()
    {
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        Assert.Contains("stays until the list's row for this paper changes", edit.QuerySelector(".edit-rule").Text(), StringComparison.Ordinal);
        var form = (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!;
        Assert.StartsWith("Joshua Ainslie, James Lee-Thorp", form.QuerySelector<IHtmlInputElement>("[name='Input.Authors']")!.Value, StringComparison.Ordinal);
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>
        {
            ["Input.Code"] = "https://github.com/example/gqa",
            ["Input.Authors"] = "Joshua Ainslie, Sumit Sanghai",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var reader = _site.CreateReader();
        var row = (await Html.GetOkAsync(reader, "/topics/attention")).QuerySelectorAll("table.papers tbody tr")
            .Single(r => r.QuerySelector(".title-link")!.GetAttribute("href") == "/papers/gqa");
        Assert.Equal("https://github.com/example/gqa", row.QuerySelectorAll(".links a").Single(a => a.Text() == "code").GetAttribute("href"));
        Assert.Equal("Joshua Ainslie, Sumit Sanghai", (await Html.GetOkAsync(reader, "/papers/gqa")).QuerySelector(".facts .authors").Text());
        Assert.Contains($"last edited here by {SiteFactory.Moderator}", (await Html.GetOkAsync(moderator, "/admin/papers/gqa")).QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        Assert.Equal("code: added: https://github.com/example/gqa", (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector(".audit tbody tr")!.Children[4].QuerySelector(".change").Text());
    }
}
