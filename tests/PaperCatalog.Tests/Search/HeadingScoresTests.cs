using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>
/// A word's heading tier scored in C# (<see cref="HeadingScores"/>) against FTS5's bm25() on the heading index: the same
/// papers in the same order with the very same doubles, for every word of the generated catalog, whole and as every
/// prefix a reader types (some of them a prefix of several words, or of words and random ones).
/// </summary>
public sealed class HeadingScoresTests(GeneratedSearchCatalog catalog) : IClassFixture<GeneratedSearchCatalog>
{
    public static TheoryData<string> Words()
    {
        var data = new TheoryData<string>();
        foreach (var word in GeneratedSearchCatalog.Words.Append("lab").Append("ICML"))
        {
            data.Add(word + " ");
            for (var length = 2; length <= word.Length; length++) data.Add(word[..length]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Words))]
    public async Task AWordsTier_IsFts5sBm25Ranking_ToTheBit(string typed)
    {
        // A word with a space after it is whole (another word follows); the last word typed is a prefix.
        var query = SearchQuery.Parse(typed.EndsWith(' ') ? typed + "x" : typed);
        var word = query with { Match = query.Parts[0], Parts = [query.Parts[0]], NamePhrase = null };
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        var sizes = HeadingSizes.Read(connection, GeneratedSearchCatalog.Papers + 10);
        var expected = SearchRanking.ReadHeadingTier(connection, word);
        var mine = HeadingScores.Rank(connection, word.Match!, sizes);
        Assert.NotNull(mine);
        Assert.Equal(expected.Ids, mine.Ids);
        Assert.Equal(expected.Scores.Select(BitConverter.DoubleToInt64Bits), mine.Scores.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("\"memory cache\"")]
    [InlineData("FlashAttention-2")]
    [InlineData("注意")]
    public async Task APhraseOrAnotherScript_IsLeftToFts5(string q)
    {
        var query = SearchQuery.Parse(q);
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        Assert.Null(HeadingScores.Rank(connection, query.Parts[0], HeadingSizes.Read(connection, GeneratedSearchCatalog.Papers + 10)));
    }
}
