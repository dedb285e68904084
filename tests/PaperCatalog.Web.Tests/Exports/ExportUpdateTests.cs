using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using PaperCatalog.Testing;
using PaperCatalog.Web.Tests.Infrastructure;
using PaperCatalog.Web.Tests.Submissions;

namespace PaperCatalog.Web.Tests.Exports;

/// <summary>The exports after a paper is approved through the real forms: the feeds, the citations and the paper's metadata.</summary>
public sealed class ExportUpdateTests : IDisposable
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Every character LaTeX gives a meaning, one that could close a script element, accents and CJK.</summary>
    private const string Title = @"Q&A </script><b> 100% of $5 for #1 in a_b {x} ~y ^z \w — Größe 注意力";

    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<string> ApproveAsync()
    {
        var values = SubmissionFlowTests.Paper(Title);
        values["Input.Authors"] = "Ada Lovelace; Hopper, Grace";
        values["Input.Intro"] = "# " + Title + "\n\nMemory falls from $O(n^2)$ to $O(\\sqrt{n})$ with **tiling**.\n\nA second paragraph.";
        Assert.Equal(HttpStatusCode.Redirect, (await SubmissionFlowTests.SubmitAsync(_site.CreateReader(), values)).StatusCode);
        var moderator = await _site.SignedInAsync();
        var review = await Html.GetOkAsync(moderator, (await Html.GetOkAsync(moderator, "/admin")).QuerySelector(".queue-item h2 a")!.GetAttribute("href")!);
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approved = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>(), form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
        return await Decisions.PaperPathAsync(moderator, approved);
    }

    private static async Task<List<XElement>> EntriesAsync(HttpClient client, string url) =>
        XDocument.Parse(await client.GetStringAsync(url)).Root!.Elements(Atom + "entry").ToList();

    [Fact]
    public async Task Feeds_AfterAnApproval_StartWithTheNewPaper_AndKeepEveryOtherEntryId()
    {
        var reader = _site.CreateReader();
        var before = (await EntriesAsync(reader, "/topics/llm-inference/feed.atom")).Select(e => e.Element(Atom + "id")!.Value).ToList();
        await EntriesAsync(reader, "/feed.atom"); // read once, so the answer is in the output cache

        var page = await ApproveAsync();

        foreach (var feed in new[] { "/feed.atom", "/topics/llm-inference/feed.atom", "/keywords/treedraft/feed.atom", "/search/feed.atom?q=tiling" })
        {
            var first = (await EntriesAsync(reader, feed))[0];
            Assert.Equal("http://localhost" + page, first.Element(Atom + "id")!.Value);
            Assert.Equal(Title, first.Element(Atom + "title")!.Value);
            Assert.Equal(["Ada Lovelace", "Hopper, Grace"], first.Elements(Atom + "author").Select(a => a.Element(Atom + "name")!.Value));
            Assert.Contains("<strong>tiling</strong>", first.Element(Atom + "content")!.Value);
            Assert.Equal("Memory falls from O(n^2) to O(√n) with tiling.", first.Element(Atom + "summary")!.Value);
        }
        var after = (await EntriesAsync(reader, "/topics/llm-inference/feed.atom")).Select(e => e.Element(Atom + "id")!.Value).ToList();
        Assert.Equal(before, after.Skip(1));
    }

    [Fact]
    public async Task ApprovedPaper_WithLatexSpecialsAndScriptInItsTitle_RoundTripsThroughEveryFormatAndTheMetadata()
    {
        var page = await ApproveAsync();
        var reader = _site.CreateReader();

        var entry = Assert.Single(BibTexParser.Parse(await reader.GetStringAsync(page + "/citation.bib")));
        Assert.Equal(Title, BibTexParser.Text(entry.Fields["title"]));
        Assert.Equal("Ada Lovelace and Hopper, Grace", BibTexParser.Text(entry.Fields["author"]));
        Assert.Equal("inproceedings", entry.Type);
        Assert.Equal("NeurIPS 2025", entry.Fields["booktitle"]);
        Assert.Equal("2411.01234", entry.Fields["eprint"]);
        using var csl = JsonDocument.Parse(await reader.GetStringAsync(page + "/citation.json"));
        Assert.Equal(Title, csl.RootElement[0].GetProperty("title").GetString());
        Assert.Contains("TI  - " + Title + "\r\n", await reader.GetStringAsync(page + "/citation.ris"));

        var doc = await Html.GetOkAsync(reader, page);
        Assert.Equal(Title, doc.Head!.QuerySelector("meta[name=citation_title]")!.GetAttribute("content"));
        Assert.Equal(["Ada Lovelace", "Hopper, Grace"], doc.Head.QuerySelectorAll("meta[name=citation_author]").Select(m => m.GetAttribute("content")));
        Assert.Equal("NeurIPS 2025", doc.Head.QuerySelector("meta[name=citation_conference_title]")!.GetAttribute("content"));
        Assert.Equal("Memory falls from O(n^2) to O(√n) with tiling.", doc.Head.QuerySelector("meta[name=description]")!.GetAttribute("content"));
        // "</script>" in the title stays inside the JSON-LD (escaped), and nothing it carries became an element.
        using var jsonLd = JsonDocument.Parse(Assert.Single(doc.QuerySelectorAll("script[type='application/ld+json']")).TextContent);
        Assert.Equal(Title, jsonLd.RootElement.GetProperty("name").GetString());
        Assert.Empty(doc.Head.QuerySelectorAll("b"));
        Assert.Equal(Title, BibTexParser.Text(Assert.Single(BibTexParser.Parse(doc.QuerySelector("section.cite pre")!.TextContent)).Fields["title"]));
    }
}
