using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Submissions;
using PaperCatalog.Testing;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// Every form that renders an intro (preview, submit, approve, moderator edit) refuses one over the Markdown budget at
/// the intro field, keeping everything typed, and a stored intro that cannot be rendered never breaks a page.
/// </summary>
public sealed class IntroBudgetTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private static readonly string DeepIntro = "# Deep\n\nFine words.\n\n" + new string('>', 128) + " deep\n";

    private static IHtmlFormElement SubmitForm(IDocument doc) => (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;

    private static string IntroError(IDocument page) => page.QuerySelector("[data-valmsg-for='Input.Intro']").Text();

    [Fact]
    public async Task Preview_TableBomb_IsRefusedAtTheIntroField_WithASmallAnswer_KeepingTheForm()
    {
        var reader = _site.CreateReader();
        var form = SubmitForm(await Html.GetOkAsync(reader, "/submit"));
        var values = SubmissionFlowTests.Paper();
        values["Input.Intro"] = HostileMarkdown.Reproductions[0].Markdown;
        var response = await Forms.PostAsync(reader, form, values, form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 100_000, $"{body.Length} characters");
        var page = await Html.ParseAsync(response);
        Assert.Contains("cells", IntroError(page), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#preview-output .render-refused"));
        Assert.Empty(page.QuerySelectorAll("#preview-output table"));
        Assert.Equal(values["Input.Intro"], page.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value);
        Assert.Equal("Example Lab", page.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
    }

    [Fact]
    public async Task SubmitWithFormErrors_HasTheSame64KBLimitAsThePreview()
    {
        // A 100 KB intro in a form with another error: it used to be rendered in full (up to the 256 KB request limit).
        var reader = _site.CreateReader();
        var values = SubmissionFlowTests.Paper();
        values["Input.Title"] = "";
        values["Input.Intro"] = string.Concat(Enumerable.Repeat("Some **bold** words.\n\n", 100 * 1024 / 22));
        var response = await Forms.PostAsync(reader, SubmitForm(await Html.GetOkAsync(reader, "/submit")), values);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("at most 64 KB", IntroError(page), StringComparison.Ordinal);
        Assert.NotEmpty(page.QuerySelector("[data-valmsg-for='Input.Title']").Text());
        Assert.Empty(page.QuerySelectorAll("#preview-output strong"));
        Assert.Equal(values["Input.Intro"], page.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value);
    }

    [Fact]
    public async Task Submit_DeepIntro_IsRefusedAtTheField_AndNothingIsStored()
    {
        var reader = _site.CreateReader();
        var values = SubmissionFlowTests.Paper();
        values["Input.Intro"] = DeepIntro;
        var response = await Forms.PostAsync(reader, SubmitForm(await Html.GetOkAsync(reader, "/submit")), values);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = IntroError(await Html.ParseAsync(response));
        Assert.Contains("line 5", error, StringComparison.Ordinal);
        Assert.Contains("nested 128 levels deep", error, StringComparison.Ordinal);
        var moderator = await _site.SignedInAsync();
        Assert.Empty((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
    }

    [Fact]
    public async Task StoredIntroThatCannotBeRendered_NeverBreaksTheQueueOrTheReview_AndApprovalSaysWhyAtTheField()
    {
        // As a submission accepted before the budget existed: stored as it was sent, never rendered.
        var store = _site.Services.GetRequiredService<SubmissionStore>();
        var deep = SubmissionForm(SubmissionFlowTests.Paper(), DeepIntro);
        await store.SubmitAsync(deep, "deep", CancellationToken.None);
        await store.SubmitAsync(SubmissionForm(SubmissionFlowTests.Paper("A Fine Second Paper", "https://arxiv.org/abs/2411.09999"), "Fine **words**."), "fine", CancellationToken.None);
        var moderator = await _site.SignedInAsync();

        var queue = await Html.GetOkAsync(moderator, "/admin");
        var items = queue.QuerySelectorAll(".queue-item");
        Assert.Equal(2, items.Length);
        // The queue shows each stored intro's excerpt: the notice for the one that cannot render, the words of the other.
        Assert.StartsWith("This text cannot be shown", items[0].QuerySelector(".excerpt").Text(), StringComparison.Ordinal);
        Assert.Contains("Fine words", items[1].QuerySelector(".excerpt").Text(), StringComparison.Ordinal);

        var reviewUrl = items[0].QuerySelector("h2 a")!.GetAttribute("href")!;
        var review = await Html.GetOkAsync(moderator, reviewUrl);
        Assert.NotNull(review.QuerySelector(".render-refused"));
        var form = (IHtmlFormElement)review.QuerySelector("form.paper-form:not(.reject-form)")!;
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Venue"] = "Edited venue" },
            form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("nested 128 levels deep", IntroError(page), StringComparison.Ordinal);
        Assert.Equal("Edited venue", page.QuerySelector<IHtmlInputElement>("[name='Input.Venue']")!.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await moderator.GetAsync("/papers/speculative-sampling-with-tree-drafts")).StatusCode);

        // With the intro fixed, the same form approves.
        response = await Forms.PostAsync(moderator, (IHtmlFormElement)page.QuerySelector("form.paper-form:not(.reject-form)")!,
            new Dictionary<string, string?> { ["Input.Intro"] = "Fixed." }, form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task ModeratorEdit_IntroOverTheBudget_IsRefusedAtTheField_AndThePaperKeepsItsIntro()
    {
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var form = (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!;
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Intro"] = HostileMarkdown.Reproductions[1].Markdown });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("markup", IntroError(page), StringComparison.Ordinal);
        Assert.Equal(HostileMarkdown.Reproductions[1].Markdown, page.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value);
        Assert.Empty((await Html.GetOkAsync(moderator, "/papers/gqa")).QuerySelectorAll("#intro .render-refused"));
    }

    [Fact]
    public async Task IntroHeadingsNamedLikeTheSitesIds_DoNotTakeThem()
    {
        var reader = _site.CreateReader();
        var form = SubmitForm(await Html.GetOkAsync(reader, "/submit"));
        var values = SubmissionFlowTests.Paper();
        values["Input.Intro"] = "## main\n\n## site-search\n\n## Preview output\n\n[top](#main)";
        var page = await Html.ParseAsync(await Forms.PostAsync(reader, form, values, form.QuerySelector("button[formaction]")!.GetAttribute("formaction")));

        foreach (var id in (string[])["main", "site-search", "preview-output"]) Assert.Single(page.QuerySelectorAll("#" + id));
        Assert.Equal("intro-main", page.QuerySelector("#preview-output h2")!.Id);
        Assert.Equal("#intro-main", page.QuerySelector("#preview-output a")!.GetAttribute("href"));
    }

    private static SubmissionForm SubmissionForm(Dictionary<string, string?> values, string intro) => new()
    {
        Title = values["Input.Title"], Link = values["Input.Link"], Topic = values["Input.Topic"], Keywords = values["Input.Keywords"],
        Affiliation = values["Input.Affiliation"], Date = values["Input.Date"], Venue = values["Input.Venue"], Citations = values["Input.Citations"],
        Intro = intro, Name = values["Input.Name"], Email = values["Input.Email"],
    };
}
