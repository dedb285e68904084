using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>A long topic (and a keyword on every row of it) over the real site: 250 papers.</summary>
public sealed class LongTopicSite() : WrittenListSite("long", _ => List())
{
    public const int Papers = 250;

    private static string List()
    {
        var list = new StringBuilder("# A long list\n\n## Serving\n\nLast update of citation was on 20th Oct, 2024.\n\n");
        list.Append("|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
        for (var i = 0; i < Papers; i++)
        {
            // Dates and citation counts run against the list's order, and every 10th count is unknown.
            var citations = i % 10 == 9 ? "" : (i * 7 % 1000).ToString(CultureInfo.InvariantCulture);
            list.Append(CultureInfo.InvariantCulture,
                $"| Everywhere, K{i % 3} | **Long Paper {i:D3}** | [[pdf](https://arxiv.org/abs/2401.{i:D5})] | Lab {i % 5} | {2024 - i % 6}.{i % 12 + 1:D2} | {citations} |\n");
        }
        return list.ToString();
    }
}

/// <summary>Topic and keyword tables are paged: a page holds at most 100 rows, the links keep the sort, and the sort runs across all pages.</summary>
public sealed class PagingTests(LongTopicSite site) : IClassFixture<LongTopicSite>
{
    private readonly HttpClient _client = site.Site.CreateReader();

    private static List<string> Titles(IDocument doc) => doc.QuerySelectorAll("table.papers .title-link").Select(a => a.TextContent.Trim()).ToList();

    private async Task<List<string>> AllPagesAsync(string path)
    {
        var titles = new List<string>();
        string? next = path;
        var pages = 0;
        while (next is not null)
        {
            var doc = await Html.GetOkAsync(_client, next);
            var rows = Titles(doc);
            Assert.InRange(rows.Count, 1, 100);
            titles.AddRange(rows);
            next = doc.QuerySelector(".pager a[rel=next]")?.GetAttribute("href");
            Assert.True(++pages <= 10, "the next links never end");
        }
        return titles;
    }

    [Fact]
    public async Task Topic_ShowsAtMostAPageOfRows_WithTheTotalAndLinksToTheOtherPages()
    {
        var doc = await Html.GetOkAsync(_client, "/topics/serving");
        Assert.Equal(100, Titles(doc).Count);
        Assert.Contains("250 papers", doc.QuerySelector(".page-head .meta")!.TextContent, StringComparison.Ordinal);
        var pager = doc.QuerySelector("nav.pager")!;
        Assert.Contains("Papers 1–100 of 250", pager.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", pager.QuerySelector("[aria-current=page]")!.TextContent);
        Assert.Equal("/topics/serving?page=2", pager.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        Assert.Null(pager.QuerySelector("a[rel=prev]"));
        Assert.Contains(pager.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/topics/serving?page=3");

        var last = await Html.GetOkAsync(_client, "/topics/serving?page=3");
        Assert.Equal(50, Titles(last).Count);
        Assert.Equal("Long Paper 249", Titles(last)[^1]);
        Assert.Null(last.QuerySelector(".pager a[rel=next]"));
        Assert.Equal("/topics/serving?page=2", last.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("/topics/serving")]
    [InlineData("/topics/serving?sort=date")]
    [InlineData("/topics/serving?sort=citations&dir=asc")]
    [InlineData("/topics/serving?sort=title&dir=desc")]
    [InlineData("/keywords/everywhere")]
    public async Task FollowingNextLinks_VisitsEveryPaperOnce_InTheSameOrderAsOneSortOfTheWholeTable(string path)
    {
        var titles = await AllPagesAsync(path);
        Assert.Equal(LongTopicSite.Papers, titles.Count);
        Assert.Equal(LongTopicSite.Papers, titles.Distinct().Count());
        if (path.Contains("sort=title&dir=desc", StringComparison.Ordinal))
            Assert.Equal(titles.OrderByDescending(t => t, StringComparer.Ordinal), titles);
        if (path == "/topics/serving")
            Assert.Equal(Enumerable.Range(0, LongTopicSite.Papers).Select(i => $"Long Paper {i:D3}"), titles);
    }

    [Fact]
    public async Task SortedByCitations_UnknownCountsComeLastOnTheLastPage_AndTheSortIsKeptInPageLinks()
    {
        var first = await Html.GetOkAsync(_client, "/topics/serving?sort=citations");
        var counts = first.QuerySelectorAll("table.papers tbody .col-citations").Select(c => int.Parse(c.TextContent.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        var known = Enumerable.Range(0, LongTopicSite.Papers).Where(i => i % 10 != 9).Select(i => i * 7 % 1000).OrderDescending().ToList();
        Assert.Equal(known.Take(100), counts);
        Assert.Equal("/topics/serving?sort=citations&page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        var last = await Html.GetOkAsync(_client, "/topics/serving?sort=citations&page=3");
        var lastCounts = last.QuerySelectorAll("table.papers tbody .col-citations").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(Enumerable.Repeat("–", 25), lastCounts[^25..]);
    }

    [Theory]
    [InlineData("?page=0", 1)]
    [InlineData("?page=-5", 1)]
    [InlineData("?page=99999999", 3)]
    [InlineData("?page=2147483647", 3)]
    public async Task APageOutOfRange_ShowsTheNearestPage_NeverAnError(string query, int shown)
    {
        var doc = await Html.GetOkAsync(_client, "/topics/serving" + query);
        Assert.Equal(shown.ToString(CultureInfo.InvariantCulture), doc.QuerySelector(".pager [aria-current=page]")!.TextContent);
    }

    [Fact]
    public async Task APageThatIsNotANumber_IsABadRequestOrThePageItself_NeverAnError()
    {
        var response = await _client.GetAsync("/topics/serving?page=abc");
        Assert.True((int)response.StatusCode is 200 or 400, $"got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AKeywordPage_CountsEveryPaperAndTopic_NotOnlyThePageShown()
    {
        var doc = await Html.GetOkAsync(_client, "/keywords/everywhere");
        Assert.Equal(100, Titles(doc).Count);
        var meta = doc.QuerySelector(".page-head .meta")!.TextContent;
        Assert.Contains("250 papers carry this keyword, across 1 topic", meta, StringComparison.Ordinal);
        Assert.Equal("/keywords/everywhere?page=2", doc.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
    }
}
