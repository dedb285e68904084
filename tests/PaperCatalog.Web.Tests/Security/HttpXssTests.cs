using System.Text.Json;
using AngleSharp.Html.Parser;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// Every vector through every input a stranger can fill, over real HTTP against a site whose own content is the
/// corpus, with every served page parsed and checked as a whole.
/// </summary>
public sealed class HttpXssTests(HostileSite site) : IClassFixture<HostileSite>
{
    private static readonly string[] SearchParameters = ["q", "topic", "venue", "sort", "page", "from", "to"];

    private async Task<List<string>> CheckPageAsync(HttpClient client, string url, List<string> failures, string label)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500) failures.Add($"{label}: GET {Cut(url)} answered {(int)response.StatusCode}");
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type == "text/html")
            failures.AddRange(HtmlSafety.Problems(text, wholePage: true).Select(p => $"{label}: {Cut(url)} -> {p}"));
        else if (type == "application/json")
            failures.AddRange(JsonProblems(text).Select(p => $"{label}: {Cut(url)} -> {p}"));
        return failures;
    }

    [Fact]
    public async Task HostileList_WasImported_AndEveryPageOfIt_IsSafe()
    {
        var client = site.Factory.CreateReader();
        // The topic is paged (100 rows a page): every page of it, by its next links.
        var topicPages = new List<string>();
        var papers = new List<string>();
        for (string? next = "/topics/hostile"; next is not null && topicPages.Count < 20;)
        {
            topicPages.Add(next);
            var topic = await Html.GetOkAsync(client, next);
            papers.AddRange(topic.QuerySelectorAll("table.papers .title-link").Select(a => a.GetAttribute("href")!));
            next = topic.QuerySelector(".pager a[rel=next]")?.GetAttribute("href");
        }
        Assert.Equal(site.List.IntroCount, papers.Count);
        var failures = new List<string>();
        foreach (var url in new[] { "/" }.Concat(topicPages).Concat(papers).Concat(await SiteMap.CrawlAsync(client, site.Factory.Services, 40)))
            await CheckPageAsync(client, url, failures, "page");
        HtmlSafety.AssertNone(failures, "problems on the hostile site's pages");
    }

    [Fact]
    public async Task EveryVector_InEverySearchParameter_OfThePageAndTheApi_IsServedSafe()
    {
        var client = site.Factory.CreateReader();
        var failures = new List<string>();
        foreach (var vector in XssVectors.All)
        {
            var e = Uri.EscapeDataString(vector);
            var all = string.Join('&', SearchParameters.Select(p => p + "=" + e));
            foreach (var path in new[] { "/search", "/api/search" })
            {
                await CheckPageAsync(client, $"{path}?q={e}", failures, "q");
                await CheckPageAsync(client, $"{path}?{all}", failures, "all parameters");
            }
        }
        // The corpus is in the catalog too: searches that hit it show hostile titles and snippets.
        foreach (var term in new[] { "alert", "script", "onerror", "javascript", "svg", "xss", "img", "href" })
        {
            await CheckPageAsync(client, "/search?q=" + term, failures, "hit");
            await CheckPageAsync(client, "/api/search?q=" + term, failures, "hit");
        }
        HtmlSafety.AssertNone(failures, "problems in search answers");
    }

    [Fact]
    public async Task EveryDiscoveredForm_FilledWithEveryVector_AnswersSafely_AndLeavesEveryPageSafe()
    {
        var client = site.Factory.CreateClient(new() { AllowAutoRedirect = true, HandleCookies = true });
        var pages = await SiteMap.CrawlAsync(client, site.Factory.Services, 40);
        var forms = await SiteMap.FormsAsync(client, pages);
        Assert.Contains(forms, f => f.Action == "/search"); // discovery works: the header search box at least
        var failures = new List<string>();
        foreach (var form in forms)
        {
            foreach (var vector in XssVectors.All)
            {
                using var request = SiteMap.Submit(form, f => f.Kind is "checkbox" or "radio" ? f.Value : vector);
                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500) failures.Add($"{form}: {(int)response.StatusCode} for {Cut(vector)}");
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                    failures.AddRange(HtmlSafety.Problems(text, wholePage: true).Select(p => $"{form} with {Cut(vector)} -> {p}"));
            }
        }
        // Whatever the forms stored must not come back out unsafe on any page (moderation pages included, where reachable).
        foreach (var url in await SiteMap.CrawlAsync(client, site.Factory.Services, 80))
            await CheckPageAsync(client, url, failures, "after submissions");
        HtmlSafety.AssertNone(failures, "problems after submitting every form with every vector");
    }

    private static IEnumerable<string> JsonProblems(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var value in Strings(doc.RootElement))
        {
            if (value.Name.EndsWith("Html", StringComparison.Ordinal))
                foreach (var p in HtmlSafety.Problems(value.Value, wholePage: false)) yield return $"{value.Name}: {p}";
            if ((value.Name is "url" or "pdf" or "href") && HtmlSafety.IsDangerousUrl(value.Value)) yield return $"{value.Name}: script-capable URL {value.Value}";
        }
    }

    private static IEnumerable<(string Name, string Value)> Strings(JsonElement element, string name = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) foreach (var s in Strings(p.Value, p.Name)) yield return s;
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) foreach (var s in Strings(item, name)) yield return s;
                break;
            case JsonValueKind.String:
                yield return (name, element.GetString()!);
                break;
        }
    }

    private static string Cut(string s) => (s.Length > 100 ? s[..100] + "…" : s).Replace("\n", "\\n");
}
