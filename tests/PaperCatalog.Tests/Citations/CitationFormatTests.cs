using System.Text.Json;
using System.Text.RegularExpressions;
using PaperCatalog.Citations;
using PaperCatalog.Markdown;
using PaperCatalog.Testing;

namespace PaperCatalog.Tests.Citations;

/// <summary>The three citation formats, read back with a parser of each (BibTeX by <see cref="BibTexParser"/>).</summary>
public sealed class CitationFormatTests
{
    /// <summary>Every character LaTeX gives a meaning, with accents, CJK and an HTML-breaking string.</summary>
    private const string HardTitle = @"Q&A: 100% of $5 for #1 in a_b {x} ~y ^z \w — Größe 注意力 </script><b>";

    private static PaperRow Row(string title = "Fast Decoding", IReadOnlyList<string>? authors = null, string? venue = null, string? pdf = "https://arxiv.org/abs/2305.13245", string? published = "2023.05") => new()
    {
        Slug = Slugs.ForTitle(title),
        Title = title,
        Authors = authors ?? ["Ada Lovelace", "Hopper, Grace"],
        Venue = venue,
        PdfUrl = pdf,
        ArxivId = Identifiers.ArxivId(pdf),
        Published = published,
        Keywords = [new KeywordLink("KV cache", "kv-cache"), new KeywordLink("R&D", "r-d")],
    };

    private static CitedPaper Cited(PaperRow row) => new(CitationKeys.Of(new CitationKeys.Basis { Slug = row.Slug, Title = row.Title, Authors = string.Join('\n', row.Authors), Published = row.Published }), row);

    [Fact]
    public void BibTex_TitleAuthorsAndKeywordsWithLatexSpecialsAndNonAscii_ParseBackToWhatWasStored()
    {
        var row = Row(HardTitle, ["Zoë O'Brien & Co", "Müller, Jürgen", "Anders and Sons"], venue: "ICML_2024 #1");
        var entry = Assert.Single(BibTexParser.Parse(BibTex.Write([Cited(row)])));
        Assert.Equal(HardTitle, BibTexParser.Text(entry.Fields["title"]));
        Assert.Equal("ICML_2024 #1", BibTexParser.Text(entry.Fields["booktitle"]));
        Assert.Equal("KV cache, R&D", BibTexParser.Text(entry.Fields["keywords"]));
        // " and " separates people; a name holding the word is braced, so it stays one person.
        Assert.Equal(["Zoë O'Brien & Co", "Müller, Jürgen", "Anders and Sons"], SplitAuthors(entry.Fields["author"]));
    }

    /// <summary>Splits BibTeX's author list at " and " outside braces, as BibTeX does.</summary>
    private static List<string> SplitAuthors(string field)
    {
        var names = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '{') depth++;
            else if (field[i] == '}') depth--;
            else if (depth == 0 && string.CompareOrdinal(field, i, " and ", 0, 5) == 0)
            {
                names.Add(BibTexParser.Text(field[start..i]));
                start = i + 5;
            }
        }
        names.Add(BibTexParser.Text(field[start..]));
        return names;
    }

    [Fact]
    public void BibTex_AVenueMakesInproceedingsWithBooktitle_AnArxivPaperWithoutOneIsMiscWithEprint()
    {
        var entries = BibTexParser.Parse(BibTex.Write([Cited(Row("GQA: Grouped", venue: "EMNLP 2023")), Cited(Row("Medusa: Heads"))]));
        Assert.Equal("inproceedings", entries[0].Type);
        Assert.Equal("EMNLP 2023", entries[0].Fields["booktitle"]);
        Assert.Equal("misc", entries[1].Type);
        Assert.False(entries[1].Fields.ContainsKey("booktitle"));
        foreach (var e in entries)
        {
            Assert.Equal("2305.13245", e.Fields["eprint"]);
            Assert.Equal("arXiv", e.Fields["archiveprefix"]);
            Assert.Equal("2023", e.Fields["year"]);
            Assert.Equal("may", e.Fields["month"]); // BibTeX's month macro, unbraced
            Assert.Equal("https://arxiv.org/abs/2305.13245", e.Fields["url"]);
        }
    }

    [Fact]
    public void BibTex_UnknownAuthorsAndDate_AreLeftOut_AndADoiLinkGivesTheDoi()
    {
        var entry = Assert.Single(BibTexParser.Parse(BibTex.Write([Cited(Row(authors: [], pdf: "https://doi.org/10.1145/3600006.3613165", published: null))])));
        Assert.False(entry.Fields.ContainsKey("author"));
        Assert.False(entry.Fields.ContainsKey("year"));
        Assert.False(entry.Fields.ContainsKey("eprint"));
        Assert.Equal("10.1145/3600006.3613165", entry.Fields["doi"]);
    }

    [Fact]
    public void BibTex_CapitalsInsideWords_AreBracedSoStylesKeepThem()
    {
        var entry = Assert.Single(BibTexParser.Parse(BibTex.Write([Cited(Row("FlashAttention makes LLM decoding fast"))])));
        Assert.Equal("{FlashAttention} makes {LLM} decoding fast", entry.Fields["title"]);
    }

    [Fact]
    public void Ris_EveryLineIsATaggedLine_RecordsStartWithTyAndEndWithEr_AndValuesRoundTrip()
    {
        var text = Ris.Write([Cited(Row(HardTitle + "\nsecond line", venue: "NeurIPS 2024")), Cited(Row("Medusa: Heads", pdf: null))]);
        var lines = text.Split("\r\n");
        Assert.Equal("", lines[^1]);
        var records = new List<List<(string Tag, string Value)>>();
        foreach (var line in lines[..^1])
        {
            var m = Regex.Match(line, "^([A-Z][A-Z0-9])  - (.*)$");
            Assert.True(m.Success, $"not a RIS line: '{line}'");
            if (m.Groups[1].Value == "TY") records.Add([]);
            records[^1].Add((m.Groups[1].Value, m.Groups[2].Value));
        }
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal("ER", r[^1].Tag));
        var first = records[0].ToLookup(t => t.Tag, t => t.Value);
        Assert.Equal("CONF", first["TY"].Single());
        Assert.Equal(HardTitle + " second line", first["TI"].Single());
        Assert.Equal(["Ada Lovelace", "Hopper, Grace"], first["AU"]);
        Assert.Equal("NeurIPS 2024", first["T2"].Single());
        Assert.Equal("2023/05/", first["DA"].Single());
        Assert.Equal(["KV cache", "R&D"], first["KW"]);
        Assert.Equal("GEN", records[1].ToLookup(t => t.Tag, t => t.Value)["TY"].Single());
    }

    [Fact]
    public void CslJson_IsAnArrayOfCslItems_WithNamesSplit_AndNothingThatCanCloseAScriptElement()
    {
        var text = CslJson.Write([Cited(Row(HardTitle, ["Michiel de Jong", "Hopper, Grace", "DeepSeek-AI"], venue: "ICLR 2024")), Cited(Row("Medusa: Heads"))]);
        Assert.DoesNotContain("</", text);
        using var json = JsonDocument.Parse(text);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var first = items[0];
        Assert.Equal("paper-conference", first.GetProperty("type").GetString());
        Assert.Equal(HardTitle, first.GetProperty("title").GetString());
        Assert.Equal("ICLR 2024", first.GetProperty("container-title").GetString());
        var authors = first.GetProperty("author").EnumerateArray().ToList();
        Assert.Equal(("de Jong", "Michiel"), (authors[0].GetProperty("family").GetString(), authors[0].GetProperty("given").GetString()));
        Assert.Equal(("Hopper", "Grace"), (authors[1].GetProperty("family").GetString(), authors[1].GetProperty("given").GetString()));
        Assert.Equal("DeepSeek-AI", authors[2].GetProperty("literal").GetString());
        Assert.Equal([2023, 5], first.GetProperty("issued").GetProperty("date-parts")[0].EnumerateArray().Select(n => n.GetInt32()));
        var second = items[1];
        Assert.Equal("article", second.GetProperty("type").GetString());
        Assert.Equal("arXiv", second.GetProperty("publisher").GetString());
        Assert.Equal("arXiv:2305.13245", second.GetProperty("number").GetString());
        Assert.Equal(second.GetProperty("id").GetString(), second.GetProperty("citation-key").GetString());
    }

    [Fact]
    public void CitationKeys_AreSurnameYearAndFirstTitleWord_InAscii()
    {
        Assert.Equal("lovelace2023fast", Cited(Row()).Key);
        Assert.Equal("muller2023gqa", Cited(Row("GQA: Training Generalized", ["Jürgen Müller"])).Key);
        Assert.Equal("dejong2023the", Cited(Row("The Towards", ["Michiel de Jong"])).Key); // only stop words: the first
        Assert.Equal("flashattention", Cited(Row("FlashAttention", [], published: null)).Key);
        Assert.Equal("paper2023", Cited(Row("注意力 机制", ["张三"])).Key);
    }

    [Fact]
    public void CitationKeys_ThatCollide_AreToldApartInTheOrderPapersJoined_SoALaterPaperNeverTakesAnEarlierKey()
    {
        CitationKeys.Basis Paper(string slug, string added) => new() { Slug = slug, Title = "Fast decoding " + slug, Authors = "Ada Lovelace", Published = "2023.05", AddedAt = added };
        var first = CitationKeys.Assign([Paper("b", "2024-01-01T00:00:00Z"), Paper("a", "2024-01-01T00:00:00Z")]);
        Assert.Equal("lovelace2023fast", first["a"]);
        Assert.Equal("lovelace2023fastb", first["b"]);
        // A newer paper with the same key (and a slug that sorts first) comes after both.
        var later = CitationKeys.Assign([Paper("b", "2024-01-01T00:00:00Z"), Paper("0", "2025-01-01T00:00:00Z"), Paper("a", "2024-01-01T00:00:00Z")]);
        Assert.Equal(first["a"], later["a"]);
        Assert.Equal(first["b"], later["b"]);
        Assert.Equal("lovelace2023fastc", later["0"]);
    }

    [Fact]
    public void IntroSummary_IsTheFirstParagraphAsPlainText_WithMathWrittenAsText()
    {
        var html = new MarkdownRenderer().Render("# Title\n\nMemory falls from $O(n^2)$ to $O(\\sqrt{n})$ with **tiling** & <care>.\n\nSecond paragraph.");
        Assert.Equal("Memory falls from O(n^2) to O(√n) with tiling & <care>.", IntroSummary.FirstParagraph(html));
        Assert.Null(IntroSummary.FirstParagraph("<h1>Only a heading</h1>"));
        var longText = IntroSummary.FirstParagraph("<p>" + string.Join(' ', Enumerable.Repeat("word", 200)) + "</p>")!;
        Assert.True(longText.Length <= IntroSummary.MaxLength);
        Assert.EndsWith("word…", longText);
    }
}
