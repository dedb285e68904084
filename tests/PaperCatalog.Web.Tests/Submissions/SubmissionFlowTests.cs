using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>The whole path through real HTTP, real forms and real antiforgery tokens, on a store of its own.</summary>
public sealed class SubmissionFlowTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    public static Dictionary<string, string?> Paper(string title = "Speculative Sampling with Tree Drafts", string link = "https://arxiv.org/abs/2411.01234") => new()
    {
        ["Input.Title"] = title,
        ["Input.Link"] = link,
        ["Input.Topic"] = "llm-inference",
        ["Input.Keywords"] = "TreeDraft, speculative decoding",
        ["Input.Affiliation"] = "Example Lab",
        ["Input.Date"] = "2024.11",
        ["Input.Venue"] = "NeurIPS 2025",
        ["Input.Citations"] = "12",
        ["Input.Intro"] = "# Speculative Sampling with Tree Drafts\n\nDrafts form a **tree**; the target model verifies every branch in one pass.",
        ["Input.Name"] = "Ada",
        ["Input.Email"] = "ada@example.org",
    };

    /// <summary>Fills the submission form as a reader would and sends it.</summary>
    internal static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, Dictionary<string, string?> values)
    {
        var doc = await Html.GetOkAsync(client, "/submit");
        return await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, values);
    }

    [Fact]
    public async Task Submit_Review_Approve_PaperIsPublicEverywhere_AndStatusSaysApproved()
    {
        var reader = _site.CreateReader();
        var response = await SubmitAsync(reader, Paper());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var statusUrl = response.Headers.Location!.OriginalString;
        Assert.Matches("^/submissions/[0-9a-f]{32}\\?received=1$", statusUrl);

        var receipt = await Html.GetOkAsync(reader, statusUrl);
        Assert.Contains("received", receipt.QuerySelector(".notice").Text());
        Assert.Contains("Pending", receipt.QuerySelector(".status").Text());
        Assert.DoesNotContain("ada@example.org", receipt.DocumentElement.OuterHtml, StringComparison.Ordinal);

        // Not public before a moderator approves it.
        var topic = await Html.GetOkAsync(reader, "/topics/llm-inference");
        Assert.DoesNotContain("Speculative Sampling with Tree Drafts", topic.QuerySelector("table.papers").Text(), StringComparison.Ordinal);
        Assert.Empty((await Html.GetOkAsync(reader, "/search?q=treedraft")).QuerySelectorAll(".hit"));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/papers/speculative-sampling-with-tree-drafts")).StatusCode);

        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var item = Assert.Single(queue.QuerySelectorAll(".queue-item"));
        Assert.Equal("Speculative Sampling with Tree Drafts", item.QuerySelector("h2").Text());
        Assert.StartsWith("Drafts form a tree;", item.QuerySelector(".excerpt").Text(), StringComparison.Ordinal);

        var review = await Html.GetOkAsync(moderator, item.QuerySelector("h2 a")!.GetAttribute("href")!);
        Assert.NotNull(review.QuerySelector(".intro-box strong"));
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        Assert.Equal("Speculative Sampling with Tree Drafts", form.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value);
        // Edit before approving: the moderator fixes the affiliation.
        var approve = form.QuerySelector("button[formaction]")!.GetAttribute("formaction")!;
        var approved = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Affiliation"] = "Example Lab, Example University" }, approve);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var paperUrl = await Decisions.PaperPathAsync(moderator, approved);
        Assert.Equal("/papers/speculative-sampling-with-tree-drafts", paperUrl);

        var page = await Html.GetOkAsync(reader, paperUrl);
        Assert.Equal("Speculative Sampling with Tree Drafts", page.QuerySelector("h1").Text());
        Assert.Contains("Example Lab, Example University", page.QuerySelector(".facts").Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#intro strong"));
        topic = await Html.GetOkAsync(reader, "/topics/llm-inference");
        Assert.Contains(topic.QuerySelectorAll("table.papers .title-link"), a => a.Text() == "Speculative Sampling with Tree Drafts");
        var hits = (await Html.GetOkAsync(reader, "/search?q=treedraft")).QuerySelectorAll(".hit-title a");
        Assert.Equal(paperUrl, Assert.Single(hits).GetAttribute("href"));
        Assert.Single((await Html.GetOkAsync(reader, "/keywords/treedraft")).QuerySelectorAll("table.papers tbody tr"));

        var status = await Html.GetOkAsync(reader, statusUrl.Split('?')[0]);
        Assert.Contains("Approved", status.QuerySelector(".status").Text());
        Assert.Equal(paperUrl, status.QuerySelector(".status a")!.GetAttribute("href"));

        var audit = await Html.GetOkAsync(moderator, "/admin/audit");
        var row = audit.QuerySelectorAll(".audit tbody tr").First(r => r.Children[2].Text() == "approve");
        Assert.Equal(SiteFactory.Moderator, row.Children[1].Text());
        Assert.Contains(row.Children[4].QuerySelectorAll(".change"), c => c.Text() == "affiliation: Example removed: Lab added: Lab, Example University");
    }

    [Fact]
    public async Task Reject_WithANote_TheStatusLinkShowsIt()
    {
        var reader = _site.CreateReader();
        var statusUrl = (await SubmitAsync(reader, Paper())).Headers.Location!.OriginalString.Split('?')[0];
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var review = await Html.GetOkAsync(moderator, queue.QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var reject = (IHtmlFormElement)review.QuerySelector("form.reject-form")!;
        var response = await Forms.PostAsync(moderator, reject, new Dictionary<string, string?> { ["Note"] = "Out of scope: training, <not> inference." },
            reject.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var status = await Html.GetOkAsync(reader, statusUrl);
        Assert.Contains("Not accepted", status.QuerySelector(".status").Text());
        Assert.Equal("Out of scope: training, <not> inference.", status.QuerySelector(".moderator-note").Text());
        Assert.Empty((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
    }

    [Fact]
    public async Task InvalidForm_KeepsWhatWasTyped_AndNamesEachField()
    {
        var reader = _site.CreateReader();
        var values = Paper();
        values["Input.Title"] = new string('T', 301);
        values["Input.Link"] = "javascript:alert(1)";
        values["Input.Date"] = "2031.02";
        values["Input.Citations"] = "-4";
        var response = await SubmitAsync(reader, values);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        string Message(string field) => doc.QuerySelector($"[data-valmsg-for='Input.{field}']").Text();
        Assert.Contains("300", Message("Title"), StringComparison.Ordinal);
        Assert.Contains("http", Message("Link"), StringComparison.Ordinal);
        Assert.Contains("1900.01", Message("Date"), StringComparison.Ordinal);
        Assert.Contains("whole number", Message("Citations"), StringComparison.Ordinal);
        Assert.Equal("", Message("Affiliation"));
        // Everything typed is still there, the bad values included.
        Assert.Equal(values["Input.Link"], doc.QuerySelector<IHtmlInputElement>("[name='Input.Link']")!.Value);
        Assert.Equal("Example Lab", doc.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
        Assert.Equal(values["Input.Intro"], doc.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value);
        Assert.Equal("Ada", doc.QuerySelector<IHtmlInputElement>("[name='Input.Name']")!.Value);
    }

    [Fact]
    public async Task PreviewButton_RendersTheIntro_WithTheSiteRenderer_AndKeepsTheForm()
    {
        var reader = _site.CreateReader();
        var doc = await Html.GetOkAsync(reader, "/submit");
        var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
        var values = Paper();
        values["Input.Intro"] = "Some **bold** text, [a link](https://example.org) and <script>alert(1)</script> $x^2$.";
        var response = await Forms.PostAsync(reader, form, values, form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var preview = page.QuerySelector("#preview-output")!;
        Assert.Equal("bold", preview.QuerySelector("strong").Text());
        Assert.Equal("https://example.org", preview.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(preview.QuerySelectorAll("script"));
        Assert.NotNull(preview.QuerySelector(".math"));
        Assert.Equal("Example Lab", page.QuerySelector<IHtmlInputElement>("[name='Input.Affiliation']")!.Value);
    }

    [Fact]
    public async Task SubmittingTheSameFormTwice_MakesOneSubmission()
    {
        var reader = _site.CreateReader();
        var doc = await Html.GetOkAsync(reader, "/submit");
        var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
        var first = await Forms.PostAsync(reader, form, Paper());
        var second = await Forms.PostAsync(reader, form, Paper());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var moderator = await _site.SignedInAsync();
        Assert.Single((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
    }

    [Theory]
    [InlineData("https://arxiv.org/abs/2305.13245")]
    [InlineData("https://arxiv.org/pdf/2305.13245v3.pdf")]
    [InlineData("http://arxiv.org/abs/2305.13245v1")]
    [InlineData("2305.13245")]
    public async Task PaperAlreadyInTheCatalog_IsRefused_WithALinkToIt(string link)
    {
        var response = await SubmitAsync(_site.CreateReader(), Paper("Some Other Title For GQA", link));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.Contains("already in the catalog", doc.QuerySelector("[data-valmsg-for='Input.Link']").Text(), StringComparison.Ordinal);
        var existing = doc.QuerySelector("#duplicates .exact a")!;
        Assert.Equal("/papers/gqa", existing.GetAttribute("href"));
        Assert.StartsWith("GQA", existing.Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2411.01234", "https://arxiv.org/abs/2411.01234")]
    [InlineData("hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001")]
    [InlineData("10.1145/9999999.1234567", "https://doi.org/10.1145/9999999.1234567")]
    public async Task BareArxivIdOrDoi_IsAcceptedAsTheLink_AndStoredAsItsAddress(string typed, string stored)
    {
        var response = await SubmitAsync(_site.CreateReader(), Paper(link: typed));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var review = await Html.GetOkAsync(moderator, queue.QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        Assert.Equal(stored, review.QuerySelector<IHtmlInputElement>("[name='Input.Link']")!.Value);
    }

    [Fact]
    public async Task BareArxivId_InAFormWithErrors_ComesBackAsItsAddress()
    {
        var typed = Paper(link: "2411.01234");
        typed["Input.Affiliation"] = "";
        var doc = await Html.ParseAsync(await SubmitAsync(_site.CreateReader(), typed));
        Assert.NotEmpty(doc.QuerySelector("[data-valmsg-for='Input.Affiliation']").Text());
        Assert.Equal("https://arxiv.org/abs/2411.01234", doc.QuerySelector<IHtmlInputElement>("[name='Input.Link']")!.Value);
    }

    [Fact]
    public async Task PaperForm_HasNoPlaceholders_ThatCouldPassForTypedValues_AndMarksTheNewTopicField()
    {
        var form = (await Html.GetOkAsync(_site.CreateReader(), "/submit")).QuerySelector("form[data-submit-form]")!;
        Assert.Empty(form.QuerySelectorAll("[placeholder]"));
        // Examples live in the hints instead.
        Assert.Contains("2305.13245", form.QuerySelector("#link-hint").Text(), StringComparison.Ordinal);
        // Without JavaScript the new topic's name is shown; site.js hides it until that choice is made.
        var field = form.QuerySelector("[data-new-topic-field]")!;
        Assert.False(field.HasAttribute("hidden"));
        Assert.NotNull(field.QuerySelector("[name='Input.NewTopicName']"));
        Assert.Equal("new", form.QuerySelector("select[name='Input.Topic']")!.GetAttribute("data-new-topic-choice"));
    }

    [Fact]
    public async Task SameTitle_DifferentlyWritten_IsRefused()
    {
        var response = await SubmitAsync(_site.CreateReader(), Paper("gqa:  training generalized MULTI-QUERY transformer models from multi-head checkpoints", "https://example.org/gqa"));
        var doc = await Html.ParseAsync(response);
        Assert.Contains("the same title", doc.QuerySelector("[data-valmsg-for='Input.Title']").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameDoi_AndOldStyleArxiv_AgainstThePendingQueue_AreRefused()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(reader, Paper("First Paper On Something", "https://doi.org/10.18653/v1/2023.emnlp-main.298"))).StatusCode);
        var again = await SubmitAsync(reader, Paper("A Renamed Paper", "http://dx.doi.org/10.18653/V1/2023.EMNLP-MAIN.298"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("waiting for a moderator", (await Html.ParseAsync(again)).QuerySelector("[data-valmsg-for='Input.Link']").Text(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(reader, Paper("An Old Paper", "https://arxiv.org/abs/cs/0112017"))).StatusCode);
        var old = await SubmitAsync(reader, Paper("Old Paper Again", "https://arxiv.org/pdf/cs/0112017v2.pdf"));
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("the same arXiv paper", (await Html.ParseAsync(old)).QuerySelector("[data-valmsg-for='Input.Link']").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimilarTitle_IsAWarning_TheSubmitterMayConfirm()
    {
        var reader = _site.CreateReader();
        var similar = Paper("Efficient Memory Management for Large Language Model Serving", "https://example.org/other-paged");
        var warned = await SubmitAsync(reader, similar);
        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        var doc = await Html.ParseAsync(warned);
        var link = Assert.Single(doc.QuerySelectorAll("#duplicates a"));
        Assert.StartsWith("Efficient Memory Management for Large Language Model Serving with PagedAttention", link.Text(), StringComparison.Ordinal);
        Assert.Contains("similar title", doc.QuerySelector("[data-valmsg-for=ConfirmSimilar]").Text(), StringComparison.Ordinal);
        var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
        var confirmed = await Forms.PostAsync(reader, form, new Dictionary<string, string?> { ["ConfirmSimilar"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
    }

    [Fact]
    public async Task Honeypot_Filled_IsNotStored()
    {
        var values = Paper();
        values["Website"] = "http://spam.example";
        var response = await SubmitAsync(_site.CreateReader(), values);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("looks automated", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var moderator = await _site.SignedInAsync();
        Assert.Empty((await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item"));
    }

    [Fact]
    public async Task ApprovedPaper_SurvivesAReimportOfTheList()
    {
        var reader = _site.CreateReader();
        await SubmitAsync(reader, Paper());
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var review = await Html.GetOkAsync(moderator, queue.QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        await Forms.PostAsync(moderator, form, new Dictionary<string, string?>(), form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));

        var importer = (PaperCatalog.Importing.CatalogImporter)_site.Services.GetService(typeof(PaperCatalog.Importing.CatalogImporter))!;
        var (_, result) = await importer.ImportAsync(Path.Combine(CatalogFactory.RepositoryRoot, "data", "README.md"), null, CancellationToken.None);
        Assert.NotNull(result);
        Assert.Equal(0, result.Removed);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/papers/speculative-sampling-with-tree-drafts")).StatusCode);
        Assert.Single((await Html.GetOkAsync(reader, "/search?q=treedraft")).QuerySelectorAll(".hit"));
    }
}
