using System.Text.Json;
using System.Xml.Linq;
using PaperCatalog.Testing;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// The exports of the hostile site (every vector is a title, an affiliation, an intro): the feeds stay well-formed
/// XML, the citations parse and give back the stored titles, and no search parameter, however hostile, breaks them.
/// </summary>
public sealed class ExportXssTests(HostileSite site) : IClassFixture<HostileSite>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly string[] SearchParameters = ["q", "topic", "venue", "sort", "page", "from", "to"];

    [Fact]
    public async Task HostileTopic_FeedIsWellFormedAtom_AndItsCitationsGiveBackEveryTitle()
    {
        var client = site.Factory.CreateReader();
        // The stored titles, in the list's order (the topic page shows only its first page of them).
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + site.Factory.DatabasePath + ";Mode=ReadOnly");
        await db.OpenAsync();
        using var read = db.CreateCommand();
        read.CommandText = "SELECT p.title FROM papers p JOIN topics t ON t.id = p.topic_id WHERE t.slug = 'hostile' ORDER BY p.position, p.id;";
        var titles = new List<string>();
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) titles.Add(reader.GetString(0));
        Assert.NotEmpty(titles);
        var feed = XDocument.Parse(await client.GetStringAsync("/topics/hostile/feed.atom"));
        Assert.All(feed.Root!.Elements(Atom + "entry"), e => Assert.Contains(e.Element(Atom + "title")!.Value, titles));
        var bib = BibTexParser.Parse(await client.GetStringAsync("/topics/hostile/citations.bib"));
        Assert.Equal(titles.Count, bib.Count);
        Assert.Equal(titles.Select(Controls), bib.Select(e => BibTexParser.Text(e.Fields["title"])));
        using var csl = JsonDocument.Parse(await client.GetStringAsync("/topics/hostile/citations.json"));
        Assert.Equal(titles.Count, csl.RootElement.GetArrayLength());
    }

    // BibTeX holds no control characters: the export writes each as a space.
    private static string Controls(string s) => string.Concat(s.Select(c => char.IsControl(c) ? ' ' : c));

    [Fact]
    public async Task EveryVector_InEverySearchParameter_OfTheSearchFeedAndExports_GivesWellFormedAnswers()
    {
        var client = site.Factory.CreateReader();
        var failures = new List<string>();
        var terms = new[] { "alert", "script", "onerror", "javascript" };
        foreach (var vector in XssVectors.All.Where((_, i) => i % 3 == 0).Concat(terms))
        {
            var e = Uri.EscapeDataString(vector);
            var all = string.Join('&', SearchParameters.Select(p => p + "=" + (p == "q" && terms.Contains(vector) ? vector : e)));
            foreach (var path in new[] { "/search/feed.atom", "/search/citations.bib", "/search/citations.ris", "/search/citations.json" })
            {
                var url = path + "?" + all;
                var response = await client.GetAsync(url);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != System.Net.HttpStatusCode.OK) { failures.Add($"{url} answered {(int)response.StatusCode}"); continue; }
                try
                {
                    if (path.EndsWith(".atom", StringComparison.Ordinal)) XDocument.Parse(text);
                    else if (path.EndsWith(".bib", StringComparison.Ordinal)) BibTexParser.Parse(text).ForEach(b => BibTexParser.Text(b.Fields["title"]));
                    else if (path.EndsWith(".json", StringComparison.Ordinal)) JsonDocument.Parse(text).Dispose();
                }
                catch (Exception ex) when (ex is System.Xml.XmlException or FormatException or JsonException)
                {
                    failures.Add($"{url}: {ex.Message}");
                }
            }
        }
        HtmlSafety.AssertNone(failures, "broken search exports");
    }
}
