using System.Globalization;
using AngleSharp.Dom;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>/stats, the catalog's shape, over a generated catalog whose every count the test knows.</summary>
[Collection(GeneratedSiteCollection.Name)]
public sealed class ShapePageTests(GeneratedSite generated)
{
    private readonly HttpClient _client = generated.Site.CreateReader();

    /// <summary>A details table's rows as (first cell, other cells).</summary>
    private static List<(string Head, string[] Cells)> Rows(IElement table) =>
        table.QuerySelectorAll("tbody tr").Select(r => (r.QuerySelector("th").Text(), r.QuerySelectorAll("td").Select(d => d.Text()).ToArray())).ToList();

    private async Task<IDocument> PageAsync() => await Html.GetOkAsync(_client, "/stats");

    [Fact]
    public async Task EveryChart_IsAnAccessibleImage_NamedByItsTitleAndDescription_WithNoInlineStyleOrScript()
    {
        var page = await PageAsync();
        var charts = page.QuerySelectorAll("main svg");
        // Per year, one per topic, most cited, affiliations.
        Assert.Equal(3 + GeneratedSite.Topics.Length, charts.Length);
        foreach (var svg in charts)
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            var ids = svg.GetAttribute("aria-labelledby")!.Split(' ');
            Assert.Equal(2, ids.Length);
            Assert.Equal("title", page.GetElementById(ids[0])!.LocalName);
            Assert.Equal("desc", page.GetElementById(ids[1])!.LocalName);
            Assert.False(string.IsNullOrWhiteSpace(page.GetElementById(ids[1]).Text()));
            // The Content-Security-Policy refuses inline styles: colours come from the site's classes (and dark mode with them).
            Assert.Empty(svg.QuerySelectorAll("[style], style, script"));
            Assert.Null(svg.GetAttribute("style"));
            Assert.All(svg.QuerySelectorAll("[fill], [stroke]"), e => Assert.Fail("fixed colour on <" + e.LocalName + ">"));
        }
        Assert.Empty(page.QuerySelectorAll("main script"));
        // Each chart has its numbers as a table.
        Assert.Equal(4, page.QuerySelectorAll("main details.chart-table table").Length);
    }

    [Fact]
    public async Task PapersPerYear_AndPerTopic_CountEveryDatedPaper_WithEveryYearBetween()
    {
        var page = await PageAsync();
        var tables = page.QuerySelectorAll("main details.chart-table table");
        var dated = GeneratedSite.Papers.Where(p => p.Year is not null).ToList();
        var years = Enumerable.Range(dated.Min(p => p.Year!.Value), dated.Max(p => p.Year!.Value) - dated.Min(p => p.Year!.Value) + 1).ToList();
        Assert.Equal(years.Select(y => (y.ToString(CultureInfo.InvariantCulture), new[] { dated.Count(p => p.Year == y).ToString(CultureInfo.InvariantCulture) })),
            Rows(tables[0]).Select(r => (r.Head, r.Cells)));
        var perTopic = Rows(tables[1]);
        Assert.Equal(GeneratedSite.Topics, perTopic.Select(r => r.Head));
        foreach (var (topic, cells) in perTopic)
        {
            var expected = years.Select(y => dated.Count(p => p.Topic == topic && p.Year == y)).Append(dated.Count(p => p.Topic == topic));
            Assert.Equal(expected.Select(n => n.ToString(CultureInfo.InvariantCulture)), cells);
        }
        var undated = GeneratedSite.Papers.Count - dated.Count;
        Assert.Contains($"{undated} papers without a date", page.QuerySelector(".page-head .meta").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MostCited_AreTheHighestCounts_InOrder_LinkingTheirPapers()
    {
        var table = (await PageAsync()).QuerySelectorAll("main details.chart-table table")[2];
        var expected = GeneratedSite.Papers.Where(p => p.Citations > 0).OrderByDescending(p => p.Citations).Take(15).ToList();
        Assert.Equal(expected.Select(p => p.Title), table.QuerySelectorAll("tbody th a").Select(a => a.Text()));
        Assert.Equal(expected.Select(p => p.Citations!.Value.ToString("#,0", CultureInfo.InvariantCulture)), Rows(table).Select(r => r.Cells[^1]));
    }

    [Fact]
    public async Task Affiliations_AreSplitIntoNames_WithoutEtc_AndCaseSpaceAccentVariantsCountAsOne()
    {
        var table = (await PageAsync()).QuerySelectorAll("main details.chart-table table")[3];
        // Cells: "UC Berkeley, Stanford etc" (9), "uc  berkeley; MIT" (9), "stanford" (9), and "Université Paris-Saclay,
        // Universite Paris Saclay" (9: one name twice in a cell counts once). Ties go to the spelling sorted first.
        Assert.Equal(new[] { ("Stanford", "18"), ("UC Berkeley", "18"), ("MIT", "9"), ("Université Paris-Saclay", "9") },
            Rows(table).Select(r => (r.Head, r.Cells[0])));
    }

    [Fact]
    public async Task ShapePage_IsLinkedFromTheFooterAndTopics_AndServedFromTheOutputCache()
    {
        var home = await Html.GetOkAsync(_client, "/");
        Assert.NotNull(home.QuerySelector("footer a[href='/stats']"));
        Assert.NotNull((await Html.GetOkAsync(_client, "/topics")).QuerySelector("main a[href='/stats']"));
        await _client.GetAsync("/stats");
        var second = await _client.GetAsync("/stats");
        Assert.NotNull(second.Headers.Age);
    }
}
