using System.Net;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>The bundled intros, walked paper by paper through the site.</summary>
[Collection(BundledSiteCollection.Name)]
public sealed class IntroTests(CatalogFactory factory)
{
    private readonly HttpClient _client = factory.CreateReader();

    /// <summary>Papers in the bundled list (data/README.md), every one with an intro.</summary>
    private const int BundledPapers = 62;

    private async Task<List<string>> AllPaperUrlsAsync()
    {
        var urls = new List<string>();
        var home = await Html.GetOkAsync(_client, "/");
        foreach (var topic in home.QuerySelectorAll(".topic-card a").Select(a => a.GetAttribute("href")!))
        {
            var doc = await Html.GetOkAsync(_client, topic);
            urls.AddRange(doc.QuerySelectorAll("table.papers .title-link").Select(a => a.GetAttribute("href")!));
        }
        return urls;
    }

    [Fact]
    public async Task EveryPaper_HasAnIntroWithTheFourSections()
    {
        var urls = await AllPaperUrlsAsync();
        Assert.Equal(BundledPapers, urls.Count);
        foreach (var url in urls)
        {
            var doc = await Html.GetOkAsync(_client, url);
            var headings = doc.QuerySelectorAll("#intro h2").Select(h => h.Text()).ToList();
            Assert.True(new[] { "Core Idea", "Core Image", "Results", "Useful Extensions" }.SequenceEqual(headings.Where(h => h is "Core Idea" or "Core Image" or "Results" or "Useful Extensions")),
                $"{url} has sections [{string.Join(", ", headings)}]");
            Assert.True(doc.QuerySelector("#intro").Text().Length > 1500, $"{url}: the intro is too short to be worth reading");
        }
    }

    [Fact]
    public async Task OnlyRenderedMarkdownUsesTheIntroIdPrefix_SoIntroHeadingsNeverTakeTheSitesIds()
    {
        var pages = await PaperCatalog.Web.Tests.Security.SiteMap.CrawlAsync(_client, factory.Services, 80);
        pages.AddRange(await AllPaperUrlsAsync());
        foreach (var url in pages.Distinct())
        {
            var (_, doc) = await Html.GetAsync(_client, url); // the crawl includes a 404 page: its ids count too
            foreach (var element in doc.QuerySelectorAll("[id]"))
            {
                // Rendered Markdown lives in .prose containers (whose every id has the prefix: MarkdownRendererTests).
                var inMarkdown = element.Closest(".prose") is { } prose && prose != element;
                Assert.False(!inMarkdown && element.Id!.StartsWith(PaperCatalog.Markdown.MarkdownRenderer.IdPrefix, StringComparison.Ordinal),
                    $"{url}: the site's own id \"{element.Id}\" starts with the prefix of rendered Markdown's ids");
            }
            Assert.Equal(doc.QuerySelectorAll("[id]").Length, doc.QuerySelectorAll("[id]").Select(e => e.Id).Distinct().Count());
        }
    }

    [Fact]
    public async Task EveryIntroImage_IsServedWithAnImageContentType_AndAThirdOfPapersHaveOne()
    {
        var withFigure = 0;
        var urls = await AllPaperUrlsAsync();
        foreach (var url in urls)
        {
            var doc = await Html.GetOkAsync(_client, url);
            var images = doc.QuerySelectorAll("#intro img").Select(i => i.GetAttribute("src")!).ToList();
            if (images.Count > 0) withFigure++;
            foreach (var src in images)
            {
                Assert.StartsWith(url + "/media/", src);
                var response = await _client.GetAsync(src);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith("image/", response.Content.Headers.ContentType!.MediaType);
            }
        }
        Assert.Equal(BundledPapers, urls.Count);
        Assert.True(withFigure * 3 >= urls.Count, $"only {withFigure} of {urls.Count} papers have a figure");
    }

    [Fact]
    public async Task EveryLinkBetweenIntros_ResolvesToAPageOfTheSite()
    {
        var checkedLinks = 0;
        var urls = await AllPaperUrlsAsync();
        foreach (var url in urls)
        {
            var doc = await Html.GetOkAsync(_client, url);
            foreach (var href in doc.QuerySelectorAll("#intro a[href]").Select(a => a.GetAttribute("href")!))
            {
                Assert.False(href.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || href.Contains("README.md"), $"{url} links to a raw file {href}");
                if (!href.StartsWith('/')) continue;
                var target = href.Split('#')[0];
                var (response, _) = await Html.GetAsync(_client, target);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} links to {href}, which answers {(int)response.StatusCode}");
                checkedLinks++;
            }
        }
        Assert.True(checkedLinks >= 2 * urls.Count, $"only {checkedLinks} cross-links between intros");
    }

    [Fact]
    public async Task EveryIntro_LinksAtLeastTwoOtherPapersOfTheCatalog()
    {
        var urls = await AllPaperUrlsAsync();
        var papers = urls.ToHashSet(StringComparer.Ordinal);
        foreach (var url in urls)
        {
            var doc = await Html.GetOkAsync(_client, url);
            var others = doc.QuerySelectorAll("#intro a[href]")
                .Select(a => a.GetAttribute("href")!.Split('#')[0].Split('?')[0])
                .Where(href => href.StartsWith("/papers/", StringComparison.Ordinal) && !href.Contains("/media/", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
            others.Remove(url);
            Assert.All(others, href => Assert.Contains(href, papers));
            Assert.True(others.Count >= 2, $"{url} links {others.Count} other catalog papers ({string.Join(", ", others)}); an intro links at least two it builds on or competes with");
        }
    }
}
