using System.Text;
using PaperCatalog.Search;
using PaperCatalog.Shape;

namespace PaperCatalog.Tests.Text;

/// <summary>
/// Every place that folds text for comparing (slugs, affiliation keys, spelling) takes any string: .NET's normalization
/// throws on half a character and on U+FFFE, and a query, a form or a list can carry both (a search with one was a 500).
/// </summary>
public sealed class UnicodeTextTests
{
    public static TheoryData<string> Broken() => new() { "\uD800", "a\uDC00b", "GQA\uFFFE", "\uFFFF", "x\uDBFF", "\uDFFFy\uFFFE\uD800" };

    [Theory]
    [MemberData(nameof(Broken))]
    public void BrokenText_IsFoldedForSlugsKeysAndSpelling_WithTheReplacementCharacter_NotAnError(string text)
    {
        Assert.DoesNotContain(UnicodeText.Normalize(text, NormalizationForm.FormKD), c => char.IsSurrogate(c) || c == '\uFFFE');
        _ = Slugs.From("Attention " + text);
        _ = Affiliations.Key("Google " + text);
        Assert.StartsWith("atten", SearchText.Fold("Atten" + text), StringComparison.Ordinal);
    }

    [Fact]
    public void WholeCharacters_AreKeptAsTheyAre_AndNormalizedAsBefore()
    {
        Assert.Equal("😀 ﬁ".Normalize(NormalizationForm.FormKD), UnicodeText.Normalize("😀 ﬁ", NormalizationForm.FormKD));
        Assert.Equal("\uD83D\uDE00", UnicodeText.Mend("\uD83D\uDE00"));
        Assert.Equal("a\uFFFDb\uFFFD", UnicodeText.Mend("a\uD800b\uFFFE"));
    }
}
