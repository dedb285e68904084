using PaperCatalog.Shape;

namespace PaperCatalog.Tests.Shape;

public sealed class AffiliationsTests
{
    [Theory]
    [InlineData("UC Berkeley, Stanford etc", new[] { "UC Berkeley", "Stanford" })]
    [InlineData("Princeton, Together AI, UIUC etc.", new[] { "Princeton", "Together AI", "UIUC" })]
    [InlineData("MIT; NVIDIA, et al.", new[] { "MIT", "NVIDIA" })]
    [InlineData("Rice, Texas A&M, Stevens", new[] { "Rice", "Texas A&M", "Stevens" })]
    [InlineData("  Google   Research ,, ", new[] { "Google Research" })]
    [InlineData("Stanford, stanford, STANFORD.", new[] { "Stanford" })]
    [InlineData("etc", new string[0])]
    [InlineData("", new string[0])]
    public void Split_ReadsACellAsNames_EachOnce_WithoutEtc(string cell, string[] names) =>
        Assert.Equal(names, Affiliations.Split(cell));

    [Theory]
    [InlineData("UC Berkeley", "uc  berkeley")]
    [InlineData("UC Berkeley", "UC-Berkeley")]
    [InlineData("Université Paris-Saclay", "universite paris saclay")]
    [InlineData("Meta FAIR", "Meta  F.A.I.R")]
    public void Key_FoldsCaseSpaceAccentsAndPunctuation(string a, string b) => Assert.Equal(Affiliations.Key(a), Affiliations.Key(b));

    [Fact]
    public void Key_KeepsDifferentNamesApart() => Assert.NotEqual(Affiliations.Key("UCSD"), Affiliations.Key("UC SD Health"));
}
