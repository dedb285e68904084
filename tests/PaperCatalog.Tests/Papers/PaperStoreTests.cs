using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Moderation;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Papers;

/// <summary>
/// Every writer goes through the one store: the importer writes a list's code and authors and updates them when the row
/// changes; a moderator's edit of a list paper stays until the list's row for it changes, and the import that replaces
/// it says so.
/// </summary>
public sealed class PaperStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private readonly MarkdownRenderer _markdown = new();
    private readonly CatalogImporter _importer;
    private readonly CatalogEditor _editor;
    private static CancellationToken Ct => CancellationToken.None;

    public PaperStoreTests()
    {
        _db = new CatalogDatabase(_temp.File("catalog.db"));
        _importer = new CatalogImporter(_db, _markdown, TimeProvider.System);
        _editor = new CatalogEditor(_db, new PaperStore(_db, new SearchIndex(_markdown)), _markdown, new AuditLog(_db, TimeProvider.System), TimeProvider.System);
    }

    public void Dispose() => _temp.Dispose();

    private const string Header = "| Keywords | Title | Paper | Code | Authors | Affiliation | Date | Citation |\n|---|---|---|---|---|---|---|---|\n";

    private static string Row(string code = "[code](https://github.com/google-research/gqa)", string authors = "Joshua Ainslie, James Lee-Thorp and Michiel de Jong", string citations = "335") =>
        $"| GQA | **GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints** | [pdf](https://arxiv.org/abs/2305.13245) | {code} | {authors} | Google Research | 2023.05 | {citations} |";

    private const string Mqa = "| MQA | **Fast Transformer Decoding: One Write-Head is All You Need** | [pdf](https://arxiv.org/abs/1911.02150) | | Noam Shazeer | Google | 2019.11 | 252 |";

    private static string List(params string[] rows) => "# List\n\n## Attention\n\n" + Header + string.Join("\n", rows) + "\n";

    private async Task<ImportResult> ImportAsync(string text)
    {
        var path = _temp.Write("README.md", text);
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        return result!;
    }

    private async Task<(string? Code, string? Authors, long? Citations, string? EditedBy)> StoredAsync(string slug)
    {
        await using var c = await _db.OpenAsync(Ct);
        return await c.QuerySingleAsync<(string?, string?, long?, string?)>("SELECT code_url, authors, citations, edited_by FROM papers WHERE slug = @slug;", new { slug });
    }

    [Fact]
    public async Task AnImportsLargePageCache_DoesNotStayWithTheConnectionItGivesBackToThePool()
    {
        await ImportAsync(List(Row(), Mqa));
        // Several at once, so whichever idle connection the pool hands out, the import's is among them.
        var open = new List<Microsoft.Data.Sqlite.SqliteConnection>();
        try
        {
            for (var i = 0; i < 4; i++) open.Add(await _db.OpenAsync(Ct));
            foreach (var c in open)
            {
                Assert.Equal(-2000, await c.ExecuteScalarAsync<long>("PRAGMA cache_size;"));
                Assert.Equal(2, await c.ExecuteScalarAsync<long>("PRAGMA synchronous;")); // FULL
            }
        }
        finally
        {
            foreach (var c in open) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Import_CodeAndAuthorsColumns_AreStored()
    {
        await ImportAsync(List(Row(), Mqa));
        Assert.Equal(("https://github.com/google-research/gqa", "Joshua Ainslie\nJames Lee-Thorp\nMichiel de Jong", 335L, (string?)null), await StoredAsync("gqa"));
        Assert.Equal(((string?)null, "Noam Shazeer"), ((await StoredAsync("fast-transformer-decoding")).Code, (await StoredAsync("fast-transformer-decoding")).Authors));
    }

    [Theory]
    [InlineData("[code](https://github.com/google/other)", "Joshua Ainslie, James Lee-Thorp and Michiel de Jong")]
    [InlineData("[code](https://github.com/google-research/gqa)", "Joshua Ainslie and Sumit Sanghai")]
    [InlineData("", "Joshua Ainslie, James Lee-Thorp and Michiel de Jong")]
    public async Task Reimport_ChangedCodeOrAuthors_UpdatesThePaper(string code, string authors)
    {
        await ImportAsync(List(Row(), Mqa));
        var again = await ImportAsync(List(Row(code, authors), Mqa));
        Assert.Equal((0, 1, 1), (again.Added, again.Updated, again.Unchanged));
        var stored = await StoredAsync("gqa");
        Assert.Equal(ListLinks.In(code).FirstOrDefault()?.Url, stored.Code);
        Assert.Equal(string.Join('\n', RowReader.ReadAuthors(authors)), stored.Authors);
    }

    [Fact]
    public async Task Import_CodeLinkThatIsNoWebAddress_IsNotStored()
    {
        await ImportAsync(List(Row("[code](javascript:alert(1))"), Mqa.Replace("| | Noam", "| [code](src/mqa) | Noam", StringComparison.Ordinal)));
        Assert.Null((await StoredAsync("gqa")).Code);
        Assert.Null((await StoredAsync("fast-transformer-decoding")).Code);
    }

    [Fact]
    public async Task Import_RowMovedWithinItsTopic_IsMovedWithoutRewritingIt()
    {
        await ImportAsync(List(Row(), Mqa));
        var moved = await ImportAsync(List(Mqa, Row()));
        Assert.Equal((0, 2, 0), (moved.Added, moved.Updated, moved.Unchanged));
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(["fast-transformer-decoding", "gqa"], await c.QueryAsync<string>("SELECT slug FROM papers ORDER BY position;"));
        Assert.Equal(0, (await ImportAsync(List(Mqa, Row()))).Updated);
    }

    private async Task EditCitationsAsync(string citations)
    {
        var form = (await _editor.GetAsync("gqa", Ct))!.Form;
        form.Citations = citations;
        var result = await _editor.EditAsync("gqa", form, "alice", Ct);
        Assert.True(result.Done, result.Problem);
    }

    [Fact]
    public async Task Edit_OfAListPaper_StaysWhileTheListsRowIsUnchanged()
    {
        await ImportAsync(List(Row(), Mqa));
        await EditCitationsAsync("1400");
        Assert.Equal((1400L, "alice"), ((await StoredAsync("gqa")).Citations, (await StoredAsync("gqa")).EditedBy));
        Assert.Equal("alice", (await _editor.GetAsync("gqa", Ct))!.EditedBy);

        // The same list again, and with the paper's row moved within its topic: the edit stays.
        var again = await ImportAsync(List(Row(), Mqa));
        Assert.Empty(again.ReplacedEdits);
        await ImportAsync(List(Mqa, Row()));
        Assert.Equal((1400L, "alice"), ((await StoredAsync("gqa")).Citations, (await StoredAsync("gqa")).EditedBy));
    }

    [Fact]
    public async Task Edit_OfAListPaper_IsReplacedWhenTheListsRowChanges_AndTheImportNamesIt()
    {
        await ImportAsync(List(Row(), Mqa));
        await EditCitationsAsync("1400");

        var changed = await ImportAsync(List(Row(citations: "350"), Mqa));

        var replaced = Assert.Single(changed.ReplacedEdits);
        Assert.Equal(Severity.Warning, replaced.Severity);
        Assert.Equal(7, replaced.Line); // the row's line in the list
        Assert.Contains("alice's edit", replaced.Message, StringComparison.Ordinal);
        Assert.Contains("1 site edits replaced by the list", changed.ToString(), StringComparison.Ordinal);
        Assert.Equal((350L, (string?)null), ((await StoredAsync("gqa")).Citations, (await StoredAsync("gqa")).EditedBy));
        // Once replaced, the paper is the list's again: nothing more to report.
        Assert.Empty((await ImportAsync(List(Row(citations: "351"), Mqa))).ReplacedEdits);
    }

    [Fact]
    public async Task Edit_OfAListPaper_KeepsTheIntroAsTheImportRenderedIt_WhenTheIntroIsNotChanged()
    {
        _temp.Write("attention/gqa/README.md", "# GQA\n\nSee [MQA](../mqa/README.md).\n\n![figure](fig.png)\n");
        File.WriteAllBytes(_temp.File("attention/gqa/fig.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        _temp.Write("attention/mqa/README.md", "# MQA\n\nOne head.\n");
        await ImportAsync(List(Row().Replace("[pdf](https://arxiv.org/abs/2305.13245)", "[pdf](https://arxiv.org/abs/2305.13245) [intro](attention/gqa/README.md)", StringComparison.Ordinal),
            Mqa.Replace("[pdf](https://arxiv.org/abs/1911.02150)", "[pdf](https://arxiv.org/abs/1911.02150) [intro](attention/mqa/README.md)", StringComparison.Ordinal)));
        await using var c = await _db.OpenAsync(Ct);
        var before = await c.QuerySingleAsync<string>("SELECT intro_html FROM papers WHERE slug = 'gqa';");
        Assert.Contains("/papers/", before, StringComparison.Ordinal);

        await EditCitationsAsync("1400");

        Assert.Equal(before, await c.QuerySingleAsync<string>("SELECT intro_html FROM papers WHERE slug = 'gqa';"));
    }
}
