using PaperCatalog.Importing;

namespace PaperCatalog.Tests.Importing;

/// <summary>
/// The shapes curators keep their lists in (hand-written fixtures in Shapes/, in the style of real lists: decorations,
/// odd spacing, HTML, headings with emoji, sections that are not papers): each is read into the right fields, or refused
/// with an error that names its lines, never imported as garbage.
/// </summary>
public sealed class ListShapeTests
{
    private static ParsedList Read(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Importing", "Shapes", name);
        return ListParser.Parse(File.ReadAllText(path), name);
    }

    private static ParsedPaper Paper(ParsedList list, string titleStart) =>
        Assert.Single(list.Papers, p => p.Title.StartsWith(titleStart, StringComparison.Ordinal));

    [Fact]
    public void DecoratedTable_KeywordTitleVenueAndOrgAreSplit_EmojiAndBadgesGone_CodeNeverThePdf()
    {
        var list = Read("decorated-table.md");
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(["Speculative Decoding", "KV Cache"], list.Topics.Select(t => t.Name));
        Assert.Equal(5, list.Papers.Count());

        var spec = Paper(list, "Fast Inference");
        Assert.Equal("Fast Inference from Transformers via Speculative Decoding", spec.Title);
        Assert.Equal("ICML 2023", spec.Venue);
        Assert.Equal("Google Research", spec.Affiliation);
        Assert.Equal(["Speculative Decoding"], spec.Keywords);
        Assert.Equal("https://arxiv.org/pdf/2211.17192.pdf", spec.PdfUrl);
        Assert.Equal("2211.17192", spec.ArxivId);
        Assert.Null(spec.CodeUrl); // "⚠️" is no link

        var medusa = Paper(list, "Medusa");
        Assert.Equal("Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads", medusa.Title);
        Assert.Equal("Princeton etc", medusa.Affiliation);
        Assert.Equal("https://github.com/FasterDecoding/Medusa", medusa.CodeUrl);
        Assert.Equal("2024.01", medusa.Published);

        // The code link came first in the paper cell; it is still the code, and the pdf is the pdf.
        var h2o = Paper(list, "H2O");
        Assert.Equal("https://arxiv.org/pdf/2306.14048.pdf", h2o.PdfUrl);
        Assert.Equal("https://github.com/FMInference/H2O", h2o.CodeUrl);
        Assert.Equal(["H2O"], h2o.Keywords);

        Assert.All(list.Papers, p => Assert.DoesNotContain(p.Title, c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherSymbol || char.IsSurrogate(c)));
        // The unknown column is said once for the whole list, and what was recognised is summed up.
        Assert.Single(list.Diagnostics, d => d.Message.Contains("'Recom'", StringComparison.Ordinal));
        Assert.Equal("table with columns Date, Title, Paper, Code (Recom ignored): 2 topics, 5 rows", list.Recognised);
    }

    [Fact]
    public void TableWithColumnsInAnotherOrderAndSynonyms_IsReadByHeaderNames()
    {
        var list = Read("reordered-table.md");
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
        var fa = Paper(list, "FlashAttention:");
        Assert.Equal("https://arxiv.org/abs/2205.14135", fa.PdfUrl);
        Assert.Equal("https://github.com/Dao-AILab/flash-attention", fa.CodeUrl);
        Assert.Equal("Stanford", fa.Affiliation);
        Assert.Equal("NeurIPS 2022", fa.Venue);
        Assert.Equal(["Tri Dao", "Daniel Y. Fu", "Stefano Ermon", "Atri Rudra", "Christopher Ré"], fa.Authors);
        Assert.Equal(1658, fa.Citations);
        Assert.Equal(["FlashAttention", "IO-aware"], fa.Keywords);
        Assert.Equal("2022.05", fa.Published);

        var fa2 = Paper(list, "FlashAttention-2");
        Assert.Equal("2023.07", fa2.Published);
        Assert.Equal("2307.08691", fa2.ArxivId);

        var longformer = Paper(list, "Longformer");
        Assert.Equal(["Iz Beltagy", "Matthew E. Peters", "Arman Cohan"], longformer.Authors);
        Assert.Null(longformer.Citations);
        Assert.Null(longformer.Venue);
        Assert.Single(list.Diagnostics, d => d.Message.Contains("'Stars'", StringComparison.Ordinal));
        Assert.StartsWith("table with columns Paper Name, Year, Link, Repo, Org, Conference, Authors, Cited by, Tags (Stars ignored): 2 topics, 3 rows", list.Recognised);
    }

    [Fact]
    public void BulletsWithBreaks_BecomePapersWithVenueAndLinks_AndLinkListsAreNotPapers()
    {
        var list = Read("bullets-br.md");
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(["Token Eviction", "Quantization"], list.Topics.Select(t => t.Name));
        Assert.Equal(5, list.Papers.Count());
        var h2o = Paper(list, "H2O");
        Assert.Equal("H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models", h2o.Title);
        Assert.Equal("NeurIPS 2023", h2o.Venue);
        Assert.Equal("https://arxiv.org/abs/2306.14048", h2o.PdfUrl);
        Assert.Equal("https://github.com/FMInference/H2O", h2o.CodeUrl);
        Assert.Equal("2023.06", h2o.Published); // from the arXiv id: the month of the first version
        Assert.Equal("SnapKV: LLM Knows What You are Looking for Before Generation", Paper(list, "SnapKV").Title);
        Assert.Equal("ICML 2024", Paper(list, "KIVI").Venue);
        Assert.Null(Paper(list, "KVQuant").CodeUrl);
        Assert.Equal("bullet lists: 2 topics, 5 rows", list.Recognised);
    }

    [Fact]
    public void BulletsWithAShortNameLink_JoinTheTitle_AndTheBarGivesVenueOrOrg()
    {
        var list = Read("bullets-short.md");
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
        var distserve = Paper(list, "DistServe");
        Assert.Equal("DistServe: Disaggregating Prefill and Decoding for Goodput-optimized Large Language Model Serving", distserve.Title);
        Assert.Equal("OSDI 2024", distserve.Venue);
        Assert.Null(distserve.Affiliation);
        Assert.Equal("https://arxiv.org/abs/2401.09670", distserve.PdfUrl);
        var mooncake = Paper(list, "Mooncake");
        Assert.Null(mooncake.Venue);
        Assert.Equal("Moonshot AI", mooncake.Affiliation);
        Assert.Equal("University of Washington", Paper(list, "Punica").Affiliation);
        Assert.Equal(5, list.Papers.Count());
    }

    [Fact]
    public void ATableWhoseRowsHaveNoPaperLinks_IsAnErrorNamingItsLines_NotAnImportOfGarbage()
    {
        var list = Read("unreadable.md");
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(7, error.Line);
        Assert.Contains("4 of the 4 rows", error.Message);
        Assert.Contains("lines 7, 8, 9", error.Message);
    }

    [Fact]
    public void ABulletListMostlyUnreadable_IsAnError()
    {
        var list = ListParser.Parse("""
            # List

            ## Papers

            - [](https://arxiv.org/abs/2401.00001)
            - [](https://arxiv.org/abs/2401.00002)
            - [](https://arxiv.org/abs/2401.00003)
            - A Real Title [pdf](https://arxiv.org/abs/2401.00004)
            """, "list.md");
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("bullet list", error.Message);
        Assert.Equal(5, error.Line);
    }

    [Theory]
    [InlineData("[[pdf]](https://arxiv.org/pdf/2401.1)", RowLinkKind.Paper)]
    [InlineData("[[code]](https://arxiv.org/abs/2401.1)", RowLinkKind.Paper)] // an arXiv address is the paper, whatever the label
    [InlineData("[[pdf]](https://github.com/kvcache-ai/Mooncake/blob/main/Mooncake-v1.pdf)", RowLinkKind.Paper)]
    [InlineData("[[Mooncake]](https://github.com/kvcache-ai/Mooncake)", RowLinkKind.Code)]
    [InlineData("[[blog]](https://github.com/microsoft/DeepSpeed/tree/master/blogs/deepspeed-fastgen)", RowLinkKind.Blog)]
    [InlineData("[[docs]](https://nvidia.github.io/TensorRT-LLM/)", RowLinkKind.Docs)]
    [InlineData("[intro](attention/mqa/README.md)", RowLinkKind.Intro)]
    [InlineData("[[pdf](https://doi.org/10.1145/3190508.3190541)]", RowLinkKind.Paper)]
    [InlineData("[back](#contents)", RowLinkKind.Anchor)]
    public void Links_AreClassifiedByWhereTheyPointAndTheirLabel(string text, RowLinkKind kind)
    {
        var link = Assert.Single(ListLinks.In(text));
        Assert.Equal(kind, link.Kind);
    }

    [Fact]
    public void BadgeImages_AreNotLinks()
    {
        Assert.Empty(ListLinks.In("![](https://img.shields.io/github/stars/x/y.svg?style=social)"));
    }

    [Fact]
    public void TheBundledList_IsReadWithItsAuthorsAndCode()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PaperCatalog.sln"))) root = root.Parent;
        var path = Path.Combine(root!.FullName, "data", "README.md");
        var list = ListParser.Parse(File.ReadAllText(path), path);
        Assert.Empty(list.Diagnostics);
        Assert.StartsWith("table with columns Keywords, Title, Authors, Paper, Code, Affiliation, Date, Citation: 6 topics", list.Recognised);
        Assert.All(list.Papers, p =>
        {
            Assert.NotNull(p.PdfUrl);
            Assert.NotNull(p.IntroLink);
            Assert.DoesNotContain("**", p.Title, StringComparison.Ordinal);
            Assert.True(p.CodeUrl is null || p.CodeUrl.StartsWith("https://github.com/", StringComparison.Ordinal), $"{p.Title}: code {p.CodeUrl}");
            Assert.DoesNotContain(p.Authors, a => a.Contains(',', StringComparison.Ordinal) || a.Length == 0);
        });
        // Authors are known for all but a few papers (a company-wide author list is left out); code wherever there is an official repository.
        Assert.True(list.Papers.Count(p => p.Authors.Count > 0) >= list.Papers.Count() - 3);
        Assert.True(list.Papers.Count(p => p.CodeUrl is not null) >= 40);
    }
}
