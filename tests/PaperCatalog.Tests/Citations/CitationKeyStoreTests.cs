using PaperCatalog.Citations;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;

namespace PaperCatalog.Tests.Citations;

/// <summary>Citation keys read from a real store filled from the bundled list.</summary>
public sealed class CitationKeyStoreTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string BundledList()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln"))) return Path.Combine(dir.FullName, "data", "README.md");
        throw new InvalidOperationException("data/README.md not found above the test folder");
    }

    private async Task<Dictionary<string, string>> ImportAndCiteAsync(string db, int imports)
    {
        var database = new CatalogDatabase(_temp.File(db));
        var importer = new CatalogImporter(database, new MarkdownRenderer(), TimeProvider.System);
        for (var i = 0; i < imports; i++)
        {
            var (plan, result) = await importer.ImportAsync(BundledList(), null, Ct);
            Assert.NotNull(result);
            Assert.DoesNotContain(plan.Diagnostics, d => d.Severity == Severity.Error);
        }
        var queries = new CitationQueries(database, new CatalogCache(TimeProvider.System));
        var cited = await queries.CiteAsync(await queries.PapersAsync(null, null, Ct), Ct);
        return cited.ToDictionary(c => c.Paper.Slug, c => c.Key);
    }

    [Fact]
    public async Task CitationKeys_AreUniqueAndTheSameAfterAReimport_AndInAFreshStore()
    {
        var once = await ImportAndCiteAsync("a.db", 1);
        Assert.Equal(62, once.Count);
        Assert.Equal(once.Count, once.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(once.Values, k => Assert.Matches("^[a-z0-9]+$", k));
        Assert.Equal("ainslie2023gqa", once["gqa"]);
        Assert.Equal(once, await ImportAndCiteAsync("b.db", 2));
    }
}
