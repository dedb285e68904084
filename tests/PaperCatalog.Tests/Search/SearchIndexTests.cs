using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Topics;

namespace PaperCatalog.Tests.Search;

/// <summary>The index follows every import, in the import's own transaction.</summary>
public sealed class SearchIndexTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private readonly CatalogImporter _importer;
    private readonly SearchQueries _search;
    private readonly CatalogCache _cache;
    private static CancellationToken Ct => CancellationToken.None;

    public SearchIndexTests()
    {
        _db = new CatalogDatabase(_temp.File("catalog.db"));
        var cache = _cache = new CatalogCache(TimeProvider.System);
        _importer = new CatalogImporter(_db, new MarkdownRenderer(), TimeProvider.System, cache);
        _search = new SearchQueries(_db, cache, new TopicQueries(_db, cache));
    }

    public void Dispose() => _temp.Dispose();

    private async Task ImportAsync(string list)
    {
        var (plan, result) = await _importer.ImportAsync(_temp.Write("README.md", list), null, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.NotNull(result);
    }

    private async Task<List<string>> TitlesAsync(string q) =>
        (await _search.SearchAsync(new SearchRequest { Q = q }, Ct)).Hits.Select(h => h.Title).ToList();

    private async Task AssertIndexIntactAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        // FTS5 checks its index against the content table; a mismatch raises an error.
        await c.ExecuteAsync("INSERT INTO paper_search (paper_search, rank) VALUES ('integrity-check', 1);");
        Assert.Equal(await c.ExecuteScalarAsync<long>("SELECT count(*) FROM papers"), await c.ExecuteScalarAsync<long>("SELECT count(*) FROM search_documents"));
    }

    [Fact]
    public async Task Reimport_WithChangedTitle_UpdatesResults()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        Assert.Single(await TitlesAsync("write-head"));
        await ImportAsync(Lists.OneTopic(Lists.Mqa.Replace("One Write-Head is All You Need", "One Reading Head Suffices", StringComparison.Ordinal), Lists.Gqa));
        Assert.Empty(await TitlesAsync("write-head"));
        Assert.Single(await TitlesAsync("reading head"));
        await AssertIndexIntactAsync();
    }

    [Fact]
    public async Task Reimport_WithoutAPaper_RemovesItFromResults()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa, Lists.Alibi));
        Assert.Single(await TitlesAsync("alibi"));
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        Assert.Empty(await TitlesAsync("alibi"));
        await AssertIndexIntactAsync();
    }

    [Fact]
    public async Task CancelledImport_LeavesResultsAsTheyWere()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa));
        var path = _temp.Write("README.md", Lists.OneTopic(Lists.Gqa, Lists.Alibi));
        var plan = ImportPlan.Load(path, new MarkdownRenderer());
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Done >= 1) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _importer.ApplyAsync(plan, progress, cts.Token));
        Assert.Single(await TitlesAsync("write-head"));
        Assert.Empty(await TitlesAsync("alibi"));
        await AssertIndexIntactAsync();
    }

    [Fact]
    public async Task StoreIndexedByAnotherVersion_IsReindexed()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        await using (var c = await _db.OpenAsync(Ct))
        {
            await c.ExecuteAsync("DELETE FROM search_documents; UPDATE catalog_info SET value = '0' WHERE key = 'search_version';");
        }
        Assert.Empty(await TitlesAsync("gqa"));
        var indexed = await new SearchIndex(new MarkdownRenderer()).FillMissingAsync(_db, Ct);
        Assert.Equal(2, indexed);
        _cache.Invalidate(); // the store changed behind the site's back (as a start-up re-index does before any query)
        Assert.Single(await TitlesAsync("gqa"));
        await AssertIndexIntactAsync();
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
