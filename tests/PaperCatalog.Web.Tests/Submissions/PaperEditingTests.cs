using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>Moderators edit and delete any paper, update citation counts and a topic's citation date; all audited.</summary>
public sealed class PaperEditingTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Edit_UpdatesCitationsAndTitle_InTableSearchAndAudit()
    {
        var moderator = await _site.SignedInAsync();
        var page = await Html.GetOkAsync(moderator, "/papers/gqa");
        var edit = await Html.GetOkAsync(moderator, page.QuerySelector("a[href='/admin/papers/gqa']")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!;
        Assert.Equal("489", form.QuerySelector<IHtmlInputElement>("[name='Input.Citations']")!.Value);
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>
        {
            ["Input.Citations"] = "1,400",
            ["Input.Title"] = "GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints (revised)",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var reader = _site.CreateReader();
        var row = (await Html.GetOkAsync(reader, "/topics/attention")).QuerySelectorAll("table.papers tbody tr")
            .Single(r => r.QuerySelector(".title-link")!.GetAttribute("href") == "/papers/gqa");
        Assert.Equal("1,400", row.QuerySelector(".col-citations").Text());
        Assert.Contains("(revised)", (await Html.GetOkAsync(reader, "/search?q=revised")).QuerySelector(".hit-title").Text(), StringComparison.Ordinal);
        var audit = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector(".audit tbody tr")!;
        Assert.Equal("edit-paper", audit.Children[2].Text());
        Assert.Contains(audit.Children[4].QuerySelectorAll(".change"), c => c.Text() == "citations: removed: 489 added: 1,400");
    }

    [Fact]
    public async Task Delete_RemovesThePaperEverywhere()
    {
        var moderator = await _site.SignedInAsync();
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var confirm = await Html.GetOkAsync(moderator, edit.QuerySelector(".danger-zone a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)confirm.QuerySelector("form.danger-zone")!;
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/papers/gqa")).StatusCode);
        Assert.DoesNotContain("/papers/gqa", (await Html.GetOkAsync(reader, "/search?q=gqa")).QuerySelectorAll(".hit-title a").Select(a => a.GetAttribute("href")));
        Assert.Equal("delete-paper", (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector(".audit tbody tr")!.Children[2].Text());
    }

    [Fact]
    public async Task TopicCitationDate_IsSet_AndShownOnTheTopic()
    {
        var moderator = await _site.SignedInAsync();
        var topics = await Html.GetOkAsync(moderator, "/admin/topics");
        var form = (IHtmlFormElement)topics.QuerySelectorAll(".admin-table form.inline-form").First(f => f.QuerySelector<IHtmlInputElement>("[name=topic]")!.Value == "attention");
        var response = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["date"] = "2025-03-01" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 Mar 2025", (await Html.GetOkAsync(_site.CreateReader(), "/topics/attention")).QuerySelector(".meta").Text(), StringComparison.Ordinal);
        var bad = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["date"] = "2999-01-01" });
        Assert.Contains("not later than today", (await Html.ParseAsync(bad)).QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
    }
}
