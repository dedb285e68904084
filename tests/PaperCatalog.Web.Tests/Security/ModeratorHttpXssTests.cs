using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Moderation;
using PaperCatalog.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// Every vector through every input a moderator can fill (forms discovered by crawling the site signed in: review
/// with approve and reject, paper edit, topic dates), over HTTP against the hostile site; every answer, the public
/// pages the moderator's text lands on, the stranger's status pages and the admin pages are checked as whole pages.
/// </summary>
public sealed partial class ModeratorHttpXssTests(HostileSite site, ITestOutputHelper output) : IClassFixture<HostileSite>
{
    /// <summary>Free-text fields take the vector (trimmed to fit); fields with a format keep their served value, so the text is stored.</summary>
    private static string Storable(FormField f, string vector, string tag) => f.Kind switch
    {
        "checkbox" or "radio" or "hidden" or "select" or "url" or "email" or "date" or "number" or "submit" => f.Value,
        _ when f.Name.EndsWith("Link", StringComparison.Ordinal) || f.Name.EndsWith("Date", StringComparison.Ordinal) || f.Name.EndsWith("Citations", StringComparison.Ordinal) => f.Value,
        "textarea" => tag + "\n\n" + vector,
        _ when f.Name.EndsWith("Keywords", StringComparison.Ordinal) => tag + ", " + Clip(vector.Replace(',', ' '), 50),
        _ => tag + " " + Clip(vector, 70),
    };

    private static string Every(FormField f, string vector) => f.Kind is "checkbox" or "radio" ? f.Value : vector;

    [Fact]
    public async Task EveryFormAModeratorCanFill_WithEveryVector_AnswersSafely_AndLeavesEveryPageSafe()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Every third vector by default (all classes of the corpus stay represented); PAPERCATALOG_MODERATOR_XSS=full for all.
        var full = string.Equals(Environment.GetEnvironmentVariable("PAPERCATALOG_MODERATOR_XSS"), "full", StringComparison.OrdinalIgnoreCase);
        var vectors = full ? XssVectors.All : XssVectors.All.Where((_, i) => i % 3 == 0).ToList();
        var failures = new List<string>();
        var stranger = site.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var moderator = await SignedInAsync();

        // One pending submission per vector, for the approve and reject forms to decide.
        var statusPages = new List<string>();
        for (var i = 0; i < vectors.Count; i++)
        {
            var form = (await SiteMap.FormsAsync(stranger, ["/submit"])).Single(f => f.Action == "/submit");
            var topic = form.Fields.Single(f => f.Name == "Input.Topic").Options.First(o => o.Length > 0 && o != "new");
            var values = new Dictionary<string, string>
            {
                ["Input.Title"] = $"Queued {i} for review", ["Input.Link"] = $"https://example.org/queued/{i}", ["Input.Topic"] = topic,
                ["Input.Keywords"] = $"q{i}", ["Input.Affiliation"] = "Somewhere", ["Input.Date"] = "2024.01", ["Input.Intro"] = "An intro.",
                ["ConfirmSimilar"] = "true",
            };
            var response = await stranger.SendAsync(SiteMap.Submit(form, f => values.GetValueOrDefault(f.Name, f.Kind == "checkbox" ? "true" : f.Value)));
            Assert.True(response.Headers.Location?.OriginalString.StartsWith("/submissions/", StringComparison.Ordinal), $"submission {i}: {(int)response.StatusCode}");
            statusPages.Add(response.Headers.Location!.OriginalString.Split('?')[0]);
        }

        // Discovery, signed in: the admin pages, a review page, a paper's edit page.
        var pages = await SiteMap.CrawlAsync(moderator, site.Factory.Services, 80);
        // The queue is paged: read every page, until one has no next.
        var reviews = new List<(string Url, string Title)>();
        for (var page = 1; ; page++)
        {
            var queue = await moderator.GetStringAsync($"/admin?page={page}");
            reviews.AddRange(QueueLink().Matches(queue).Select(m => (Url: m.Groups[1].Value, Title: m.Groups[2].Value)));
            if (!queue.Contains("rel=\"next\"", StringComparison.Ordinal)) break;
        }
        var reviewOf = reviews.Where(r => r.Title.StartsWith("Queued ", StringComparison.Ordinal))
            .ToDictionary(r => int.Parse(r.Title.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), r => r.Url);
        Assert.Equal(vectors.Count, reviewOf.Count);
        var topicPage = new HtmlParser().ParseDocument(await moderator.GetStringAsync("/topics/hostile"));
        var paperSlugs = topicPage.QuerySelectorAll("table.papers .title-link").Select(a => a.GetAttribute("href")!["/papers/".Length..]).ToList();
        pages.AddRange([reviewOf[0], $"/admin/papers/{paperSlugs[0]}"]);
        var forms = (await SiteMap.FormsAsync(moderator, pages))
            .Where(f => f.IsPost && f.Action.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) && !f.Action.StartsWith("/admin/sign", StringComparison.OrdinalIgnoreCase)
                        && !f.Action.Contains("handler=Delete", StringComparison.OrdinalIgnoreCase))
            // One form per route and field set: every review page has the same forms (the stranger's forms are HttpXssTests').
            .GroupBy(f => Retarget(f.Action, "/admin/submissions/{id}", "/admin/papers/{slug}") + " " + string.Join(",", f.Fields.Select(x => x.Name)))
            .Select(g => g.First())
            .ToList();
        var kinds = forms.Select(f => f.Action).ToList();
        Assert.Contains(kinds, a => a.Contains("handler=Approve", StringComparison.Ordinal));
        Assert.Contains(kinds, a => a.Contains("handler=Reject", StringComparison.Ordinal));
        Assert.Contains(kinds, a => a.StartsWith("/admin?handler=Reject", StringComparison.Ordinal)); // the queue's bulk rejection
        Assert.Contains(kinds, a => a.StartsWith("/admin/papers/", StringComparison.Ordinal));
        Assert.Contains(kinds, a => a.StartsWith("/admin/topics", StringComparison.Ordinal));
        output.WriteLine($"moderator forms: {string.Join("; ", forms)}");

        var posts = 0;
        async Task SendAsync(HttpRequestMessage request, string label)
        {
            using (request)
            {
                posts++;
                var response = await moderator.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500) failures.Add($"{label}: {(int)response.StatusCode}");
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                    failures.AddRange(HtmlSafety.Problems(text, wholePage: true).Select(p => $"{label} -> {p}"));
                if (response.Headers.Location is { } location && location.OriginalString.StartsWith('/'))
                    await CheckAsync(moderator, location.OriginalString, failures, label + " then");
            }
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            var tag = $"M{i}";
            foreach (var form in forms)
            {
                // Aimed at this vector's own submission and at a paper of the list, so that every decision is a first one.
                var target = form with { Action = Retarget(form.Action, reviewOf[i], $"/admin/papers/{paperSlugs[i % paperSlugs.Count]}") };
                var label = $"{target.Method.ToUpperInvariant()} {target.Action} with {Cut(v)}";
                if (target.Action.Contains("handler=Reject", StringComparison.Ordinal) && i % 2 == 1) continue; // odd ones are approved
                if (target.Action.Contains("handler=Approve", StringComparison.Ordinal) && i % 2 == 0) continue; // even ones are rejected
                if (!target.Action.Contains("handler=Reject", StringComparison.Ordinal))
                    await SendAsync(SiteMap.Submit(target, f => Every(f, v)), "every field: " + label); // refused, the form comes back with the vector
                // The queue's bulk rejection ticks this vector's own submission only (with the single rejection, one of the
                // two decides it and the other comes back with the vector in its form).
                var own = reviewOf[i]["/admin/submissions/".Length..];
                await SendAsync(SiteMap.Submit(target, f => f.Name == "Selected" ? own : Storable(f, v, tag)), "storable: " + label);
            }
            if (i % 2 == 0) await CheckAsync(stranger, statusPages[i], failures, $"status page after a reject note {Cut(v)}");
            await CheckAsync(moderator, $"/papers/{paperSlugs[i % paperSlugs.Count]}", failures, $"paper after a moderator's edit {Cut(v)}");
        }

        // Whatever the moderator stored must come out safe everywhere: public pages, status pages, admin pages.
        foreach (var url in (await SiteMap.CrawlAsync(stranger, site.Factory.Services, 80)).Concat(statusPages))
            await CheckAsync(stranger, url, failures, "public after moderation");
        foreach (var url in (await SiteMap.CrawlAsync(moderator, site.Factory.Services, 80)).Concat(["/admin", "/admin/audit", "/admin/topics"]).Concat(reviewOf.Values.Take(20)))
            await CheckAsync(moderator, url, failures, "admin after moderation");
        output.WriteLine($"{vectors.Count} vectors through {forms.Count} moderator forms: {posts} posts in {clock.Elapsed.TotalSeconds:F1} s");
        HtmlSafety.AssertNone(failures, "problems after every moderator form with every vector");
    }

    private static string Retarget(string action, string review, string paperEdit)
    {
        var query = action.Contains('?') ? action[action.IndexOf('?')..] : "";
        var path = action.Split('?')[0];
        if (path.StartsWith("/admin/submissions/", StringComparison.Ordinal)) return review + query;
        if (path.StartsWith("/admin/papers/", StringComparison.Ordinal)) return paperEdit + query;
        return action;
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var problem = await site.Factory.Services.GetRequiredService<ModeratorAccounts>().AddAsync(SiteFactory.Moderator, SiteFactory.Password, CancellationToken.None);
        Assert.Null(problem);
        var client = site.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var doc = await Html.GetOkAsync(client, "/admin/signin");
        var response = await Forms.PostAsync(client, (AngleSharp.Html.Dom.IHtmlFormElement)doc.QuerySelector("main form")!, new Dictionary<string, string?> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static async Task CheckAsync(HttpClient client, string url, List<string> failures, string label)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500) failures.Add($"{label}: GET {url} answered {(int)response.StatusCode}");
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
            failures.AddRange(HtmlSafety.Problems(text, wholePage: true).Select(p => $"{label}: {url} -> {p}"));
    }

    [GeneratedRegex("<a href=\"(/admin/submissions/\\d+)\">([^<]*)</a>")]
    private static partial Regex QueueLink();

    private static string Clip(string s, int max) => s.Length > max ? s[..max] : s;

    private static string Cut(string s) => (s.Length > 80 ? s[..80] + "…" : s).Replace("\n", "\\n");
}
