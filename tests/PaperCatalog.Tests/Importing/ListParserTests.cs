using PaperCatalog.Importing;

namespace PaperCatalog.Tests.Importing;

public sealed class ListParserTests
{
    private static ParsedList Parse(string text) => ListParser.Parse(text, "list.md");

    private static ParsedPaper Single(string row)
    {
        var list = Parse(Lists.OneTopic(row));
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
        return Assert.Single(list.Papers);
    }

    [Fact]
    public void Parse_TitleWithVenueSuffix_SplitsTitleAndVenue()
    {
        var paper = Single(Lists.Gqa);
        Assert.Equal("GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints", paper.Title);
        Assert.Equal("EMNLP 2023", paper.Venue);
    }

    [Fact]
    public void Parse_AHashThatEndsAWord_IsKept_WhileAHeadingsClosingHashesGo()
    {
        var list = Parse(Lists.OneTopic(
            "| QuIP#, C# | **QuIP#: Even Better LLM Quantization with Hadamard Incoherence and Lattice Codebooks** | [[pdf](https://arxiv.org/abs/2402.04396)] | Cornell | 2024.02 | 1 |")
            .Replace("## Attention", "## Attention ##", StringComparison.Ordinal));
        var paper = Assert.Single(list.Papers);
        Assert.Equal(["QuIP#", "C#"], paper.Keywords);
        Assert.StartsWith("QuIP#:", paper.Title, StringComparison.Ordinal);
        Assert.Equal("Attention", Assert.Single(list.Topics).Name);
    }

    [Theory]
    [InlineData("Serving ##", "Serving")]
    [InlineData("Serving", "Serving")]
    [InlineData("QuIP#", "QuIP#")]
    [InlineData("#", "")]
    [InlineData("C# #", "C#")]
    public void WithoutClosingHashes_FollowsCommonMarksClosingSequence(string text, string expected) =>
        Assert.Equal(expected, ListParser.WithoutClosingHashes(text));

    [Fact]
    public void Parse_TitleWithoutVenue_HasNoVenue()
    {
        var paper = Single(Lists.Mqa);
        Assert.Null(paper.Venue);
    }

    [Fact]
    public void Parse_KeywordCellWithComma_IsTwoKeywords()
    {
        var paper = Single("| vLLM, PagedAttention | **Efficient Memory Management for Large Language Model Serving with PagedAttention** [SOSP 2023] | [[pdf](https://arxiv.org/abs/2309.06180)] | UC Berkeley | 2023.09 | 496 |");
        Assert.Equal(["vLLM", "PagedAttention"], paper.Keywords);
    }

    [Fact]
    public void Parse_OneKeywordOnUnrelatedPapers_BothCarryIt()
    {
        var list = Parse(Lists.OneTopic(
            "| OneBit | **OneBit: Towards Extremely Low-bit Large Language Models** | [[pdf](https://arxiv.org/abs/2402.11295)] | THU, HIT | 2024.02 | 4 |",
            "| OneBit | **The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits** | [[pdf](https://arxiv.org/abs/2402.17764)] | Microsoft, UCAS | 2024.02 | 39 |"));
        Assert.All(list.Papers, p => Assert.Equal(["OneBit"], p.Keywords));
        Assert.Equal(2, list.Papers.Count());
    }

    [Fact]
    public void Parse_EmptyCitationCell_IsUnknownNotZero()
    {
        var paper = Single("| LazyLLM | **LazyLLM: Dynamic Token Pruning for Efficient Long Context LLM Inference** | [[pdf](https://arxiv.org/abs/2407.14057)] | Apple, Meta | 2024.07 | |");
        Assert.Null(paper.Citations);
        Assert.Equal("2024.07", paper.Published);
    }

    [Fact]
    public void Parse_StrayAndDoubledSpaces_AreCollapsed()
    {
        var paper = Single("|  MQA   |   **Fast  Transformer Decoding:   One Write-Head is All You Need**   | [[pdf](https://arxiv.org/abs/1911.02150)]  |  Google   Brain |  2019.11  |   252 |");
        Assert.Equal("Fast Transformer Decoding: One Write-Head is All You Need", paper.Title);
        Assert.Equal("Google Brain", paper.Affiliation);
        Assert.Equal(252, paper.Citations);
    }

    [Fact]
    public void Parse_LowercaseTitle_IsKeptAsWritten()
    {
        var paper = Single("| Cellular Batching | **Low latency rnn inference with cellular batching** [EuroSys 2018] | [[pdf](https://dl.acm.org/doi/10.1145/3190508.3190541)] | THU, NYU | 2018.04 | 97 |");
        Assert.Equal("Low latency rnn inference with cellular batching", paper.Title);
        Assert.Equal("EuroSys 2018", paper.Venue);
    }

    [Theory]
    [InlineData("https://arxiv.org/abs/2311.17192", "2311.17192")]
    [InlineData("https://arxiv.org/abs/2311.17192v2", "2311.17192")]
    [InlineData("https://arxiv.org/pdf/2311.17192", "2311.17192")]
    [InlineData("https://arxiv.org/pdf/2311.17192v3.pdf", "2311.17192")]
    [InlineData("http://arxiv.org/pdf/1911.02150.pdf", "1911.02150")]
    [InlineData("https://www.usenix.org/conference/osdi22/presentation/yu", null)]
    [InlineData("https://dl.acm.org/doi/10.1145/3190508.3190541", null)]
    public void Parse_ArxivLinkInAnyForm_GivesVersionlessId(string url, string? expected)
    {
        var paper = Single($"| X | **Some Paper** | [[pdf]({url})] | Lab | 2023.11 | 1 |");
        Assert.Equal(expected, paper.ArxivId);
        Assert.Equal(url, paper.PdfUrl);
    }

    [Fact]
    public void Parse_TopicHeadingWithNoTable_IsNotATopic()
    {
        var text = "# List\n\n## Contents\n\n- [Attention](#attention)\n\n## Attention\n\n" + Lists.Header + Lists.Mqa + "\n\n## Contributing\n\nPull requests welcome.\n";
        var list = Parse(text);
        var topic = Assert.Single(list.Topics);
        Assert.Equal("Attention", topic.Name);
        Assert.Empty(list.Diagnostics);
    }

    [Fact]
    public void Parse_TopicHeadingWithCitationDateButNoTable_IsAnEmptyTopic()
    {
        var text = "## Attention\n\n" + Lists.Header + Lists.Mqa + "\n\n## Decoding\n\nLast update of citation was on 1st September, 2024.\n\nComing soon.\n";
        var list = Parse(text);
        Assert.Equal(["Attention", "Decoding"], list.Topics.Select(t => t.Name));
        Assert.Empty(list.Topics[1].Papers);
        Assert.Equal(new DateOnly(2024, 9, 1), list.Topics[1].CitationDate);
    }

    [Theory]
    [InlineData("28th July, 2024", 2024, 7, 28)]
    [InlineData("23rd Jan, 2025", 2025, 1, 23)]
    [InlineData("1st September, 2024", 2024, 9, 1)]
    [InlineData("20th Oct, 2024", 2024, 10, 20)]
    [InlineData("2nd Sept 2024", 2024, 9, 2)]
    [InlineData("5 August 2024", 2024, 8, 5)]
    public void Parse_CitationDateInCuratorsWords_IsRead(string text, int year, int month, int day)
    {
        var list = Parse($"## Attention\n\nLast update of citation was on {text}.\n\n" + Lists.Header + Lists.Mqa + "\n");
        Assert.Equal(new DateOnly(year, month, day), Assert.Single(list.Topics).CitationDate);
        Assert.Empty(list.Diagnostics);
    }

    [Fact]
    public void Parse_CitationDateThatIsNotADate_IsAnErrorWithLine()
    {
        var list = Parse("## Attention\n\nLast update of citation was on 31st Smarch, 2024.\n\n" + Lists.Header + Lists.Mqa + "\n");
        var error = Assert.Single(list.Diagnostics);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal(3, error.Line);
        Assert.Contains("31st Smarch, 2024", error.Message);
    }

    [Fact]
    public void Parse_HeadingsTocHtmlAndProseAroundTables_AreIgnored()
    {
        var text = """
            # Awesome <mark>LLM</mark> Inference

            <p align="center"><img src="logo.png"></p>

            Some prose with a | pipe that is not a table.

            ## Table of Contents
            - [Attention](#attention)
            - [Quantization](#quantization)

            ## <mark>Attention</mark>

            Last update of citation was on <mark>28th July, 2024</mark>.

            Upcoming topics include: FlashDecoding, QLoRA

            |Keywords | Title | Paper | Affiliation | Date | Citation|
            |---|---|---|---|---|---|
            | <mark>MQA</mark> | **Fast Transformer Decoding: One Write-Head is All You Need** | [[pdf](https://arxiv.org/abs/1911.02150)] | Google | 2019.11 | 252 |

            A note under the table.

            ```
            | not | a | table |
            |---|---|---|
            ```

            ## Quantization

            |Keywords | Title | Paper | Affiliation | Date | Citation|
            |---|---|---|---|---|---|
            | SmoothQuant | **SmoothQuant: Accurate and Efficient Post-Training Quantization for Large Language Models** [ICML 2023] | [[pdf](https://arxiv.org/abs/2211.10438)] | MIT, NVIDIA | 2022.11 | 382 |
            """;
        var list = Parse(text);
        Assert.Equal("Awesome LLM Inference", list.Title);
        Assert.StartsWith("<p align=\"center\">", list.Description);
        Assert.EndsWith("Some prose with a | pipe that is not a table.", list.Description); // it ends at the first "##" heading
        Assert.Equal(["Attention", "Quantization"], list.Topics.Select(t => t.Name));
        Assert.Equal(["FlashDecoding", "QLoRA"], list.Topics[0].Upcoming);
        Assert.Equal(["MQA"], list.Topics[0].Papers.Single().Keywords);
        Assert.Single(list.Topics[1].Papers);
        Assert.Empty(list.Diagnostics);
    }

    [Fact]
    public void Parse_RowMissingAffiliation_KeepsDateAndCitationsWithWarning()
    {
        // The seed's MQA row: the affiliation cell is gone, so the date sits in the Affiliation column.
        var list = Parse(Lists.OneTopic("| MQA | **Fast Transformer Decoding: One Write-Head is All You Need** | [[pdf](https://arxiv.org/abs/1911.02150)] | 2019.11 | 252 | |"));
        var paper = Assert.Single(list.Papers);
        Assert.Null(paper.Affiliation);
        Assert.Equal("2019.11", paper.Published);
        Assert.Equal(252, paper.Citations);
        var warning = Assert.Single(list.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(9, warning.Line);
        Assert.Contains("no affiliation", warning.Message);
    }

    [Fact]
    public void Parse_SeedRowsWithoutLeadingPipe_AreRead()
    {
        var text = "## Attention\n\nKeywords | Title | Paper | Affiliation | Date | Citation |\n---|---|---|---|---|---|\n" +
                   "GQA | GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints [EMNLP 2023] | [pdf] [intro] | 2023.05 | 335 | |\n" +
                   "ALiBi | Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation [ICLR 2022] | [pdf] [intro] | UW, Facebook, Allen Institute | 2021.08 | 523 |\n";
        var list = Parse(text);
        Assert.Equal(2, list.Papers.Count());
        var gqa = list.Papers.First();
        Assert.Equal("EMNLP 2023", gqa.Venue);
        Assert.Equal("2023.05", gqa.Published);
        Assert.Equal(335, gqa.Citations);
        var alibi = list.Papers.Last();
        Assert.Equal("UW, Facebook, Allen Institute", alibi.Affiliation);
        Assert.Equal("ICLR 2022", alibi.Venue);
        Assert.DoesNotContain(list.Diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Parse_RowWithTooFewCells_IsAnErrorWithLine()
    {
        var list = Parse(Lists.OneTopic(Lists.Mqa, "| GQA | **GQA** | 2023.05 |"));
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(10, error.Line);
        Assert.Equal("list.md", error.File);
        Assert.Contains("3 cells", error.Message);
    }

    [Fact]
    public void Parse_DateThatIsNotADate_IsAnError()
    {
        var list = Parse(Lists.OneTopic("| MQA | **Fast Transformer Decoding** | [[pdf](https://arxiv.org/abs/1911.02150)] | Google | Nov 2019 | 252 |"));
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("'Nov 2019' is not a date", error.Message);
        Assert.Empty(list.Papers);
    }

    [Fact]
    public void Parse_CitationThatIsNotANumber_IsAnError()
    {
        var list = Parse(Lists.OneTopic("| MQA | **Fast Transformer Decoding** | [[pdf](https://arxiv.org/abs/1911.02150)] | Google | 2019.11 | lots |"));
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("'lots' is not a number", error.Message);
    }

    [Fact]
    public void Parse_CitationWithThousandsSeparator_IsReadWithWarning()
    {
        var list = Parse(Lists.OneTopic("| RoPE | **RoFormer: Enhanced Transformer with Rotary Position Embedding** | [[pdf](https://arxiv.org/abs/2104.09864)] | Zhuiyi | 2021.04 | 1,337 |"));
        Assert.Equal(1337, list.Papers.Single().Citations);
        Assert.Equal(Severity.Warning, Assert.Single(list.Diagnostics).Severity);
    }

    [Fact]
    public void Parse_SeveralBadRows_ReportsEveryOne()
    {
        var list = Parse(Lists.OneTopic(
            "| A | **A** | [[pdf](https://a.example)] | Lab | 2023.13 | 1 |",
            Lists.Mqa,
            "| B | **B** | [[pdf](https://b.example)] | Lab | 2023.01 | x |",
            "| C |"));
        Assert.Equal([9, 11, 12], list.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Line));
        Assert.Single(list.Papers);
    }

    [Fact]
    public void Parse_PaperCell_ReadsPdfAndOptionalIntro()
    {
        var list = Parse(Lists.OneTopic(
            "| A | **A** | [[pdf](https://arxiv.org/abs/2401.00001)] [[intro](a/README.md)] | Lab | 2024.01 | 1 |",
            "| B | **B** | [[pdf](https://arxiv.org/abs/2401.00002)] | Lab | 2024.01 | 1 |"));
        Assert.Equal("a/README.md", list.Papers.First().IntroLink);
        Assert.Null(list.Papers.Last().IntroLink);
    }

    [Fact]
    public void Parse_EscapedPipeInTitle_StaysInTheTitle()
    {
        var paper = Single("| X | **Either \\| Or: A Study** | [[pdf](https://x.example)] | Lab | 2024.01 | 3 |");
        Assert.Equal("Either | Or: A Study", paper.Title);
    }

    [Fact]
    public void Parse_NoTableAtAll_IsAnError()
    {
        var list = Parse("# Just prose\n\nNothing here.\n");
        Assert.True(list.HasErrors);
    }

    [Fact]
    public void Parse_UpcomingTopicsLine_IsReadPerTopic()
    {
        var list = Parse("## Quantization\n\nLast update of citation was on 5th July, 2024.\n\nUpcoming topics include: QLoRA\n\n" + Lists.Header + Lists.Mqa + "\n");
        Assert.Equal(["QLoRA"], list.Topics.Single().Upcoming);
    }

    [Fact]
    public void Parse_TitleBelowTheFirstTopic_DescriptionStartsAtTheTitleInsteadOfThrowing()
    {
        // Found by the importer fuzz test: a "## Topic" above the "# Title" made the description a negative range.
        var text = "## Attention\n\nA list moved below its first topic.\n\n# Test list\n\nWhat the list is about.\n\n## Quantization\n\n"
            + Lists.Header + Lists.Mqa + "\n";
        var list = Parse(text);
        Assert.Equal("Test list", list.Title);
        Assert.Equal("What the list is about.", list.Description);
        Assert.Equal(["Quantization"], list.Topics.Select(t => t.Name));
        Assert.Single(list.Papers);
    }

    [Theory]
    [InlineData("| A | **A** | [[pdf](https://a.example)] | Lab | \u0662\u0660\u0662\u0663.01 | 1 |", 9, "date '")]
    [InlineData("| A | **A** | [[pdf](https://a.example)] | Lab | 2023.\u0660\u0661 | 1 |", 9, "date '")]
    [InlineData("Last update of citation was on \u0662\u0668th July, 2024.", 9, "citation date '")]
    [InlineData("Last update of citation was on July 2, \u0662\u0660\u0662\u0664", 9, "citation date '")]
    public void Parse_DigitsOfAnotherScript_AreAnErrorNotACrash(string line, int lineNo, string message)
    {
        // Found by the importer fuzz test: \d matched Arabic-Indic digits that int.Parse then refused with a FormatException.
        var list = Parse(Lists.OneTopic(line));
        var error = Assert.Single(list.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(lineNo, error.Line);
        Assert.StartsWith(message, error.Message);
    }
}
