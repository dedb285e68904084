using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// The XSS corpus in a real browser: Chromium visits every page of a site whose content is the vectors, searches
/// with them (page and live search), previews them (server and live), submits them in every field, and a moderator
/// reviews, edits, approves and rejects with them. No dialog may open and the canary may never be called, with the
/// Content-Security-Policy on and with it off (output encoding alone must hold); every live document is also parsed
/// for event-handler attributes and script-capable URLs. PAPERCATALOG_BROWSER_XSS=full runs every vector through
/// every path; the default runs every vector through the paper pages (the intros hold them all) and an even sample
/// through the rest. The two CSP modes run in parallel, each with its own site and Chromium.
/// </summary>
public abstract class BrowserXssTests(BrowserXssSite site, ITestOutputHelper output)
{
    private static readonly bool Full = string.Equals(Environment.GetEnvironmentVariable("PAPERCATALOG_BROWSER_XSS"), "full", StringComparison.OrdinalIgnoreCase);
    private string Mode => site.ContentSecurityPolicy ? "CSP on" : "CSP off";

    /// <summary>All vectors in the full run, else <paramref name="count"/> spread evenly over the corpus.</summary>
    private static IReadOnlyList<string> Sample(int count)
    {
        var all = XssVectors.All;
        if (Full || count >= all.Count) return all;
        return Enumerable.Range(0, count).Select(i => all[i * all.Count / count]).ToList();
    }

    private void Report(XssWatch watch, Stopwatch clock, string what, int vectors)
    {
        output.WriteLine($"{Mode}: {what}: {vectors} vectors, {watch.Visits} documents checked in {clock.Elapsed.TotalSeconds:F1} s{(Full ? " (full)" : "")}");
        foreach (var refused in watch.Refused.Take(20)) output.WriteLine("refused: " + refused);
    }

    [Fact]
    public async Task EveryPageOfTheHostileSite_RunsNoVector()
    {
        var clock = Stopwatch.StartNew();
        var watch = await XssWatch.OpenAsync(site);
        // The topic is paged (100 rows a page): every page of it, by its next links.
        var papers = new List<string>();
        var links = new List<string>();
        for (string? next = "/topics/hostile"; next is not null;)
        {
            await watch.VisitAsync(next, "topic");
            papers.AddRange(await watch.Page.EvalOnSelectorAllAsync<string[]>("table.papers .title-link", "as => as.map(a => a.getAttribute('href'))"));
            links.AddRange(await watch.Page.EvalOnSelectorAllAsync<string[]>("main a[href^='/keywords/']", "as => as.map(a => a.getAttribute('href'))"));
            next = (await watch.Page.EvalOnSelectorAllAsync<string[]>(".pager a[rel=next]", "as => as.map(a => a.getAttribute('href'))")).FirstOrDefault();
        }
        papers = papers.Distinct().ToList();
        var allKeywords = links.Distinct().ToList();
        // Keyword pages repeat the titles and affiliations the paper pages show: all in the full run, a sample by default.
        var keywords = Full ? allKeywords : allKeywords.Where((_, i) => i % 8 == 0).ToList();
        Assert.Equal(site.List.IntroCount, papers.Count);
        using var http = site.CreateHttpClient();
        var crawled = await SiteMap.CrawlAsync(http, site.Factory.Services, Full ? 40 : 20);
        foreach (var url in new[] { "/" }.Concat(papers).Concat(keywords).Concat(crawled).Distinct())
            await watch.VisitAsync(url, "page");
        Report(watch, clock, $"{papers.Count} paper pages (every vector in an intro), {keywords.Count} keyword pages, {crawled.Count} crawled", XssVectors.All.Count);
        watch.AssertClean($"problems on the hostile site's pages ({Mode})");
        await watch.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryVectorAsASearch_AndSomeInTheLiveSearch_RunNothing()
    {
        var clock = Stopwatch.StartNew();
        var watch = await XssWatch.OpenAsync(site);
        var vectors = Sample(60);
        foreach (var vector in vectors)
            await watch.VisitAsync("/search?q=" + Uri.EscapeDataString(vector), "search");
        foreach (var term in new[] { "alert", "script", "onerror", "javascript", "svg", "img", "hostile" })
            await watch.VisitAsync("/search?q=" + term, "search hit");

        // The live search swaps the fetched results into the page: typed vectors, and terms that hit hostile papers.
        var live = Sample(Full ? XssVectors.All.Count : 6).Concat(["alert", "onerror", "hostile paper"]).ToList();
        await watch.VisitAsync("/search", "live search");
        foreach (var vector in live)
        {
            watch.Current = "live search: " + XssWatch.Cut(vector);
            var typed = vector.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);
            try
            {
                await watch.Page.RunAndWaitForResponseAsync(() => watch.Page.FillAsync("#search-q", typed),
                    r => r.Url.Contains("/search", StringComparison.Ordinal) && r.Request.ResourceType == "fetch", new() { Timeout = 5_000 });
                await watch.Page.WaitForSelectorAsync("#search-results[aria-busy=false]", new() { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // A vector that is blank once the box trims it does not fetch: nothing was swapped in.
            }
            await watch.CheckAsync("live search");
        }
        Report(watch, clock, $"/search?q= for each, live search for {live.Count}", vectors.Count);
        watch.AssertClean($"problems in search ({Mode})");
        await watch.Context.CloseAsync();
    }

    [Fact]
    public async Task IntroPreview_WithoutAndWithJavaScript_RunsNoVector()
    {
        var clock = Stopwatch.StartNew();
        var watch = await XssWatch.OpenAsync(site);
        var vectors = Sample(16);
        await watch.VisitAsync("/submit", "submit");
        foreach (var vector in vectors)
        {
            // The Preview button posts the form (the no-JavaScript path) and the server renders the intro.
            await watch.SubmitAsync("form[data-submit-form]", new Dictionary<string, string> { ["Input.Intro"] = vector },
                "form[data-submit-form] button[formaction*=Preview]", "preview");
        }
        var live = Sample(6);
        await watch.VisitAsync("/submit", "submit");
        foreach (var vector in live)
        {
            watch.Current = "live preview: " + XssWatch.Cut(vector);
            await watch.Page.RunAndWaitForResponseAsync(() => watch.Page.FillAsync("#Input_Intro", vector),
                r => r.Url.Contains("handler=Preview", StringComparison.Ordinal), new() { Timeout = 10_000 });
            await watch.Page.WaitForTimeoutAsync(50); // the fetched preview is swapped in after the response
            await watch.CheckAsync("live preview");
        }
        Report(watch, clock, $"no-JS preview for {vectors.Count}, live preview for {live.Count}", vectors.Count + live.Count);
        watch.AssertClean($"problems in the intro preview ({Mode})");
        await watch.Context.CloseAsync();
    }

    [Fact]
    public async Task StrangersSubmission_OfVectors_IsSafeForTheModerator_AndTheDecisionsForTheStranger()
    {
        var clock = Stopwatch.StartNew();
        var stranger = await XssWatch.OpenAsync(site);
        var moderator = await XssWatch.OpenAsync(site);
        await moderator.SignInAsync();
        var vectors = Sample(4);
        var statusPages = new List<string>();
        var tag = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            // Every field a vector: refused, and the refused form comes back with the vectors in it.
            await stranger.VisitAsync("/submit", "submit");
            var fields = new[] { "Title", "Link", "Topic", "NewTopicName", "Keywords", "Affiliation", "Date", "Venue", "Citations", "Intro", "Name", "Email" };
            await stranger.SubmitAsync("form[data-submit-form]", fields.ToDictionary(f => "Input." + f, _ => v),
                "form[data-submit-form] button[type=submit]:not([formaction])", "submit, every field a vector");

            // The same vector wherever the rules let it be stored, so the moderator and the stranger see it.
            var id = $"{tag}-{i}";
            var stored = new Dictionary<string, string>
            {
                ["Input.Title"] = $"Submitted {id} {Clip(v, 260)}",
                ["Input.Link"] = $"https://example.org/{id}/" + new string(v.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()),
                ["Input.Topic"] = "new",
                ["Input.NewTopicName"] = $"T{i} {Clip(v, 60)}",
                ["Input.Keywords"] = $"k{id}, {Clip(v.Replace(',', ' '), 50)}",
                ["Input.Affiliation"] = $"A {Clip(v, 280)}",
                ["Input.Date"] = "2024.01",
                ["Input.Venue"] = Clip(v, 75),
                ["Input.Citations"] = "7",
                ["Input.Intro"] = v,
                ["Input.Name"] = Clip(v, 95),
                ["Input.Email"] = $"s{i}@example.org",
            };
            await stranger.VisitAsync("/submit", "submit");
            await stranger.SubmitAsync("form[data-submit-form]", stored, "form[data-submit-form] button[type=submit]:not([formaction])", "submit");
            if (stranger.Page.Url.Contains("/submit", StringComparison.Ordinal) && await stranger.Page.QuerySelectorAsync("#ConfirmSimilar") is not null)
            {
                await stranger.Page.CheckAsync("#ConfirmSimilar");
                await stranger.SubmitAsync("form[data-submit-form]", stored, "form[data-submit-form] button[type=submit]:not([formaction])", "submit, confirmed");
            }
            if (!stranger.Page.Url.Contains("/submissions/", StringComparison.Ordinal))
            {
                var errors = await stranger.Page.EvalOnSelectorAllAsync<string[]>(".field-error, .form-errors", "es => es.map(e => e.textContent.trim()).filter(t => t)");
                stranger.Failures.Add($"not stored ({string.Join(" | ", errors)}) for {XssWatch.Cut(v)}");
                continue;
            }
            statusPages.Add(new Uri(stranger.Page.Url).AbsolutePath);
        }

        // The moderator sees the strangers' text: the queue, each review page; half approved with the fields edited
        // to vectors (then the public paper page), half rejected with a vector as the note.
        // The queue is paged: every page, until one has no next.
        var reviews = new List<string>();
        for (var page = 1; ; page++)
        {
            await moderator.VisitAsync($"/admin?page={page}", "queue");
            reviews.AddRange(await moderator.Page.EvalOnSelectorAllAsync<string[]>(".queue-item h2 a", "as => as.map(a => a.getAttribute('href'))"));
            if (await moderator.Page.QuerySelectorAsync(".pager a[rel=next]") is null) break;
        }
        Assert.True(reviews.Count >= statusPages.Count, $"{reviews.Count} in the queue for {statusPages.Count} stored");
        for (var i = 0; i < reviews.Count; i++)
        {
            var v = vectors[i % vectors.Count];
            await moderator.VisitAsync(reviews[i], "review");
            if (await moderator.Page.QuerySelectorAsync("button[formaction*=Approve]") is null) continue; // decided already
            if (i % 2 == 0)
            {
                await moderator.SubmitAsync(".reject-form", new Dictionary<string, string> { ["Note"] = "Refused: " + v }, ".reject-form button[type=submit]", "reject with a vector note");
            }
            else
            {
                var edited = new Dictionary<string, string>
                {
                    ["Input.Title"] = $"Approved {tag}-{i} {Clip(v, 250)}",
                    ["Input.Affiliation"] = "M " + Clip(v, 280),
                    ["Input.Venue"] = Clip(v, 75),
                    ["Input.Keywords"] = $"m{tag}{i}, {Clip(v.Replace(',', ' '), 50)}",
                    ["Input.Intro"] = "Moderator's intro\n\n" + v,
                };
                await moderator.SubmitAsync("form.paper-form:not(.reject-form)", edited, "button[formaction*=Approve]", "approve with vector edits");
                if (moderator.Page.Url.Contains("/papers/", StringComparison.Ordinal)) await moderator.VisitAsync(new Uri(moderator.Page.Url).AbsolutePath, "approved paper");
            }
        }
        await moderator.VisitAsync("/admin", "queue after");
        await moderator.VisitAsync("/admin/audit", "audit");
        foreach (var status in statusPages) await stranger.VisitAsync(status, "status after the decision");
        using var http = site.CreateHttpClient();
        foreach (var url in await SiteMap.CrawlAsync(http, site.Factory.Services, Full ? 80 : 20)) await stranger.VisitAsync(url, "public page after moderation");

        output.WriteLine($"{Mode}: {statusPages.Count} submissions stored, {reviews.Count} reviewed; stranger {stranger.Visits} documents, moderator {moderator.Visits}");
        Report(stranger, clock, "submission and moderation (stranger side)", vectors.Count);
        var failures = stranger.Hits.Select(h => "stranger canary: " + h).Concat(stranger.Failures)
            .Concat(moderator.Hits.Select(h => "moderator canary: " + h)).Concat(moderator.Failures).ToList();
        HtmlSafety.AssertNone(failures, $"problems in submission and moderation ({Mode})");
        await stranger.Context.CloseAsync();
        await moderator.Context.CloseAsync();
    }

    [Fact]
    public async Task ModeratorsEditsOfAPaper_OfVectors_RunNothing_OnThePublicPage_OrTheAdminPages()
    {
        var clock = Stopwatch.StartNew();
        var moderator = await XssWatch.OpenAsync(site);
        await moderator.SignInAsync();
        var vectors = Sample(4);
        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            var slug = await PaperSlugAsync(moderator, i);
            await moderator.VisitAsync($"/admin/papers/{slug}", "paper edit");
            var values = new Dictionary<string, string>
            {
                ["Input.Title"] = $"Edited {i} {Clip(v, 260)}",
                ["Input.Keywords"] = $"e{i}, {Clip(v.Replace(',', ' '), 50)}",
                ["Input.Affiliation"] = "E " + Clip(v, 280),
                ["Input.Venue"] = Clip(v, 75),
                ["Input.Intro"] = v,
            };
            await moderator.SubmitAsync("form.paper-form:not(.danger-zone)", values, "form.paper-form:not(.danger-zone) button[type=submit]", "paper edit saved");
            if (!moderator.Page.Url.Contains("/papers/", StringComparison.Ordinal) || moderator.Page.Url.Contains("/admin/", StringComparison.Ordinal))
            {
                // Refused: the form came back with the vectors in it (already checked); the refusal itself is fine.
                continue;
            }
            await moderator.VisitAsync(new Uri(moderator.Page.Url).AbsolutePath, "edited paper");
            await moderator.VisitAsync($"/admin/papers/{slug}", "paper edit again");
        }
        // A topic's date set to a vector is refused, and the page that says so is safe.
        await moderator.VisitAsync("/admin/topics", "topics");
        if (await moderator.Page.QuerySelectorAsync("form.inline-form") is not null)
            await moderator.SubmitAsync("form.inline-form", new Dictionary<string, string> { ["date"] = vectors[0] }, "form.inline-form button[type=submit]", "topic date");
        await moderator.VisitAsync("/admin/audit", "audit");
        await moderator.VisitAsync("/topics/hostile", "topic after edits");
        Report(moderator, clock, "moderator paper edits", vectors.Count);
        moderator.AssertClean($"problems after moderator edits ({Mode})");
        await moderator.Context.CloseAsync();
    }

    private static async Task<string> PaperSlugAsync(XssWatch watch, int i)
    {
        await watch.Page.GotoAsync("/topics/hostile");
        var links = await watch.Page.EvalOnSelectorAllAsync<string[]>("table.papers .title-link", "as => as.map(a => a.getAttribute('href'))");
        return links[(i * 7 + 3) % links.Length]["/papers/".Length..];
    }

    private static string Clip(string s, int max) => s.Length > max ? s[..max] : s;
}

public sealed class BrowserXssCspOnTests(CspOnBrowserSite site, ITestOutputHelper output) : BrowserXssTests(site, output), IClassFixture<CspOnBrowserSite>;

public sealed class BrowserXssCspOffTests(CspOffBrowserSite site, ITestOutputHelper output) : BrowserXssTests(site, output), IClassFixture<CspOffBrowserSite>;
