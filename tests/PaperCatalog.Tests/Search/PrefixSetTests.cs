using Dapper;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>
/// A prefix's matches taken as the union of its terms' sets (read from the full index's terms) against the prefix read
/// whole by FTS5: the same total for every prefix a reader types of the generated catalog's words, alone and after a
/// whole word, and after the words' own sets are held (a later prefix then unites sets read for an earlier one).
/// </summary>
public sealed class PrefixSetTests(GeneratedSearchCatalog catalog) : IClassFixture<GeneratedSearchCatalog>
{
    public static TheoryData<string> Prefixes()
    {
        var data = new TheoryData<string>();
        foreach (var word in GeneratedSearchCatalog.Words.Append("lab"))
            for (var length = 2; length <= word.Length; length++) data.Add(word[..length]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task APrefixsTotal_IsWhatFts5MatchesForIt(string prefix)
    {
        await using var connection = await catalog.Database.OpenAsync(CancellationToken.None);
        foreach (var q in (string[])[prefix, "attention " + prefix])
        {
            var query = SearchQuery.Parse(q);
            var expected = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM paper_search WHERE paper_search MATCH @match;", new { match = query.Match });
            var results = await catalog.Search.SearchAsync(new SearchRequest { Q = q, Exact = true }, CancellationToken.None);
            Assert.Equal(expected, results.Total);
        }
    }
}
