using PaperCatalog.Importing;

namespace PaperCatalog.Tests.Papers;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("https://arxiv.org/abs/2305.13245", "2305.13245")]
    [InlineData("https://arxiv.org/pdf/2305.13245", "2305.13245")]
    [InlineData("https://arxiv.org/pdf/2305.13245v3.pdf", "2305.13245")]
    [InlineData("http://www.arxiv.org/abs/2305.13245v1", "2305.13245")]
    [InlineData("https://export.arxiv.org/abs/2305.13245/", "2305.13245")]
    [InlineData("arXiv:2305.13245v2", "2305.13245")]
    [InlineData("2305.13245", "2305.13245")]
    [InlineData("https://arxiv.org/abs/cs/0112017", "cs/0112017")]
    [InlineData("10.48550/arXiv.2305.13245", "2305.13245")] // arXiv's own DOI names the same paper
    [InlineData("https://doi.org/10.48550/ARXIV.2305.13245", "2305.13245")]
    [InlineData("https://arxiv.org/pdf/cs/0112017v1.pdf", "cs/0112017")]
    [InlineData("https://arxiv.org/abs/math.GT/0309136", "math.gt/0309136")]
    [InlineData("https://arxiv.org/abs/0704.0001", "0704.0001")]
    [InlineData("https://arxiv.org/abs/2305.13245?context=cs.CL", "2305.13245")]
    [InlineData("https://arxiv.org/html/2305.13245v2#S3", "2305.13245")]
    [InlineData("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001")]
    public void ArxivId_IsTheSame_HoweverItIsLinked(string link, string id) => Assert.Equal(id, Identifiers.ArxivId(link));

    [Theory]
    [InlineData("2305.13245", "https://arxiv.org/abs/2305.13245")]
    [InlineData(" arXiv:2305.13245v2 ", "https://arxiv.org/abs/2305.13245")]
    [InlineData("hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001")]
    [InlineData("10.1145/3600006.3613165", "https://doi.org/10.1145/3600006.3613165")]
    [InlineData("doi:10.18653/v1/2023.EMNLP-main.298", "https://doi.org/10.18653/v1/2023.EMNLP-main.298")]
    [InlineData("10.1002/(SICI)1097-4571", "https://doi.org/10.1002/%28SICI%291097-4571")]
    [InlineData("https://arxiv.org/pdf/2305.13245v3.pdf", "https://arxiv.org/pdf/2305.13245v3.pdf")]
    [InlineData("https://example.org/paper", "https://example.org/paper")]
    [InlineData("not a link", "not a link")]
    public void PaperLink_TurnsABareArxivIdOrDoi_IntoItsAddress_AndLeavesTheRestAsTyped(string typed, string link) =>
        Assert.Equal(link, Identifiers.PaperLink(typed));

    [Theory]
    [InlineData("2305.13245")]
    [InlineData("hep-th/9901001")]
    [InlineData("10.1145/3600006.3613165")]
    public void PaperLink_KeepsTheIdentity_SoDuplicatesAreStillFound(string typed)
    {
        Assert.Equal(Identifiers.ArxivId(typed), Identifiers.ArxivId(Identifiers.PaperLink(typed)));
        Assert.Equal(Identifiers.Doi(typed), Identifiers.Doi(Identifiers.PaperLink(typed)));
    }

    [Theory]
    [InlineData("https://example.org/paper.pdf")]
    [InlineData("https://arxiv.org/list/cs.CL/recent")]
    [InlineData("")]
    [InlineData("not a link")]
    public void ArxivId_IsNull_ForOtherLinks(string link) => Assert.Null(Identifiers.ArxivId(link));

    [Theory]
    [InlineData("https://arxiv.org/abs/cs/0112017", "https://arxiv.org/pdf/cs/0112017v1.pdf")]
    [InlineData("https://arxiv.org/pdf/2305.13245v2.pdf", "arXiv:2305.13245")]
    [InlineData("https://arxiv.org/abs/hep-th/9901001", "http://export.arxiv.org/abs/hep-th/9901001v3")]
    public void ArxivId_OfAListRow_IsTheIdASubmissionOfTheSamePaperGets(string link, string submitted)
    {
        // Reproduction: the list's own extractor missed old-style ids, so such a list paper never matched a submission.
        var row = ListParser.Parse(Lists.OneTopic($"| X | **Some Old Paper** | [[pdf]({link})] | Lab | 2001.12 | 1 |"), "list.md").Papers.Single();
        Assert.NotNull(row.ArxivId);
        Assert.Equal(Identifiers.ArxivId(submitted), row.ArxivId);
    }

    [Theory]
    [InlineData("2205.14135", "2022.05")]
    [InlineData("https://arxiv.org/abs/0704.0001", "2007.04")]
    [InlineData("cs/0112017", "2001.12")]
    [InlineData("hep-th/9901001", "1999.01")]
    [InlineData("https://example.org/2205.14135", null)]
    public void ArxivMonth_IsTheMonthTheIdWasFirstPosted(string id, string? month) => Assert.Equal(month, Identifiers.ArxivMonth(id));

    [Theory]
    [InlineData("https://doi.org/10.1145/3600006.3613165")]
    [InlineData("http://dx.doi.org/10.1145/3600006.3613165")]
    [InlineData("doi:10.1145/3600006.3613165")]
    [InlineData("DOI: 10.1145/3600006.3613165")]
    [InlineData("10.1145/3600006.3613165")]
    [InlineData("https://doi.org/10.1145%2F3600006.3613165")]
    public void Doi_IsTheSame_HoweverItIsWritten(string text) => Assert.Equal("10.1145/3600006.3613165", Identifiers.Doi(text));

    [Fact]
    public void Doi_IgnoresCase() => Assert.Equal(Identifiers.Doi("https://doi.org/10.18653/V1/2023.EMNLP-MAIN.298"), Identifiers.Doi("doi:10.18653/v1/2023.emnlp-main.298"));

    [Theory]
    [InlineData("GQA: Training Generalized Multi-Query Transformer Models", "gqa  training generalized multi-query transformer models!")]
    [InlineData("Café Attention", "Cafe ATTENTION")]
    [InlineData("LLM.int8(): 8-bit Matrix Multiplication", "LLM int8 8 bit matrix multiplication")]
    public void TitleKey_IgnoresCasePunctuationAccentsAndSpacing(string a, string b) => Assert.Equal(Identifiers.TitleKey(a), Identifiers.TitleKey(b));

    [Theory]
    [InlineData("Efficient Memory Management for Large Language Model Serving", "Large Language Model Serving: Efficient Memory Management for", true)]
    [InlineData("Efficient Memory Management for Large Language Model Serving with PagedAttention", "Efficient Memory Management for Large Language Model Serving", true)]
    [InlineData("Efficient Memory Management for Large Language Model Serving", "Fast Inference from Transformers via Speculative Decoding", false)]
    public void NearTitles_ShareNearlyAllWords(string a, string b, bool near) => Assert.Equal(near, Identifiers.NearTitles(a, b));
}
