using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>The queue's page, its bulk rejection, intros rendered once, and duplicates that stay private.</summary>
public sealed class QueueModerationTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private T Scalar<T>(string sql, object? args = null)
    {
        using var connection = new SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False");
        return connection.ExecuteScalar<T>(sql, args)!;
    }

    private static IHtmlFormElement BulkForm(IHtmlDocument queue) => (IHtmlFormElement)queue.QuerySelector("form.queue-form")!;

    private static string BulkAction(IHtmlDocument queue) => BulkForm(queue).GetAttribute("action")!;

    /// <summary>Posts the queue's bulk form with <paramref name="ids"/> ticked (as a browser sends repeated checkbox values).</summary>
    private static Task<HttpResponseMessage> RejectAsync(HttpClient client, IHtmlDocument queue, IEnumerable<string> ids, string note)
    {
        var fields = Forms.Fields(BulkForm(queue)).Where(f => f.Key is not ("Selected" or "Note")).ToList();
        fields.Add(new("Note", note));
        fields.AddRange(ids.Select(id => new KeyValuePair<string, string>("Selected", id)));
        return client.PostAsync(BulkAction(queue), new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task BulkReject_TheTickedSubmissions_AreRejectedWithOneNote_EachInTheAuditLog()
    {
        var ids = QueueRows.Insert(_site, 30, i => new QueueRows.Row($"Spam offer number {i}", $"https://spam.example/{i}", "Buy **now**."));
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin?page=2");
        var ticked = queue.QuerySelectorAll(".queue-item input[type=checkbox][name=Selected]").Take(3).Select(c => c.GetAttribute("value")!).ToList();
        Assert.Equal(3, ticked.Count);

        var response = await RejectAsync(moderator, queue, ticked, "Spam, sorry.");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin?page=2&rejected=3", response.Headers.Location!.OriginalString);
        var after = await Html.GetOkAsync(moderator, response.Headers.Location.OriginalString);
        Assert.Contains("Rejected 3 submissions", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Contains("27 pending", after.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);

        foreach (var id in ticked)
        {
            Assert.Equal("rejected", Scalar<string>("SELECT status FROM submissions WHERE id = @id", new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) }));
            var token = Scalar<string>("SELECT token FROM submissions WHERE id = @id", new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) });
            Assert.Equal("Spam, sorry.", (await Html.GetOkAsync(_site.CreateReader(), "/submissions/" + token)).QuerySelector(".moderator-note").Text());
        }
        var audit = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelectorAll(".audit tbody tr").Where(r => r.Children[2].Text() == "reject").ToList();
        // Each entry links the submission's review page by its title.
        Assert.Equal(ticked.Select(id => "/admin/submissions/" + id).Order(), audit.Select(r => r.Children[3].QuerySelector("a")!.GetAttribute("href")!).Order());
        Assert.All(audit, r => Assert.StartsWith("“Spam offer number", r.Children[3].QuerySelector("a").Text(), StringComparison.Ordinal));
        Assert.All(audit, r => Assert.Contains("note: Spam, sorry.", r.Children[4].TextContent, StringComparison.Ordinal));
        Assert.Equal(27, ids.Count - ticked.Count);
    }

    [Fact]
    public async Task BulkReject_NothingTicked_SaysSo_AndRejectsNothing()
    {
        QueueRows.Insert(_site, 3, i => new QueueRows.Row($"Pending paper {i}", $"https://example.org/{i}"));
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var response = await RejectAsync(moderator, queue, [], "A note");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("Select the submissions to reject first", page.QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Equal("A note", ((IHtmlTextAreaElement)page.QuerySelector("#Note")!).Value);
        Assert.Equal(3L, Scalar<long>("SELECT count(*) FROM submissions WHERE status = 'pending'"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("99999999999999999999999")]
    public async Task BulkReject_HandMadeIds_AreRefusedWithAMessage_NeverA500(string id)
    {
        var ids = QueueRows.Insert(_site, 2, i => new QueueRows.Row($"Pending paper {i}", $"https://example.org/{i}"));
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var response = await RejectAsync(moderator, queue, [ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture), id], "x");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Select submissions from the list", (await Html.ParseAsync(response)).QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Equal(2L, Scalar<long>("SELECT count(*) FROM submissions WHERE status = 'pending'"));
    }

    [Fact]
    public async Task BulkReject_OfSubmissionsDecidedMeanwhile_RejectsOnlyThePendingOnes()
    {
        var ids = QueueRows.Insert(_site, 2, i => new QueueRows.Row($"Pending paper {i}", $"https://example.org/{i}"));
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var all = ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await RejectAsync(moderator, queue, all[..1], "first")).StatusCode);
        // The same (now stale) page posted again: the one already rejected keeps its first note.
        var again = await RejectAsync(moderator, queue, all, "second");
        Assert.Equal("/admin?rejected=1", again.Headers.Location!.OriginalString);
        Assert.Equal("first", Scalar<string>("SELECT moderator_note FROM submissions WHERE id = @id", new { id = ids[0] }));
        Assert.Equal("second", Scalar<string>("SELECT moderator_note FROM submissions WHERE id = @id", new { id = ids[1] }));
    }

    [Fact]
    public async Task BulkReject_WithoutTheAntiforgeryToken_IsRefused()
    {
        var ids = QueueRows.Insert(_site, 1, _ => new QueueRows.Row("Pending paper", "https://example.org/p"));
        var moderator = await _site.SignedInAsync();
        var response = await moderator.PostAsync("/admin?handler=Reject", new FormUrlEncodedContent([new("Selected", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Note", "x")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("pending", Scalar<string>("SELECT status FROM submissions WHERE id = @id", new { id = ids[0] }));
    }

    [Fact]
    public async Task Intro_IsRenderedWhenStored_TheQueueShowsAnExcerpt_AndTheReviewPageTheWhole()
    {
        var response = await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), SubmissionFlowTests.Paper());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = Scalar<string>("SELECT intro_html FROM submissions");
        Assert.Contains("<strong>tree</strong>", html, StringComparison.Ordinal);
        Assert.Equal("Drafts form a tree; the target model verifies every branch in one pass.", Scalar<string>("SELECT intro_excerpt FROM submissions"));

        var moderator = await _site.SignedInAsync();
        var item = (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".queue-item")!;
        Assert.Equal("Drafts form a tree; the target model verifies every branch in one pass.", item.QuerySelector(".excerpt").Text());
        var review = await Html.GetOkAsync(moderator, item.QuerySelector("h2 a")!.GetAttribute("href")!);
        Assert.Equal("tree", review.QuerySelector(".intro-box strong").Text());
    }

    [Fact]
    public async Task IntroStoredBeforeIntrosWereRendered_IsRenderedAtFirstRead_AndKept()
    {
        var ids = QueueRows.Insert(_site, 1, _ => new QueueRows.Row("An older submission", "https://example.org/old", "Stored **unrendered**, long ago."));
        Assert.Null(Scalar<string?>("SELECT intro_html FROM submissions"));
        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, $"/admin/submissions/{ids[0]}");
        Assert.Equal("unrendered", review.QuerySelector(".intro-box strong").Text());
        Assert.Contains("<strong>unrendered</strong>", Scalar<string>("SELECT intro_html FROM submissions"), StringComparison.Ordinal);
        Assert.Equal("Stored unrendered, long ago.", Scalar<string>("SELECT intro_excerpt FROM submissions"));
    }

    [Fact]
    public async Task ModeratorsEditOfTheIntro_IsRenderedAgain_ForTheSubmissionAndThePaper()
    {
        await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), SubmissionFlowTests.Paper());
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin");
        var review = await Html.GetOkAsync(moderator, queue.QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approved = await Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Input.Intro"] = "The moderator's *edited* intro." },
            form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("<em>edited</em>", Scalar<string>("SELECT intro_html FROM submissions"), StringComparison.Ordinal);
        Assert.Equal("The moderator's edited intro.", Scalar<string>("SELECT intro_excerpt FROM submissions"));
        Assert.Equal("edited", (await Html.GetOkAsync(_site.CreateReader(), await Decisions.PaperPathAsync(moderator, approved))).QuerySelector("#intro em").Text());
    }

    [Fact]
    public async Task QueueDuplicates_NameCatalogPapers_AndOtherPendingSubmissions()
    {
        var ids = QueueRows.Insert(_site, 4, i => i switch
        {
            0 => new QueueRows.Row("Some Other Title For GQA", "https://arxiv.org/pdf/2305.13245v2.pdf"),
            1 => new QueueRows.Row("Tree Drafts for Speculative Sampling", "https://example.org/a"),
            2 => new QueueRows.Row("tree drafts for speculative SAMPLING!", "https://example.org/b"),
            _ => new QueueRows.Row("Tree Drafts for Speculative Sampling Models", "https://example.org/c"),
        });
        var moderator = await _site.SignedInAsync();
        var items = (await Html.GetOkAsync(moderator, "/admin")).QuerySelectorAll(".queue-item").ToList();
        string Duplicates(int i) => string.Join(" | ", items[i].QuerySelectorAll(".duplicates li").Select(li => li.Text()));

        Assert.Contains("Same paper (the same arXiv paper): GQA: Training Generalized", Duplicates(0), StringComparison.Ordinal);
        Assert.Equal($"Same paper (the same title): submission {ids[2]}: tree drafts for speculative SAMPLING! | Similar (a very similar title): submission {ids[3]}: Tree Drafts for Speculative Sampling Models", Duplicates(1));
        Assert.StartsWith($"Same paper (the same title): submission {ids[1]}:", Duplicates(2), StringComparison.Ordinal);
        Assert.DoesNotContain($"submission {ids[3]}:", Duplicates(3), StringComparison.Ordinal); // never its own duplicate
    }

    [Fact]
    public async Task DuplicateCheckApi_NeverRevealsPendingSubmissions_OnlyPublishedPapers()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(reader, SubmissionFlowTests.Paper())).StatusCode);
        var pending = "/api/submissions/duplicates?title=" + Uri.EscapeDataString("Speculative Sampling with Tree Drafts") + "&link=" + Uri.EscapeDataString("https://arxiv.org/abs/2411.01234");
        using (var json = JsonDocument.Parse(await reader.GetStringAsync(pending)))
            Assert.Equal(0, json.RootElement.GetArrayLength());
        using (var similar = JsonDocument.Parse(await reader.GetStringAsync("/api/submissions/duplicates?title=" + Uri.EscapeDataString("Speculative Sampling with Tree Drafts, Revisited"))))
            Assert.Equal(0, similar.RootElement.GetArrayLength());

        using var published = JsonDocument.Parse(await reader.GetStringAsync("/api/submissions/duplicates?title=x&link=" + Uri.EscapeDataString("https://arxiv.org/abs/2305.13245")));
        var gqa = Assert.Single(published.RootElement.EnumerateArray());
        Assert.Equal("/papers/gqa", gqa.GetProperty("url").GetString());
        Assert.False(gqa.TryGetProperty("pending", out _));
    }

    [Fact]
    public async Task SimilarPendingTitle_IsNotMentionedToAnotherSubmitter()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(reader, SubmissionFlowTests.Paper())).StatusCode);
        var response = await SubmissionFlowTests.SubmitAsync(reader, SubmissionFlowTests.Paper("Speculative Sampling with Tree Drafts Revisited", "https://example.org/revisited"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
