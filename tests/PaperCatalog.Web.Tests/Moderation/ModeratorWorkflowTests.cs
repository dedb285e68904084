using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;
using PaperCatalog.Web.Tests.Submissions;

namespace PaperCatalog.Web.Tests.Moderation;

/// <summary>
/// A moderator's week through real HTTP and real forms (antiforgery tokens included): the filtered queue, deciding and
/// moving on, the decided history and its undo, deleting a paper after seeing what goes with it, cleaning up an emptied
/// topic, and an audit log that links what it names.
/// </summary>
public sealed class ModeratorWorkflowTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private T Scalar<T>(string sql, object? args = null)
    {
        using var connection = new SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False");
        return connection.ExecuteScalar<T>(sql, args)!;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static IHtmlFormElement ReviewForm(IHtmlDocument review) => (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;

    private static Task<HttpResponseMessage> ApproveAsync(HttpClient moderator, IHtmlDocument review, Dictionary<string, string?>? values = null)
    {
        var form = ReviewForm(review);
        return Forms.PostAsync(moderator, form, values ?? [], form.QuerySelector("button[formaction*=Approve]")!.GetAttribute("formaction"));
    }

    private static Task<HttpResponseMessage> RejectAsync(HttpClient moderator, IHtmlDocument review, string note = "")
    {
        var form = (IHtmlFormElement)review.QuerySelector("form.reject-form")!;
        return Forms.PostAsync(moderator, form, new Dictionary<string, string?> { ["Note"] = note }, form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
    }

    [Fact]
    public async Task Queue_SearchTopicAgeAndDuplicateFilters_NarrowIt_AndItsPagesKeepTheFilter()
    {
        var old = QueueRows.Insert(_site, 30, i => new QueueRows.Row(i % 3 == 0 ? $"Quantized kernels part {i}" : $"Other paper {i}", $"https://example.org/{i}"));
        var fresh = QueueRows.Insert(_site, 2, i => new QueueRows.Row($"Fresh quantized paper {i}", $"https://example.org/fresh/{i}"), DateTime.UtcNow);
        var duplicate = QueueRows.Insert(_site, 1, _ => new QueueRows.Row("A retitled FlashAttention", "https://arxiv.org/abs/2205.14135"))[0];
        var moderator = await _site.SignedInAsync();

        var found = await Html.GetOkAsync(moderator, "/admin?q=QUANTIZED");
        Assert.Contains("12 pending submissions match", found.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        Assert.All(found.QuerySelectorAll(".queue-item h2"), h => Assert.Contains("uantized", h.Text(), StringComparison.Ordinal));
        Assert.Equal("QUANTIZED", found.QuerySelector<IHtmlInputElement>(".queue-filter [name=q]")!.Value);

        // Waiting at least a day: the two fresh ones drop out; a page link and the bulk form keep the filter.
        var stale = await Html.GetOkAsync(moderator, "/admin?q=quantized&age=1");
        Assert.Contains("10 pending submissions match", stale.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
        Assert.Equal("/admin?handler=Reject&q=quantized&age=1", stale.QuerySelector("form.queue-form")!.GetAttribute("action"));
        var all = await Html.GetOkAsync(moderator, "/admin?age=1");
        Assert.Equal("/admin?age=1&page=2", all.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(6, (await Html.GetOkAsync(moderator, "/admin?age=1&page=2")).QuerySelectorAll(".queue-item").Length); // 31 waiting a day: 25 + 6

        var dupes = await Html.GetOkAsync(moderator, "/admin?duplicates=1");
        Assert.Equal(["/admin/submissions/" + Id(duplicate)], dupes.QuerySelectorAll(".queue-item h2 a").Select(a => a.GetAttribute("href")));
        Assert.True(dupes.QuerySelector<IHtmlInputElement>(".queue-filter [name=duplicates]")!.IsChecked);

        Assert.Equal(33, (await Html.GetOkAsync(moderator, "/admin?topic=llm-inference")).QuerySelector(".page-head .meta strong").Text() is var n ? int.Parse(n, CultureInfo.InvariantCulture) : 0);
        Assert.Contains("No pending submission matches", (await Html.GetOkAsync(moderator, "/admin?topic=-new")).QuerySelector("main").Text(), StringComparison.Ordinal);
        // LIKE's own wildcards match themselves; markup is text.
        foreach (var hostile in new[] { "%", "_", "<script>alert(1)</script>", new string('x', 5000) })
        {
            var (response, doc) = await Html.GetAsync(moderator, "/admin?q=" + Uri.EscapeDataString(hostile) + "&age=abc&topic=" + Uri.EscapeDataString(hostile));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(doc.QuerySelectorAll("main script"));
            Assert.Empty(doc.QuerySelectorAll(".queue-item"));
        }
        Assert.Equal(33, old.Count + fresh.Count + 1);
    }

    [Fact]
    public async Task Decisions_LeadToTheNextPendingSubmission_WithAConfirmation_AndTheQueueWhenNoneIsLeft()
    {
        var ids = QueueRows.Insert(_site, 3, i => new QueueRows.Row($"Decided in turn {i}", $"https://example.org/turn/{i}"));
        var moderator = await _site.SignedInAsync();

        var first = await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(ids[0]));
        Assert.Equal("/admin/submissions/" + Id(ids[1]), first.QuerySelector(".review-steps a[rel=next]")!.GetAttribute("href"));
        Assert.NotNull(first.QuerySelector(".shortcut-hint[hidden]")); // shown by review.js, which makes the keys work
        var approved = await ApproveAsync(moderator, first);
        Assert.Equal($"/admin/submissions/{Id(ids[1])}?decided={Id(ids[0])}", approved.Headers.Location!.OriginalString);
        var second = await Html.GetOkAsync(moderator, approved.Headers.Location.OriginalString);
        Assert.StartsWith("Approved “Decided in turn 0”", second.QuerySelector(".decided-notice").Text(), StringComparison.Ordinal);
        Assert.Equal("/papers/decided-in-turn-0", second.QuerySelector(".decided-notice a.decided-paper")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await _site.CreateReader().GetAsync("/papers/decided-in-turn-0")).StatusCode);

        // The last one in the queue's order leads back to the oldest still pending.
        var third = await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(ids[2]));
        var rejected = await RejectAsync(moderator, third, "Not this one.");
        Assert.Equal($"/admin/submissions/{Id(ids[1])}?decided={Id(ids[2])}", rejected.Headers.Location!.OriginalString);
        var back = await Html.GetOkAsync(moderator, rejected.Headers.Location.OriginalString);
        Assert.StartsWith("Rejected “Decided in turn 2”", back.QuerySelector(".decided-notice").Text(), StringComparison.Ordinal);

        var last = await RejectAsync(moderator, back);
        Assert.Equal($"/admin?decided={Id(ids[1])}", last.Headers.Location!.OriginalString);
        var queue = await Html.GetOkAsync(moderator, last.Headers.Location.OriginalString);
        Assert.Contains("Rejected “Decided in turn 1”", queue.QuerySelector(".decided-notice").Text(), StringComparison.Ordinal);
        Assert.Contains("Nothing waits for review", queue.QuerySelector("main").Text(), StringComparison.Ordinal);

        // The notice's undo is a real form: the rejection is undone and the submission is pending again.
        var undo = (IHtmlFormElement)queue.QuerySelector(".decided-notice form")!;
        var undone = await Forms.PostAsync(moderator, undo, new Dictionary<string, string?>());
        Assert.Equal("/admin/submissions/" + Id(ids[1]), undone.Headers.Location!.OriginalString);
        Assert.Equal("pending", Scalar<string>("SELECT status FROM submissions WHERE id = @id", new { id = ids[1] }));
        // A pending submission's "decided" link says nothing: the notice only ever tells what is true.
        Assert.Null((await Html.GetOkAsync(moderator, $"/admin?decided={Id(ids[1])}")).QuerySelector(".decided-notice"));
        Assert.Null((await Html.GetOkAsync(moderator, "/admin?decided=abc")).QuerySelector(".decided-notice"));
    }

    [Fact]
    public async Task History_ListsEveryOutcome_WithWhoAndWhen_IsSearchable_AndOnlyAModeratorsRejectionCanBeUndone()
    {
        var ids = QueueRows.Insert(_site, 4, i => new QueueRows.Row($"History entry {i}", $"https://example.org/history/{i}"));
        var moderator = await _site.SignedInAsync();
        await ApproveAsync(moderator, await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(ids[0])));
        await RejectAsync(moderator, await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(ids[1])), "Out of scope for pumpkins.");
        await RejectAsync(moderator, await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(ids[2])));
        var token = Scalar<string>("SELECT token FROM submissions WHERE id = @id", new { id = ids[3] });
        var reader = _site.CreateReader();
        var status = await Html.GetOkAsync(reader, "/submissions/" + token);
        var withdraw = (IHtmlFormElement)status.QuerySelectorAll("form").First(f => f.QuerySelector("button")!.Text().Contains("Withdraw", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(reader, withdraw, new Dictionary<string, string?>())).StatusCode);

        var history = await Html.GetOkAsync(moderator, "/admin/history");
        var rows = history.QuerySelectorAll(".history tbody tr").ToList();
        Assert.Equal(4, rows.Count);
        var byTitle = rows.ToDictionary(r => r.Children[0].QuerySelector("a").Text());
        Assert.Equal("approved (paper)", byTitle["History entry 0"].Children[1].Text());
        Assert.Equal(SiteFactory.Moderator, byTitle["History entry 0"].Children[2].Text());
        Assert.Equal("the submitter", byTitle["History entry 3"].Children[2].Text());
        Assert.All(rows, r => Assert.NotNull(r.Children[3].QuerySelector("time[datetime]")));
        // Only the moderator's two rejections carry an undo.
        Assert.Equal(["History entry 1", "History entry 2"], rows.Where(r => r.QuerySelector("form") is not null).Select(r => r.Children[0].QuerySelector("a").Text()).Order());

        Assert.Equal(["History entry 3"], (await Html.GetOkAsync(moderator, "/admin/history?outcome=withdrawn")).QuerySelectorAll(".history tbody tr a").Select(a => a.Text()).Take(1));
        Assert.Equal(2, (await Html.GetOkAsync(moderator, "/admin/history?outcome=rejected")).QuerySelectorAll(".history tbody tr").Length);
        Assert.Equal(["History entry 1"], (await Html.GetOkAsync(moderator, "/admin/history?q=pumpkins")).QuerySelectorAll(".history tbody tr td:first-child a").Select(a => a.Text()));
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync("/admin/history?outcome=%3Cb%3E&page=-4&q=%25")).StatusCode);

        var undo = (IHtmlFormElement)byTitle["History entry 1"].QuerySelector("form")!;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(moderator, undo, new Dictionary<string, string?>())).StatusCode);
        Assert.Equal("pending", Scalar<string>("SELECT status FROM submissions WHERE id = @id", new { id = ids[1] }));
        Assert.Null(Scalar<string?>("SELECT moderator_note FROM submissions WHERE id = @id", new { id = ids[1] }));
        Assert.DoesNotContain("Not accepted", (await Html.GetOkAsync(reader, "/submissions/" + Scalar<string>("SELECT token FROM submissions WHERE id = @id", new { id = ids[1] }))).QuerySelector(".status").Text(), StringComparison.Ordinal);
        var audit = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector(".audit tbody tr")!;
        Assert.Equal("undo-reject", audit.Children[2].Text());
        Assert.Contains("note was: Out of scope for pumpkins.", audit.Children[4].Text(), StringComparison.Ordinal);

        // The same form aimed at the withdrawal (a hand-made post) is refused and changes nothing.
        var refused = await Forms.PostAsync(moderator, undo, new Dictionary<string, string?> { ["id"] = Id(ids[3]) });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Only a moderator's rejection can be undone", (await Html.ParseAsync(refused)).QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.NotNull(Scalar<string?>("SELECT withdrawn_at FROM submissions WHERE id = @id", new { id = ids[3] }));
        // Without the token the post is refused before it reaches the handler.
        var bare = await moderator.PostAsync("/admin/history?handler=Reopen", new FormUrlEncodedContent([new("id", Id(ids[2]))]));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal("rejected", Scalar<string>("SELECT status FROM submissions WHERE id = @id", new { id = ids[2] }));
    }

    /// <summary>Publishes a paper in a topic of its own (a new one) through the submission form and the review page.</summary>
    private async Task<string> LonePaperAsync(HttpClient moderator, string title, string topic, string keyword)
    {
        var values = SubmissionFlowTests.Paper(title, "https://example.org/" + Guid.NewGuid().ToString("N"));
        values["Input.Topic"] = "new";
        values["Input.NewTopicName"] = topic;
        values["Input.Keywords"] = keyword;
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), values)).StatusCode);
        var id = Scalar<long>("SELECT max(id) FROM submissions");
        return await Decisions.PaperPathAsync(moderator, await ApproveAsync(moderator, await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(id))));
    }

    [Fact]
    public async Task DeletePaper_AsksFirst_NamingItsImagesOrphanedKeywordsAndTheTopicItEmpties()
    {
        var moderator = await _site.SignedInAsync();
        var withImages = Scalar<string>("SELECT p.slug FROM papers p WHERE EXISTS (SELECT 1 FROM paper_media m WHERE m.paper_id = p.id) ORDER BY p.id LIMIT 1");
        var images = Scalar<long>("SELECT count(*) FROM paper_media m JOIN papers p ON p.id = m.paper_id WHERE p.slug = @withImages", new { withImages });
        var listed = await Html.GetOkAsync(moderator, $"/admin/papers/{withImages}/delete");
        Assert.Contains($"{images} intro image", listed.QuerySelector(".delete-impact").Text(), StringComparison.Ordinal);
        Assert.Contains("the next import brings it back", listed.QuerySelector(".delete-impact").Text(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await moderator.GetAsync("/admin/papers/no-such-paper/delete")).StatusCode);

        var path = await LonePaperAsync(moderator, "A Lonely Paper About Pumpkins", "Lonely Pumpkins", "pumpkinonly");
        var slug = path["/papers/".Length..];
        var edit = await Html.GetOkAsync(moderator, PaperUrls.EditPaper(slug));
        Assert.Empty(edit.QuerySelectorAll("button[formaction*=Delete]")); // no one-click delete any more
        var confirm = await Html.GetOkAsync(moderator, edit.QuerySelector(".danger-zone a")!.GetAttribute("href")!);
        var impact = confirm.QuerySelector(".delete-impact")!;
        Assert.Equal(["pumpkinonly"], impact.QuerySelectorAll(".chip").Select(c => c.Text()));
        Assert.Contains("Lonely Pumpkins is left without papers", impact.QuerySelector(".topic-emptied").Text(), StringComparison.Ordinal);
        Assert.Contains("No intro images.", impact.Text(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _site.CreateReader().GetAsync(path)).StatusCode); // looking deletes nothing

        var deleted = await Forms.PostAsync(moderator, (IHtmlFormElement)confirm.QuerySelector("form.danger-zone")!, new Dictionary<string, string?>());
        Assert.Equal($"/admin/topics?deleted={slug}&emptied=lonely-pumpkins", deleted.Headers.Location!.OriginalString);
        var topics = await Html.GetOkAsync(moderator, deleted.Headers.Location.OriginalString);
        Assert.Contains("“Lonely Pumpkins” has no papers left", topics.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.NotNull(topics.QuerySelector(".empty-topic[data-topic=lonely-pumpkins]"));
        Assert.Equal(HttpStatusCode.NotFound, (await _site.CreateReader().GetAsync(path)).StatusCode);
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM keywords WHERE slug = 'pumpkinonly'"));
    }

    [Fact]
    public async Task EmptyTopic_IsHiddenFromReaders_AndCanBeRenamedMergedOrRemoved_WhileATopicWithPapersIsKept()
    {
        var moderator = await _site.SignedInAsync();
        var reader = _site.CreateReader();
        var first = await LonePaperAsync(moderator, "First Lonely Gourd Paper", "Gourd Studies", "gourdone");
        var second = await LonePaperAsync(moderator, "Second Lonely Squash Paper", "Squash Studies", "squashone");
        Assert.Contains("Gourd Studies", (await Html.GetOkAsync(reader, "/")).QuerySelector(".topic-cards").Text(), StringComparison.Ordinal);
        // A pending submission filed under each topic.
        foreach (var topic in new[] { "gourd-studies", "squash-studies" })
        {
            var values = SubmissionFlowTests.Paper("Pending under " + topic, "https://example.org/pending/" + topic);
            values["Input.Topic"] = topic;
            Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(reader, values)).StatusCode);
        }
        foreach (var path in new[] { first, second })
        {
            var confirm = await Html.GetOkAsync(moderator, PaperUrls.DeletePaper(path["/papers/".Length..]));
            await Forms.PostAsync(moderator, (IHtmlFormElement)confirm.QuerySelector("form.danger-zone")!, new Dictionary<string, string?>());
        }

        // Readers never see an empty topic as a real one: not on the home page, /topics or in the header.
        foreach (var url in new[] { "/", "/topics", "/search?q=attention" })
        {
            var page = await Html.GetOkAsync(reader, url);
            Assert.DoesNotContain("Gourd Studies", page.QuerySelector("main").Text(), StringComparison.Ordinal);
            Assert.DoesNotContain(page.QuerySelectorAll(".topic-nav a"), a => a.Text() is "Gourd Studies" or "Squash Studies");
        }
        var home = await Html.GetOkAsync(reader, "/");
        Assert.All(home.QuerySelectorAll(".topic-card .topic-count"), c => Assert.DoesNotMatch("^0 ", c.Text()));

        var topics = await Html.GetOkAsync(moderator, "/admin/topics");
        Assert.Equal(["gourd-studies", "squash-studies"], topics.QuerySelectorAll(".empty-topic").Select(e => e.GetAttribute("data-topic")!).Order());
        IHtmlFormElement FormOf(AngleSharp.Dom.IParentNode doc, string selector, string topic) =>
            (IHtmlFormElement)doc.QuerySelectorAll(selector).First(f => f.QuerySelector<IHtmlInputElement>("[name=topic]")!.Value == topic);

        // Rename (the slug stays), then merge into Attention: the pending submission moves with it.
        var renamed = await Forms.PostAsync(moderator, FormOf(topics, "form.rename-form", "gourd-studies"), new Dictionary<string, string?> { ["name"] = "Gourds <b>and</b> Kin" });
        var afterRename = await Html.ParseAsync(renamed);
        Assert.Equal("Renamed the topic.", afterRename.QuerySelector(".notice").Text());
        Assert.Equal("Gourds <b>and</b> Kin", afterRename.QuerySelector(".empty-topic[data-topic=gourd-studies] h3").Text());
        var merged = await Forms.PostAsync(moderator, FormOf(afterRename, ".empty-topic form", "gourd-studies"), new Dictionary<string, string?> { ["into"] = "attention" });
        Assert.Contains("Merged the topic", (await Html.ParseAsync(merged)).QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("attention", Scalar<string>("SELECT topic_slug FROM submissions WHERE title = 'Pending under gourd-studies'"));
        Assert.Equal(0L, Scalar<long>("SELECT count(*) FROM topics WHERE slug = 'gourd-studies'"));

        // Remove: the pending submission now suggests the topic by name, so it can still be approved into it.
        var afterMerge = await Html.GetOkAsync(moderator, "/admin/topics");
        var remove = (IHtmlFormElement)afterMerge.QuerySelectorAll(".empty-topic[data-topic=squash-studies] form").Last();
        Assert.Contains("Removed the topic", (await Html.ParseAsync(await Forms.PostAsync(moderator, remove, new Dictionary<string, string?>()))).QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("Squash Studies", Scalar<string>("SELECT new_topic FROM submissions WHERE title = 'Pending under squash-studies'"));
        Assert.Null(Scalar<string?>("SELECT topic_slug FROM submissions WHERE title = 'Pending under squash-studies'"));

        // A topic with papers is refused, whatever the post says.
        var refused = await Forms.PostAsync(moderator, remove, new Dictionary<string, string?> { ["topic"] = "attention" });
        Assert.Contains("only a topic without papers", (await Html.ParseAsync(refused)).QuerySelector(".form-errors").Text(), StringComparison.Ordinal);
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM topics WHERE slug = 'attention'"));
        var log = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelectorAll(".audit tbody tr").Select(r => r.Children[2].Text()).ToList();
        Assert.Contains("rename-topic", log);
        Assert.Contains("merge-topic", log);
        Assert.Contains("remove-topic", log);
    }

    [Fact]
    public async Task AuditLog_LinksEveryTarget_ByTitleForSubmissions_AndShowsTextEditsAsAWordDiff()
    {
        var id = QueueRows.Insert(_site, 1, _ => new QueueRows.Row("Audited Title For Links", "https://example.org/audited"))[0];
        var moderator = await _site.SignedInAsync();
        await ApproveAsync(moderator, await Html.GetOkAsync(moderator, "/admin/submissions/" + Id(id)));
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/gqa");
        var form = (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!;
        var intro = form.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value;
        var title = form.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(moderator, form, new Dictionary<string, string?>
        {
            ["Input.Title"] = title.Replace("Training", "Teaching", StringComparison.Ordinal),
            ["Input.Intro"] = "One added sentence.\n\n" + intro, // at the start: the log keeps a long intro's first 2,000 characters
        })).StatusCode);

        var rows = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelectorAll(".audit tbody tr").ToList();
        var edited = rows.First(r => r.Children[2].Text() == "edit-paper");
        Assert.Equal("/papers/gqa", edited.Children[3].QuerySelector("a")!.GetAttribute("href"));
        var titleChange = edited.QuerySelectorAll(".change").First(c => c.Text().StartsWith("title:", StringComparison.Ordinal));
        Assert.Equal(["removed: Training"], titleChange.QuerySelectorAll("del").Select(d => d.Text()));
        Assert.Equal(["added: Teaching"], titleChange.QuerySelectorAll("ins").Select(d => d.Text()));
        Assert.Contains("Generalized Multi-Query", titleChange.QuerySelectorAll("span:not(.visually-hidden)").Select(s => s.Text()).First(t => t.Contains("Generalized", StringComparison.Ordinal)), StringComparison.Ordinal);
        var introChange = edited.QuerySelectorAll(".change").First(c => c.Text().StartsWith("intro:", StringComparison.Ordinal));
        Assert.Equal("added: One added sentence.", introChange.QuerySelector("ins").Text());

        var approved = rows.First(r => r.Children[2].Text() == "approve");
        var links = approved.Children[3].QuerySelectorAll("a").Select(a => (Href: a.GetAttribute("href"), Text: a.Text())).ToList();
        Assert.Equal(("/admin/submissions/" + Id(id), "“Audited Title For Links”"), links[0]);
        Assert.Equal("/papers/audited-title-for-links", links[1].Href);
        Assert.All((await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelectorAll(".audit tbody tr td:first-child"), c => Assert.NotNull(c.QuerySelector("time[datetime]")));
    }
}
