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
        var queries = new CitationQueries(database);
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

    private async Task<(CatalogDatabase Database, CitationQueries Queries)> ImportRowsAsync(string db, params string[] rows)
    {
        var database = new CatalogDatabase(_temp.File(db));
        var importer = new CatalogImporter(database, new MarkdownRenderer(), TimeProvider.System);
        var (plan, result) = await importer.ImportAsync(_temp.Write(db + ".md", PaperCatalog.Tests.Lists.OneTopic(rows)), null, Ct);
        Assert.NotNull(result);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        return (database, new CitationQueries(database));
    }

    private static async Task<IReadOnlyDictionary<string, string>> WholeCatalogKeysAsync(CatalogDatabase database)
    {
        await using var c = await database.OpenAsync(Ct);
        var rows = await Dapper.SqlMapper.QueryAsync<CitationKeys.Basis>(c,
            "SELECT slug AS Slug, title AS Title, authors AS Authors, published AS Published, added_at AS AddedAt FROM papers;");
        return CitationKeys.Assign(rows);
    }

    private static string Row(string title, int i) =>
        $"| KW | **{title}** | [[pdf](https://example.org/{i}.pdf)] | Lab | 2023.05 | 1 |";

    [Fact]
    public async Task CitingOnePaper_GivesTheKeyTheWholeCatalogGivesIt_AmongManyThatCollide()
    {
        // Reproduction (issue 12): citing one paper computed the key of every paper in the catalog (2.5 s at 100,000).
        // Now it reads the papers whose stored keys start like its own; the answer must stay the whole catalog's.
        var rows = Enumerable.Range(0, 30).Select(i => Row("Fast decoding " + i, i))
            .Append(Row("Fastb tricks", 100)).Append(Row("Fastc more", 101)).Append(Row("Fas short", 102)).Append(Row("Fastest", 103))
            .ToArray();
        var (database, queries) = await ImportRowsAsync("collide.db", rows);
        var papers = await queries.PapersAsync(null, null, Ct);
        var expected = await WholeCatalogKeysAsync(database);
        Assert.Equal(papers.Count, expected.Values.Distinct(StringComparer.Ordinal).Count());
        foreach (var paper in papers)
            Assert.Equal(expected[paper.Slug], Assert.Single(await queries.CiteAsync([paper], Ct)).Key);
        // All at once (one read of the whole column past the range reads' limit) gives the same keys.
        Assert.Equal(expected, (await queries.CiteAsync(papers, Ct)).ToDictionary(c => c.Paper.Slug, c => c.Key));
        // A paper whose plain key is another group's suffix keeps it; the group skips it.
        Assert.Equal("2023fastb", expected["fastb-tricks"]);
        Assert.Equal("2023fastc", expected["fastc-more"]);
    }

    [Fact]
    public async Task AStoreFromBeforeStoredKeys_GetsThemFromMigration18sCodeStep_AndCitesTheSame()
    {
        var (database, queries) = await ImportRowsAsync("old.db", PaperCatalog.Tests.Lists.Gqa, PaperCatalog.Tests.Lists.Mqa, Row("Fast decoding", 1));
        var before = (await queries.CiteAsync(await queries.PapersAsync(null, null, Ct), Ct)).ToDictionary(c => c.Paper.Slug, c => c.Key);
        await using (var c = await database.OpenAsync(Ct))
        {
            // The papers as a store made before migration 18 holds them, then the step that migration runs.
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE papers SET citation_base = NULL;");
            await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await c.BeginTransactionAsync(Ct);
            await CitationQueries.FillBasesAsync(c, tx, Ct);
            await tx.CommitAsync(Ct);
            Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM papers WHERE citation_base IS NULL;"));
        }
        Assert.Equal(before, (await queries.CiteAsync(await queries.PapersAsync(null, null, Ct), Ct)).ToDictionary(c => c.Paper.Slug, c => c.Key));
        Assert.Equal(CitationQueries.FillBasesAsync, CatalogDatabase.CodeStepOf(18));
    }
}
