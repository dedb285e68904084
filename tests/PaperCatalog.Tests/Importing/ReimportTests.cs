using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;

namespace PaperCatalog.Tests.Importing;

/// <summary>
/// What a re-import does not do again: render an intro whose source is unchanged, or rewrite the list round trip's rows
/// (<c>list_rows</c>) that still say the same. Writes to <c>list_rows</c> are counted by triggers the test adds to its own
/// store, so "untouched" means no statement wrote a row, not only that the rows read back equal.
/// </summary>
public sealed class ReimportTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private readonly CatalogImporter _importer;
    private static CancellationToken Ct => CancellationToken.None;

    private static readonly string MqaRow = Lists.Mqa.Replace("] | Google", "] [[intro](attention/mqa/README.md)] | Google", StringComparison.Ordinal);
    private static readonly string GqaRow = Lists.Gqa.Replace("] | Google", "] [[intro](attention/gqa/README.md)] | Google", StringComparison.Ordinal);
    private static readonly string AlibiRow = Lists.Alibi.Replace("] | UW", "] [[intro](attention/alibi/README.md)] | UW", StringComparison.Ordinal);

    public ReimportTests()
    {
        _db = new CatalogDatabase(_temp.File("catalog.db"));
        _importer = new CatalogImporter(_db, new MarkdownRenderer(), TimeProvider.System);
        _temp.Write("attention/mqa/README.md", "# MQA\n\nShare keys and values across heads. See [GQA](../gqa/README.md).\n");
        _temp.Write("attention/gqa/README.md", "# GQA\n\nGroups of heads share keys.\n");
        _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear biases instead of positions.\n");
    }

    public void Dispose() => _temp.Dispose();

    private async Task<ImportResult> ImportAsync(params string[] rows)
    {
        var path = _temp.Write("README.md", Lists.OneTopic(rows));
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        return result!;
    }

    private async Task<string?> IntroHtmlAsync(string arxivId)
    {
        await using var c = await _db.OpenAsync(Ct);
        return await c.ExecuteScalarAsync<string?>("SELECT intro_html FROM papers WHERE arxiv_id = @arxivId", new { arxivId });
    }

    /// <summary>Records every insert, update and delete of a list_rows row (and of list_source) from now on.</summary>
    private async Task CountListWritesAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        await c.ExecuteAsync("""
            CREATE TABLE test_list_writes (what TEXT NOT NULL, paper_id INTEGER);
            CREATE TRIGGER test_rows_insert AFTER INSERT ON list_rows BEGIN INSERT INTO test_list_writes VALUES ('row', new.paper_id); END;
            CREATE TRIGGER test_rows_update AFTER UPDATE ON list_rows BEGIN INSERT INTO test_list_writes VALUES ('row', new.paper_id); END;
            CREATE TRIGGER test_rows_delete AFTER DELETE ON list_rows BEGIN INSERT INTO test_list_writes VALUES ('row', old.paper_id); END;
            CREATE TRIGGER test_source_update AFTER UPDATE ON list_source BEGIN INSERT INTO test_list_writes VALUES ('source', NULL); END;
            """);
    }

    private async Task<List<(string What, long? PaperId)>> ListWritesAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        var writes = (await c.QueryAsync<(string, long?)>("SELECT what, paper_id FROM test_list_writes ORDER BY rowid")).ToList();
        await c.ExecuteAsync("DELETE FROM test_list_writes");
        return writes;
    }

    [Fact]
    public async Task Reimport_UnchangedIntros_AreNotRenderedAgain_AndAChangedOneIs()
    {
        var first = await ImportAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal(3, first.Rendered);
        var mqa = await IntroHtmlAsync("1911.02150");

        var again = await ImportAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((0, 3, 0), (again.Rendered, again.Unchanged, again.Updated));
        Assert.Contains("0 intros rendered", again.ToString(), StringComparison.Ordinal);

        _temp.Write("attention/gqa/README.md", "# GQA\n\nGroups of heads share keys and values.\n");
        var changed = await ImportAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((1, 1, 2), (changed.Rendered, changed.Updated, changed.Unchanged));
        Assert.Contains("keys and values", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
        Assert.Equal(mqa, await IntroHtmlAsync("1911.02150"));
    }

    [Fact]
    public async Task Reimport_IntroWhoseLinkNowLeadsToAPaper_IsRenderedAgain()
    {
        // MQA's intro links GQA's intro file; while GQA is not in the list the link is plain text. The intro's own text
        // never changes, but where its link leads does: the hash covers that, so the intro is rendered again.
        await ImportAsync(MqaRow, AlibiRow);
        Assert.DoesNotContain("href=\"/papers/", await IntroHtmlAsync("1911.02150"), StringComparison.Ordinal);

        var result = await ImportAsync(MqaRow, AlibiRow, GqaRow);

        Assert.Equal((1, 1, 1), (result.Added, result.Updated, result.Unchanged));
        Assert.Equal(2, result.Rendered); // GQA's new intro and MQA's
        Assert.Contains("href=\"/papers/gqa\"", await IntroHtmlAsync("1911.02150"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_SameList_LeavesListRowsUntouched_AndAChangedRowRewritesOnlyThatRow()
    {
        await ImportAsync(MqaRow, GqaRow, AlibiRow);
        await CountListWritesAsync();

        await ImportAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Empty(await ListWritesAsync());

        // GQA's row now links another intro file: its row mapping changes (and the list's text), nothing else.
        _temp.Write("attention/gqa2/README.md", "# GQA\n\nGroups of heads share keys.\n");
        await ImportAsync(MqaRow, GqaRow.Replace("attention/gqa/", "attention/gqa2/", StringComparison.Ordinal), AlibiRow);

        await using var c = await _db.OpenAsync(Ct);
        var gqa = await c.ExecuteScalarAsync<long>("SELECT id FROM papers WHERE arxiv_id = '2305.13245'");
        Assert.Equal([("source", null), ("row", gqa)], await ListWritesAsync());
        Assert.Equal("attention/gqa2/README.md", await c.ExecuteScalarAsync<string>("SELECT intro_path FROM list_rows WHERE paper_id = @gqa", new { gqa }));
    }

    [Fact]
    public async Task Reimport_OfAStoreHashedBeforeSourceHashes_KeepsAModeratorsEditOfAnUnchangedRow()
    {
        // A store written before the hash covered the source holds hashes over the rendered intro. Upgrading must not read
        // every edited paper's row as changed and put the list's version back over the edit.
        await ImportAsync(Lists.Mqa, Lists.Gqa);
        var plan = ImportPlan.Load(_temp.File("README.md"), new MarkdownRenderer());
        var mqa = PaperFields.FromList(plan.List.Papers.First(), intro: null, introHtml: null);
        await using (var c = await _db.OpenAsync(Ct))
        {
            var topicId = await c.ExecuteScalarAsync<long>("SELECT topic_id FROM papers WHERE arxiv_id = '1911.02150'");
            await c.ExecuteAsync(
                "UPDATE papers SET content_hash = @legacy, edited_by = 'mira', edited_at = '2026-01-01T00:00:00Z', title = 'Edited on the site' WHERE arxiv_id = '1911.02150'",
                new { legacy = PaperFields.LegacyHash(PaperFields.Values(mqa), mqa, topicId) });
        }

        var result = await ImportAsync(Lists.Mqa, Lists.Gqa);

        Assert.Empty(result.ReplacedEdits);
        Assert.Equal(2, result.Unchanged);
        await using var after = await _db.OpenAsync(Ct);
        var (title, hash) = await after.QuerySingleAsync<(string, string)>("SELECT title, content_hash FROM papers WHERE arxiv_id = '1911.02150'");
        Assert.Equal("Edited on the site", title);
        Assert.StartsWith(PaperFields.SourceHashPrefix, hash, StringComparison.Ordinal);
    }
}
