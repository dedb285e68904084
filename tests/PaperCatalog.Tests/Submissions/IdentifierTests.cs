using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Submissions;

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
    [InlineData("https://arxiv.org/pdf/cs/0112017v1.pdf", "cs/0112017")]
    [InlineData("https://arxiv.org/abs/math.GT/0309136", "math.gt/0309136")]
    [InlineData("https://arxiv.org/abs/0704.0001", "0704.0001")]
    public void ArxivId_IsTheSame_HoweverItIsLinked(string link, string id) => Assert.Equal(id, Identifiers.ArxivId(link));

    [Theory]
    [InlineData("https://example.org/paper.pdf")]
    [InlineData("https://arxiv.org/list/cs.CL/recent")]
    [InlineData("")]
    [InlineData("not a link")]
    public void ArxivId_IsNull_ForOtherLinks(string link) => Assert.Null(Identifiers.ArxivId(link));

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
