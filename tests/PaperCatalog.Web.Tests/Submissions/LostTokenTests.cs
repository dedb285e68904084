using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// A form whose antiforgery cookie is gone (a tab left open for a day, a restarted browser) comes back filled in with a
/// message instead of a blank 400; nothing is stored until it is sent again with its new token.
/// </summary>
public sealed class LostTokenTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private const string LongIntro = "# Tree drafts\n\nA long intro that took an hour to write, with $x^2$ math and **bold** words.\n\nAnd a second paragraph.";

    private static async Task<IHtmlDocument> RefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.Contains("could not be sent safely", doc.QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", doc.QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        return doc;
    }

    [Fact]
    public async Task Submit_WithItsAntiforgeryCookieLost_ComesBackWithEverythingTyped_AndSendsOnTheNextClick()
    {
        var reader = _site.ReaderWithJar(out var jar);
        var form = (IHtmlFormElement)(await Html.GetOkAsync(reader, "/submit")).QuerySelector("form[data-submit-form]")!;
        var typed = SubmissionFlowTests.Paper();
        typed["Input.Intro"] = LongIntro;
        SiteFactory.DropAntiforgeryCookie(jar, reader);

        var again = await RefusedAsync(await Forms.PostAsync(reader, form, typed));
        var shown = (IHtmlFormElement)again.QuerySelector("form[data-submit-form]")!;
        Assert.Equal(LongIntro, shown.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(typed["Input.Title"], shown.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value);
        Assert.Equal(typed["Input.Affiliation"], shown.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
        Assert.Equal("llm-inference", shown.QuerySelector<IHtmlSelectElement>("[name='Input.Topic']")!.Value);
        Assert.Equal(form.QuerySelector<IHtmlInputElement>("[name=SubmissionKey]")!.Value, shown.QuerySelector<IHtmlInputElement>("[name=SubmissionKey]")!.Value);
        Assert.NotNull(again.QuerySelector("#preview-output strong"));

        var moderator = await _site.SignedInAsync();
        Assert.Empty((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));

        var sent = await Forms.PostAsync(reader, shown, new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.StartsWith("/submissions/", sent.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Single((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
    }

    [Fact]
    public async Task SignIn_WithItsAntiforgeryCookieLost_KeepsTheName_NeverThePassword()
    {
        await _site.AddModeratorAsync();
        var client = _site.ReaderWithJar(out var jar);
        var form = (IHtmlFormElement)(await Html.GetOkAsync(client, "/admin/signin")).QuerySelector("main form")!;
        SiteFactory.DropAntiforgeryCookie(jar, client);

        var again = await RefusedAsync(await Forms.PostAsync(client, form, new Dictionary<string, string?> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password }));
        var shown = (IHtmlFormElement)again.QuerySelector("main form")!;
        Assert.Equal(SiteFactory.Moderator, shown.QuerySelector<IHtmlInputElement>("[name=Name]")!.Value);
        Assert.Equal("", shown.QuerySelector<IHtmlInputElement>("[name=Password]")!.Value);

        var signedIn = await Forms.PostAsync(client, shown, new Dictionary<string, string?> { ["Password"] = SiteFactory.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    /// <summary>A moderator signed in, through a client whose cookies the test holds.</summary>
    private async Task<(HttpClient Client, CookieContainer Jar)> ModeratorWithJarAsync()
    {
        await _site.AddModeratorAsync();
        var client = _site.ReaderWithJar(out var jar);
        Assert.Equal(HttpStatusCode.Redirect, (await SiteFactory.TrySignInAsync(client, SiteFactory.Moderator, SiteFactory.Password)).StatusCode);
        return (client, jar);
    }

    [Fact]
    public async Task ReviewApproval_WithItsAntiforgeryCookieLost_KeepsTheModeratorsEdits_AndPublishesNothing()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), SubmissionFlowTests.Paper())).StatusCode);
        var (moderator, jar) = await ModeratorWithJarAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var review = await Html.GetOkAsync(moderator, queue.QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approve = form.QuerySelector("button[formaction]")!.GetAttribute("formaction")!;
        SiteFactory.DropAntiforgeryCookie(jar, moderator);

        var again = await RefusedAsync(await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Affiliation"] = "Edited Lab", ["Input.Intro"] = LongIntro }, approve));
        var shown = (IHtmlFormElement)again.QuerySelector("main form.paper-form")!;
        Assert.Equal("Edited Lab", shown.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
        Assert.Contains("took an hour", shown.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _site.CreateReader().GetAsync("/papers/speculative-sampling-with-tree-drafts")).StatusCode);

        var approved = await Forms.PostAsync(moderator, shown, new Dictionary<string, string?>(), approve);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var page = await Html.GetOkAsync(_site.CreateReader(), await Decisions.PaperPathAsync(moderator, approved));
        Assert.Contains("Edited Lab", page.QuerySelector(".facts").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaperEdit_WithItsAntiforgeryCookieLost_KeepsTheModeratorsEdits()
    {
        var (moderator, jar) = await ModeratorWithJarAsync();
        var form = (IHtmlFormElement)(await Html.GetOkAsync(moderator, "/admin/papers/gqa")).QuerySelector("main form.paper-form")!;
        SiteFactory.DropAntiforgeryCookie(jar, moderator);

        var again = await RefusedAsync(await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Citations"] = "1,234" }));
        var shown = (IHtmlFormElement)again.QuerySelector("main form.paper-form")!;
        Assert.Equal("1,234", shown.QuerySelector<IHtmlInputElement>("[name='Input.Citations']")!.Value);
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(moderator, shown, new Dictionary<string, string?>())).StatusCode);
    }
}
