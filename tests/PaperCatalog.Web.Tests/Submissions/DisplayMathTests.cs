using System.Net;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>One-line <c>$$…$$</c> is display math, and the submitter's preview shows exactly what the paper page will.</summary>
public sealed class DisplayMathTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task OneLineDisplayMath_IsADisplayBlock_TheSameInThePreviewAndOnThePaperPage()
    {
        var typed = SubmissionFlowTests.Paper();
        typed["Input.Intro"] = "The update:\n\n$$m_i = \\max(m_{i-1}, \\tilde{m}_i)$$\n\nand inline $x$.";
        var reader = _site.CreateReader();
        var form = (IHtmlFormElement)(await Html.GetOkAsync(reader, "/submit")).QuerySelector("form[data-submit-form]")!;
        var preview = await Html.ParseAsync(await Forms.PostAsync(reader, form, typed, "/submit?handler=Preview"));
        var previewMath = Assert.Single(preview.QuerySelectorAll("#preview-output div.math"));
        Assert.Contains("\\tilde{m}_i", previewMath.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(reader, form, typed)).StatusCode);
        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var reviewForm = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approved = await Forms.PostAsync(moderator, reviewForm, new Dictionary<string, string?>(), reviewForm.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        var page = await Html.GetOkAsync(reader, await Decisions.PaperPathAsync(moderator, approved));
        var pageMath = Assert.Single(page.QuerySelectorAll("#intro div.math"));
        Assert.Equal(previewMath.OuterHtml, pageMath.OuterHtml);
    }
}
