using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;

namespace PaperCatalog.Tests.Importing;

public sealed class ImporterTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private readonly CatalogImporter _importer;
    private static CancellationToken Ct => CancellationToken.None;

    public ImporterTests()
    {
        _db = new CatalogDatabase(_temp.File("catalog.db"));
        _importer = new CatalogImporter(_db, new MarkdownRenderer(), TimeProvider.System);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<ImportResult> ImportAsync(string listText, string name = "README.md")
    {
        var path = _temp.Write(name, listText);
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        return result!;
    }

    /// <summary>Every row of every table, as text: two equal dumps mean nothing changed.</summary>
    private async Task<string> DumpAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        var parts = new List<string>();
        foreach (var table in new[] { "topics", "papers", "keywords", "paper_keywords", "paper_media", "catalog_info" })
        {
            // Table names come from the fixed list above, not from input.
            var rows = await c.QueryAsync("SELECT * FROM " + table + " ORDER BY 1, 2");
            parts.AddRange(rows.Select(r => table + ":" + string.Join("|", ((IDictionary<string, object?>)r).Select(kv => kv.Value is byte[] b ? Convert.ToHexString(b) : kv.Value?.ToString()))));
        }
        return string.Join("\n", parts);
    }

    private async Task<List<string>> SlugsAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        return (await c.QueryAsync<string>("SELECT slug FROM papers ORDER BY topic_id, position")).ToList();
    }

    [Fact]
    public async Task Import_RepeatedRows_KeepTheirPapersAcrossImports()
    {
        // The same paper twice (no arXiv id, so matched by title), and one arXiv paper twice: nothing churns.
        const string twice = "| Dup | **Same Title Twice** | [[pdf](https://example.org/a.pdf)] | Lab | 2023.01 | 1 |";
        var list = Lists.OneTopic(twice, Lists.Gqa, twice.Replace("Lab", "Other Lab", StringComparison.Ordinal), Lists.Gqa);
        Assert.Equal(4, (await ImportAsync(list)).Added);
        var slugs = await SlugsAsync();
        var before = await DumpAsync();
        var again = await ImportAsync(list);
        Assert.Equal((0, 0, 0, 4), (again.Added, again.Updated, again.Removed, again.Unchanged));
        Assert.Equal(slugs, await SlugsAsync());
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Import_SameListTwice_ChangesNothing()
    {
        var list = Lists.OneTopic(Lists.Mqa, Lists.Gqa, Lists.Alibi);
        var first = await ImportAsync(list);
        Assert.Equal(3, first.Added);
        var before = await DumpAsync();

        var second = await ImportAsync(list);

        Assert.Equal(0, second.Added);
        Assert.Equal(0, second.Updated);
        Assert.Equal(0, second.Removed);
        Assert.Equal(3, second.Unchanged);
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Import_EditedList_UpdatesChangedRemovesLeftAndKeepsSlugs()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa, Lists.Alibi));
        var edited = Lists.OneTopic(Lists.Mqa.Replace("| 252 |", "| 300 |"), Lists.Gqa,
            "| CoPE | **Contextual Position Encoding: Learning to Count What's Important** | [[pdf](https://arxiv.org/abs/2405.18719)] | Meta | 2024.05 | 12 |");

        var result = await ImportAsync(edited);

        Assert.Equal((1, 1, 1, 1), (result.Added, result.Updated, result.Removed, result.Unchanged));
        Assert.Equal(["fast-transformer-decoding", "gqa", "contextual-position-encoding"], await SlugsAsync());
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(300, await c.ExecuteScalarAsync<long>("SELECT citations FROM papers WHERE slug = 'fast-transformer-decoding'"));
    }

    [Fact]
    public async Task Import_RetitledPaperWithSameArxivId_KeepsItsSlug()
    {
        await ImportAsync(Lists.OneTopic(Lists.Gqa));
        var result = await ImportAsync(Lists.OneTopic(Lists.Gqa.Replace("**GQA: Training", "**GQA: Efficiently Training")));
        Assert.Equal(1, result.Updated);
        Assert.Equal(["gqa"], await SlugsAsync());
    }

    [Fact]
    public async Task Import_PaperAddedThroughTheSite_IsNeverRemoved()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        await using (var c = await _db.OpenAsync(Ct))
        {
            const string sql = """
                INSERT INTO papers (slug, topic_id, position, title, title_key, origin, content_hash, added_at, updated_at)
                SELECT 'site-paper', id, 99, 'A Paper Submitted On The Site', 'a-paper-submitted-on-the-site', 'site', '', '2026-01-01', '2026-01-01' FROM topics;
                """;
            await c.ExecuteAsync(sql);
        }

        var result = await ImportAsync(Lists.OneTopic(Lists.Mqa));

        Assert.Equal(1, result.Removed);
        Assert.Contains("site-paper", await SlugsAsync());
        Assert.DoesNotContain("gqa", await SlugsAsync());
    }

    [Fact]
    public async Task Import_ListWithErrors_LeavesTheStoreAsItWas()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        var before = await DumpAsync();
        var path = _temp.Write("README.md", Lists.OneTopic(Lists.Mqa, "| GQA | **GQA** | [[pdf](https://x.example)] | Google | someday | 3 |", Lists.Alibi));

        var (plan, result) = await _importer.ImportAsync(path, null, Ct);

        Assert.Null(result);
        Assert.True(plan.HasErrors);
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Import_KilledHalfway_LeavesThePreviousCatalog()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        var before = await DumpAsync();
        var rows = Enumerable.Range(1, 5000).Select(i => $"| K{i} | **Generated Paper {i}** | [[pdf](https://arxiv.org/abs/2401.{i:D5})] | Lab | 2024.01 | {i} |");
        var path = _temp.Write("README.md", Lists.OneTopic(rows.ToArray()));
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Done > 2048) cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _importer.ImportAsync(path, progress, cts.Token));

        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Import_SlugCollision_IsResolvedInListOrderAndStable()
    {
        var list = Lists.OneTopic(
            "| A | **Orca: A Distributed Serving System** | [[pdf](https://a.example)] | SNU | 2022.07 | 195 |",
            "| B | **Orca: Progressive Learning from Complex Explanation Traces** | [[pdf](https://b.example)] | Microsoft | 2023.06 | 500 |");
        await ImportAsync(list);
        Assert.Equal(["orca", "orca-2"], await SlugsAsync());
        await ImportAsync(list);
        Assert.Equal(["orca", "orca-2"], await SlugsAsync());
    }

    [Fact]
    public async Task Import_SharedKeyword_IsOneKeywordOnBothPapers()
    {
        await ImportAsync(Lists.OneTopic(
            "| OneBit | **OneBit: Towards Extremely Low-bit Large Language Models** | [[pdf](https://arxiv.org/abs/2402.11295)] | THU, HIT | 2024.02 | 4 |",
            "| OneBit | **The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits** | [[pdf](https://arxiv.org/abs/2402.17764)] | Microsoft, UCAS | 2024.02 | 39 |"));
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM keywords"));
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM paper_keywords"));
    }

    [Fact]
    public async Task Import_IntroWithImageAndCrossLink_RendersOnceAndStoresTheImage()
    {
        _temp.Write("attention/mqa/README.md", "# Fast Transformer Decoding: One Write-Head is All You Need\n\n## Core Idea\n\nShare keys. See [GQA](../gqa/README.md#core-idea).\n\n![heads](heads.svg)\n");
        _temp.Write("attention/mqa/heads.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>");
        _temp.Write("attention/gqa/README.md", "# GQA\n\n## Core Idea\n\nGroups. Back to [MQA](https://github.com/someone/awesome-list/blob/main/attention/mqa/README.md).\n");
        var result = await ImportAsync(Lists.OneTopic(
            Lists.Mqa.Replace("] | Google", "] [[intro](attention/mqa/README.md)] | Google"),
            Lists.Gqa.Replace("] | Google", "] [[intro](https://github.com/someone/awesome-list/blob/main/attention/gqa/README.md)] | Google")));

        Assert.Equal((2, 1), (result.Intros, result.Images));
        await using var c = await _db.OpenAsync(Ct);
        var mqa = await c.ExecuteScalarAsync<string>("SELECT intro_html FROM papers WHERE slug = 'fast-transformer-decoding'");
        Assert.Contains("href=\"/papers/gqa#intro-core-idea\"", mqa);
        Assert.Contains("src=\"/papers/fast-transformer-decoding/media/heads.svg\"", mqa);
        Assert.DoesNotContain("<h1", mqa); // the page shows the title already
        var gqa = await c.ExecuteScalarAsync<string>("SELECT intro_html FROM papers WHERE slug = 'gqa'");
        Assert.Contains("href=\"/papers/fast-transformer-decoding\"", gqa);
        Assert.Equal("image/svg+xml", await c.ExecuteScalarAsync<string>("SELECT content_type FROM paper_media"));
    }

    [Fact]
    public async Task Import_IntroOverTheMarkdownBudget_IsAnErrorAtTheIntrosLine_AndWritesNothing()
    {
        await ImportAsync(Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        var before = await DumpAsync();
        _temp.Write("attention/mqa/README.md", "# MQA\n\nFine.\n\n" + new string('>', 128) + " deep\n");
        var path = _temp.Write("README.md", Lists.OneTopic(Lists.Mqa.Replace("] | Google", "] [[intro](attention/mqa/README.md)] | Google"), Lists.Gqa));

        var (plan, result) = await _importer.ImportAsync(path, null, Ct);

        Assert.Null(result);
        var error = Assert.Single(plan.Diagnostics, d => d.Severity == Severity.Error);
        Assert.EndsWith(Path.Combine("attention", "mqa", "README.md"), error.File, StringComparison.Ordinal);
        Assert.Equal(5, error.Line);
        Assert.Contains("nested 128 levels deep", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Import_ListDescriptionOverTheMarkdownBudget_IsAnErrorAtTheListsLine()
    {
        // Under the title: one paragraph of 500 emphasis marks, over the 256 a paragraph may hold.
        var list = Lists.OneTopic(Lists.Mqa).Insert("# Test list\n\n".Length, "Fine words.\n\n" + string.Concat(Enumerable.Repeat("*a ", 500)) + "\n\n");
        var path = _temp.Write("README.md", list);
        const int line = 5;

        var (plan, result) = await _importer.ImportAsync(path, null, Ct);

        Assert.Null(result);
        var error = Assert.Single(plan.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal((Path.GetFileName(path), line), (Path.GetFileName(error.File), error.Line));
        Assert.Contains("description", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IntroLinkToMissingFile_IsAnErrorNamingListAndLine()
    {
        var path = _temp.Write("README.md", Lists.OneTopic(Lists.Mqa.Replace("] | Google", "] [[intro](attention/nope/README.md)] | Google")));
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.Null(result);
        var error = Assert.Single(plan.Diagnostics);
        Assert.Equal(9, error.Line);
        Assert.EndsWith("README.md", error.File);
        Assert.Contains("does not exist", error.Message);
        Assert.False(File.Exists(_temp.File("catalog.db")) && !await _db.IsEmptyAsync(Ct));
    }

    [Fact]
    public async Task Import_IntroLinkLeavingTheListFolder_IsAnError()
    {
        var path = _temp.Write("list/README.md", Lists.OneTopic(Lists.Mqa.Replace("] | Google", "] [[intro](../../etc/passwd)] | Google")));
        var (plan, _) = await _importer.ImportAsync(path, null, Ct);
        Assert.Contains(plan.Diagnostics, d => d.Severity == Severity.Error && d.Message.Contains("outside the list's folder"));
    }

    [Theory]
    [InlineData("a%00b/README.md")]
    [InlineData("a\0b/README.md")]
    public async Task Import_IntroLinkWithANulCharacter_IsAnErrorNotACrash(string link)
    {
        // Found by the importer fuzz test: Path.GetFullPath threw on the NUL and the whole check crashed.
        var path = _temp.Write("list/README.md", Lists.OneTopic(Lists.Mqa.Replace("] | Google", $"] [[intro]({link})] | Google")));
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.Null(result);
        var error = Assert.Single(plan.Diagnostics);
        Assert.Equal((9, Severity.Error), (error.Line, error.Severity));
        Assert.Contains("is not a valid file path", error.Message);
    }

    [Fact]
    public async Task Import_ListDescription_GivesTheLedeAndRewritesLinksIntoTheSite()
    {
        var text = "# Awesome Things\n\n[![stars](https://img.shields.io/badge/x)](https://example.org)\n\n" +
                   "Papers about *things*, kept by hand.\n\nSee [Attention](#attention) and [the site](https://example.org).\n\n" +
                   Lists.OneTopic(Lists.Mqa)[(Lists.OneTopic(Lists.Mqa).IndexOf("## Attention", StringComparison.Ordinal))..];
        await ImportAsync(text);
        await using var c = await _db.OpenAsync(Ct);
        var info = (await c.QueryAsync<(string Key, string Value)>("SELECT key, value FROM catalog_info")).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("Awesome Things", info["title"]);
        Assert.Equal("Papers about things, kept by hand.", info["summary"]);
        Assert.Contains("href=\"/topics/attention\"", info["description_html"]);
        Assert.Contains("href=\"https://example.org\"", info["description_html"]);
        Assert.DoesNotContain("<img", info["description_html"]); // a remote badge would break the CSP
    }

    [Fact]
    public async Task Migrate_NewStore_UsesWalAndForeignKeys()
    {
        await _db.MigrateAsync(Ct);
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(CatalogDatabase.Migrations().Max(m => m.Number), await c.ExecuteScalarAsync<long>("PRAGMA user_version"));
    }

    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    // Re-imports: what a re-import does not do again (render an intro whose source is unchanged, rewrite list_rows rows
    // that still say the same). Writes to list_rows are counted by triggers a test adds to its own store, so "untouched"
    // means no statement wrote a row, not only that the rows read back equal.

    private static readonly string MqaRow = Lists.Mqa.Replace("] | Google", "] [[intro](attention/mqa/README.md)] | Google", StringComparison.Ordinal);
    private static readonly string GqaRow = Lists.Gqa.Replace("] | Google", "] [[intro](attention/gqa/README.md)] | Google", StringComparison.Ordinal);
    private static readonly string AlibiRow = Lists.Alibi.Replace("] | UW", "] [[intro](attention/alibi/README.md)] | UW", StringComparison.Ordinal);

    private void WriteIntros()
    {
        _temp.Write("attention/mqa/README.md", "# MQA\n\nShare keys and values across heads. See [GQA](../gqa/README.md).\n");
        _temp.Write("attention/gqa/README.md", "# GQA\n\nGroups of heads share keys.\n");
        _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear biases instead of positions.\n");
    }

    private Task<ImportResult> ImportRowsAsync(params string[] rows) => ImportAsync(Lists.OneTopic(rows));

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
        WriteIntros();
        var first = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal(3, first.Rendered);
        var mqa = await IntroHtmlAsync("1911.02150");

        var again = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((0, 3, 0), (again.Rendered, again.Unchanged, again.Updated));
        Assert.Contains("0 intros rendered", again.ToString(), StringComparison.Ordinal);

        _temp.Write("attention/gqa/README.md", "# GQA\n\nGroups of heads share keys and values.\n");
        var changed = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((1, 1, 2), (changed.Rendered, changed.Updated, changed.Unchanged));
        Assert.Contains("keys and values", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
        Assert.Equal(mqa, await IntroHtmlAsync("1911.02150"));
    }

    [Fact]
    public async Task Reimport_IntroFileOfTheSameSizeAndTime_IsNotReadAgain_AndOneWithAnotherTimeIs()
    {
        WriteIntros();
        var hourAgo = DateTime.UtcNow.AddHours(-1);
        foreach (var intro in (string[])["mqa", "gqa", "alibi"]) File.SetLastWriteTimeUtc(_temp.File($"attention/{intro}/README.md"), hourAgo);
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);

        // GQA's file gets other words of the same length and its old time back: an import that does not read the file
        // cannot tell, so the stored intro stays. ALiBi's file gets a new time and is read.
        var gqa = _temp.Write("attention/gqa/README.md", "# GQA\n\nGroups of heads share KEYS.\n");
        File.SetLastWriteTimeUtc(gqa, hourAgo);
        var alibi = _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear biases, no positions.\n");
        File.SetLastWriteTimeUtc(alibi, hourAgo.AddMinutes(1));
        var again = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((1, 2), (again.Updated, again.Unchanged));
        Assert.Contains("share keys.", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
        Assert.Contains("no positions", await IntroHtmlAsync("2108.12409"), StringComparison.Ordinal);

        // Once GQA's time moves, it is read: its new words are imported.
        File.SetLastWriteTimeUtc(gqa, hourAgo.AddMinutes(2));
        var touched = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((1, 1), (touched.Updated, touched.Rendered));
        Assert.Contains("share KEYS.", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_IntroFileWrittenJustBeforeTheImport_IsReadAgainNextTime()
    {
        // A file written in the last seconds could change again within its time's resolution: it is not recorded.
        WriteIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM intro_files"));
        foreach (var intro in (string[])["mqa", "gqa", "alibi"]) File.SetLastWriteTimeUtc(_temp.File($"attention/{intro}/README.md"), DateTime.UtcNow.AddHours(-1));
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal(3, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM intro_files"));
    }

    [Fact]
    public async Task Import_OfMostOfTheCatalog_RebuildsTheSearchIndexes_AndASmallChangeKeepsThemInStep()
    {
        WriteIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow); // a first import: the indexes are paused and rebuilt at the end
        await using var c = await _db.OpenAsync(Ct);
        async Task<long> MatchesAsync(string table, string query) =>
            await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {table} MATCH @query", new { query });
        Assert.Equal(1, await MatchesAsync("paper_search", "instead"));
        Assert.Equal(1, await MatchesAsync("paper_search", "inst*")); // a prefix query without the prefix index
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM search_index_paused"));
        Assert.True(await MatchesAsync("paper_headings", "alibi") >= 1);
        await c.ExecuteAsync("INSERT INTO paper_search (paper_search, rank) VALUES ('integrity-check', 1)");
        await c.ExecuteAsync("INSERT INTO paper_headings (paper_headings, rank) VALUES ('integrity-check', 1)");

        // One intro of three changed goes through the triggers, row by row.
        _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear attenuation, no positions.\n");
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal(0, await MatchesAsync("paper_search", "instead"));
        Assert.Equal(1, await MatchesAsync("paper_search", "attenuation"));
        await c.ExecuteAsync("INSERT INTO paper_search (paper_search, rank) VALUES ('integrity-check', 1)");
    }

    [Fact]
    public async Task Reimport_IntroWhoseLinkNowLeadsToAPaper_IsRenderedAgain()
    {
        WriteIntros();
        // MQA's intro links GQA's intro file; while GQA is not in the list the link is plain text. The intro's own text
        // never changes, but where its link leads does: the hash covers that, so the intro is rendered again.
        await ImportRowsAsync(MqaRow, AlibiRow);
        Assert.DoesNotContain("href=\"/papers/", await IntroHtmlAsync("1911.02150"), StringComparison.Ordinal);

        var result = await ImportRowsAsync(MqaRow, AlibiRow, GqaRow);

        Assert.Equal((1, 1, 1), (result.Added, result.Updated, result.Unchanged));
        Assert.Equal(2, result.Rendered); // GQA's new intro and MQA's
        Assert.Contains("href=\"/papers/gqa\"", await IntroHtmlAsync("1911.02150"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_SameList_LeavesListRowsUntouched_AndAChangedRowRewritesOnlyThatRow()
    {
        WriteIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        await CountListWritesAsync();

        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Empty(await ListWritesAsync());

        // GQA's row now links another intro file: its row mapping changes (and the list's text), nothing else.
        _temp.Write("attention/gqa2/README.md", "# GQA\n\nGroups of heads share keys.\n");
        await ImportRowsAsync(MqaRow, GqaRow.Replace("attention/gqa/", "attention/gqa2/", StringComparison.Ordinal), AlibiRow);

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
        await ImportRowsAsync(Lists.Mqa, Lists.Gqa);
        var plan = ImportPlan.Load(_temp.File("README.md"), new MarkdownRenderer());
        var mqa = PaperFields.FromList(plan.List.Papers.First(), intro: null, introHtml: null);
        await using (var c = await _db.OpenAsync(Ct))
        {
            var topicId = await c.ExecuteScalarAsync<long>("SELECT topic_id FROM papers WHERE arxiv_id = '1911.02150'");
            await c.ExecuteAsync(
                "UPDATE papers SET content_hash = @legacy, source_key = NULL, edited_by = 'mira', edited_at = '2026-01-01T00:00:00Z', title = 'Edited on the site' WHERE arxiv_id = '1911.02150'",
                new { legacy = PaperFields.LegacyHash(PaperFields.Values(mqa), mqa, topicId) });
        }

        var result = await ImportRowsAsync(Lists.Mqa, Lists.Gqa);

        Assert.Empty(result.ReplacedEdits);
        Assert.Equal(2, result.Unchanged);
        await using var after = await _db.OpenAsync(Ct);
        var (title, hash) = await after.QuerySingleAsync<(string, string)>("SELECT title, content_hash FROM papers WHERE arxiv_id = '1911.02150'");
        Assert.Equal("Edited on the site", title);
        Assert.StartsWith(PaperFields.SourceHashPrefix, hash, StringComparison.Ordinal);
        Assert.Equal(2, await after.ExecuteScalarAsync<long>("SELECT count(*) FROM papers WHERE source_key LIKE 'key:%'"));
    }

    // Source keys (migration 0024): a row whose key is the stored one is unchanged without its intro's text being read from
    // the file or the store; any other row is hashed over its text as before.

    private void WriteSettledIntros()
    {
        WriteIntros();
        foreach (var intro in (string[])["mqa", "gqa", "alibi"]) File.SetLastWriteTimeUtc(_temp.File($"attention/{intro}/README.md"), DateTime.UtcNow.AddHours(-1));
    }

    private async Task<long> ExecuteAsync(string sql)
    {
        await using var c = await _db.OpenAsync(Ct);
        return await c.ExecuteAsync(sql);
    }

    [Fact]
    public async Task Reimport_RowWithItsStoredSourceKey_IsUnchangedWithoutItsIntrosText_AndAChangedRowGetsItsTextFromTheStore()
    {
        WriteSettledIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(3, await c.ExecuteScalarAsync<long>("SELECT count(DISTINCT source_key) FROM papers WHERE source_key LIKE 'key:%'"));

        // The stored text is not even looked at for unchanged rows: a marker put in its place stays, nothing is rendered.
        await c.ExecuteAsync("UPDATE papers SET intro_markdown = '# GQA\n\nMarker text.\n' WHERE arxiv_id = '2305.13245'");
        var again = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((0, 3, 0), (again.Rendered, again.Unchanged, again.Updated));
        Assert.Equal("# GQA\n\nMarker text.\n", await c.ExecuteScalarAsync<string>("SELECT intro_markdown FROM papers WHERE arxiv_id = '2305.13245'"));

        // GQA's row changes (its citations), its intro file does not: the intro is the store's text, rendered again.
        var result = await ImportRowsAsync(MqaRow, GqaRow.Replace("| 335 |", "| 336 |", StringComparison.Ordinal), AlibiRow);
        Assert.Equal((1, 1, 2), (result.Rendered, result.Updated, result.Unchanged));
        Assert.Contains("Marker text.", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
        Assert.Equal(336, await c.ExecuteScalarAsync<long>("SELECT citations FROM papers WHERE arxiv_id = '2305.13245'"));
    }

    [Fact]
    public async Task Reimport_SourceKey_CatchesAChangedIntroFile_AndAChangedLinkTarget()
    {
        WriteSettledIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);

        // Same row, another intro file time: the key differs, the file is read, the new text imported.
        var alibi = _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear biases, no positions.\n");
        File.SetLastWriteTimeUtc(alibi, DateTime.UtcNow.AddMinutes(-30));
        var changed = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Equal((1, 1, 2), (changed.Rendered, changed.Updated, changed.Unchanged));
        Assert.Contains("no positions", await IntroHtmlAsync("2108.12409"), StringComparison.Ordinal);

        // MQA's intro links GQA's file; once GQA leaves the list that link leads nowhere: MQA's key changes with it.
        var gone = await ImportRowsAsync(MqaRow, AlibiRow);
        Assert.Equal((1, 2, 1), (gone.Removed, gone.Updated, gone.Rendered)); // MQA rewritten, ALiBi moved up a place
        Assert.DoesNotContain("href=\"/papers/", await IntroHtmlAsync("1911.02150"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_PlanHoldsNoSettledIntrosText_AndAnIntroChangedBeforeTheWriteIsCheckedAgain_AndNothingIsImported()
    {
        // A plan of 100,000 intros held every text (1.4 GB at 100k): a settled file's text is read again when its row is
        // written, and checked again when its size or time moved since the plan checked it.
        WriteSettledIntros();
        var path = _temp.Write("README.md", Lists.OneTopic(MqaRow, GqaRow, AlibiRow));
        var plan = await _importer.LoadAsync(path, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.All(plan.Intros.Values, intro => Assert.Null(intro.Text));

        _temp.Write("attention/alibi/README.md", "# ALiBi\n\nFine.\n\n" + new string('>', 128) + " deep\n");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _importer.ApplyAsync(plan, null, Ct));
        Assert.Contains("nested 128 levels deep", error.Message, StringComparison.Ordinal);
        await using (var c = await _db.OpenAsync(Ct)) Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM papers"));

        // The same plan with the file as it was checked: imported, the intro read again from its file.
        WriteSettledIntros();
        var result = await _importer.ApplyAsync(await _importer.LoadAsync(path, Ct), null, Ct);
        Assert.Equal((3, 3), (result.Added, result.Rendered));
        Assert.Contains("instead", await IntroHtmlAsync("2108.12409"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_ModeratorsEditOfARowWithASourceKey_StaysWhileTheRowIsUnchanged_AndIsReplacedWhenItChanges()
    {
        WriteSettledIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        // What CatalogEditor's save does to a list paper: the fields change, the hash and the key stay.
        await ExecuteAsync("UPDATE papers SET title = 'Edited on the site', intro_markdown = '# Edited\n\nBy mira.\n', edited_by = 'mira', edited_at = '2026-01-01T00:00:00Z' WHERE arxiv_id = '2305.13245'");

        var kept = await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        Assert.Empty(kept.ReplacedEdits);
        Assert.Equal((3, 0), (kept.Unchanged, kept.Rendered));
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(("Edited on the site", "mira"), await c.QuerySingleAsync<(string, string)>("SELECT title, edited_by FROM papers WHERE arxiv_id = '2305.13245'"));

        var replaced = await ImportRowsAsync(MqaRow, GqaRow.Replace("| 335 |", "| 336 |", StringComparison.Ordinal), AlibiRow);
        Assert.Single(replaced.ReplacedEdits);
        var (title, intro, editedBy) = await c.QuerySingleAsync<(string, string, string?)>("SELECT title, intro_markdown, edited_by FROM papers WHERE arxiv_id = '2305.13245'");
        Assert.StartsWith("GQA:", title, StringComparison.Ordinal);
        Assert.Null(editedBy);
        Assert.Equal("# GQA\n\nGroups of heads share keys.\n", intro); // the file's text, not the edit's
    }

    [Fact]
    public async Task Import_OfAPaperEditedAfterThePlanWasMade_TakesTheIntroFromItsFile_NotFromTheEdit()
    {
        WriteSettledIntros();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        var path = _temp.Write("README.md", Lists.OneTopic(MqaRow, GqaRow.Replace("| 335 |", "| 336 |", StringComparison.Ordinal), AlibiRow));
        var plan = await _importer.LoadAsync(path, Ct);
        Assert.Null(plan.Intros.Values.Single(i => i.FullPath.EndsWith("gqa/README.md", StringComparison.Ordinal)).Text); // to be fetched

        // A moderator saves GQA between the plan and its writing: the store no longer holds the file's text.
        await ExecuteAsync("UPDATE papers SET intro_markdown = '# Edited\n\nBy mira.\n', edited_by = 'mira', edited_at = '2026-01-01T00:00:00Z' WHERE arxiv_id = '2305.13245'");
        var result = await _importer.ApplyAsync(plan, null, Ct);

        Assert.Single(result.ReplacedEdits);
        Assert.Contains("share keys.", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
    }

    private readonly DateTime _hourAgo = DateTime.UtcNow.AddHours(-1);

    /// <summary>Gives every file of the list's folder (not the store) the same time, an hour ago, so an import records them.</summary>
    private void SettleFiles()
    {
        var hourAgo = _hourAgo;
        foreach (var file in Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("catalog.db", StringComparison.Ordinal)))
            File.SetLastWriteTimeUtc(file, hourAgo);
    }

    /// <summary>Counts every write to papers, search documents and list rows from now on.</summary>
    private async Task CountCatalogWritesAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        await c.ExecuteAsync("""
            CREATE TABLE test_writes (what TEXT NOT NULL, id INTEGER);
            CREATE TRIGGER test_papers_insert AFTER INSERT ON papers BEGIN INSERT INTO test_writes VALUES ('paper', new.id); END;
            CREATE TRIGGER test_papers_update AFTER UPDATE ON papers BEGIN INSERT INTO test_writes VALUES ('paper', new.id); END;
            CREATE TRIGGER test_papers_delete AFTER DELETE ON papers BEGIN INSERT INTO test_writes VALUES ('paper', old.id); END;
            CREATE TRIGGER test_documents_insert AFTER INSERT ON search_documents BEGIN INSERT INTO test_writes VALUES ('document', new.paper_id); END;
            CREATE TRIGGER test_documents_update AFTER UPDATE ON search_documents BEGIN INSERT INTO test_writes VALUES ('document', new.paper_id); END;
            CREATE TRIGGER test_documents_delete AFTER DELETE ON search_documents BEGIN INSERT INTO test_writes VALUES ('document', old.paper_id); END;
            CREATE TRIGGER test_rows_update AFTER UPDATE ON list_rows BEGIN INSERT INTO test_writes VALUES ('row', new.paper_id); END;
            """);
    }

    private async Task<List<(string What, long Id)>> CatalogWritesAsync()
    {
        await using var c = await _db.OpenAsync(Ct);
        var writes = (await c.QueryAsync<(string, long)>("SELECT what, id FROM test_writes ORDER BY rowid")).ToList();
        await c.ExecuteAsync("DELETE FROM test_writes");
        return writes;
    }

    [Fact]
    public async Task Reimport_NothingChanged_ParsesNothing_RendersNothing_AndWritesNothing()
    {
        WriteIntros();
        // A broken link in an intro is a warning: an import that finds nothing changed reports it again.
        _temp.Write("attention/alibi/README.md", "# ALiBi\n\nLinear biases instead of positions. See [notes](../notes.md).\n");
        SettleFiles();
        var path = _temp.Write("README.md", Lists.OneTopic(MqaRow, GqaRow, AlibiRow));
        var (firstPlan, first) = await _importer.ImportAsync(path, null, Ct);
        var warning = Assert.Single(firstPlan.Diagnostics);
        Assert.Equal(3, first!.Added);
        var before = await DumpAsync();
        await CountCatalogWritesAsync();

        var (plan, again) = await _importer.ImportAsync(path, null, Ct);
        Assert.Empty(plan.List.Topics); // nothing parsed
        Assert.Equal((0, 3, 0, 0, 0), (again!.Added, again.Unchanged, again.Updated, again.Removed, again.Rendered));
        Assert.Equal((1, 3, 1), (again.Topics, again.Intros, again.Warnings));
        Assert.Equal(warning, Assert.Single(plan.Diagnostics));
        Assert.Empty(await CatalogWritesAsync());
        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Reimport_AfterAWriteToThePapers_GoesRowByRow_AndPutsBackADeletedListPaper()
    {
        WriteIntros();
        SettleFiles();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        // Deleted by hand (as a moderator's removal would): the list still has the row, so the import brings it back.
        await using (var c = await _db.OpenAsync(Ct)) await c.ExecuteAsync("DELETE FROM papers WHERE arxiv_id = '2305.13245'");
        var path = _temp.File("README.md");
        var (plan, result) = await _importer.ImportAsync(path, null, Ct);
        Assert.NotEmpty(plan.List.Topics);
        Assert.Equal((1, 2), (result!.Added, result.Unchanged));
        Assert.Contains("share keys", await IntroHtmlAsync("2305.13245"), StringComparison.Ordinal);
        // That import recorded the state again: the next finds nothing changed.
        var (next, _) = await _importer.ImportAsync(path, null, Ct);
        Assert.Empty(next.List.Topics);
    }

    [Fact]
    public async Task Reimport_TheListOrAnImageChanged_IsNotTakenAsUnchanged()
    {
        _temp.Write("attention/mqa/README.md", "# MQA\n\nShare keys. ![heads](heads.svg) ![later](later.svg)\n");
        _temp.Write("attention/mqa/heads.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>");
        SettleFiles();
        await ImportRowsAsync(MqaRow);
        await using var c = await _db.OpenAsync(Ct);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM paper_media"));

        // An image that was missing appears: it is imported.
        _temp.Write("attention/mqa/later.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>");
        SettleFiles();
        Assert.Equal(1, (await ImportRowsAsync(MqaRow)).Updated);
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM paper_media"));

        // An image changes (another size): imported again.
        _temp.Write("attention/mqa/heads.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" height=\"10\"/></svg>");
        SettleFiles();
        Assert.Equal(1, (await ImportRowsAsync(MqaRow)).Updated);
        Assert.Contains("width=\"10\"", await c.ExecuteScalarAsync<string>("SELECT CAST(bytes AS TEXT) FROM paper_media WHERE path = 'heads.svg'"), StringComparison.Ordinal);

        // The list gains a row: parsed and imported.
        var grown = await ImportRowsAsync(MqaRow, Lists.Gqa);
        Assert.Equal((1, 1), (grown.Added, grown.Unchanged));
    }

    [Fact]
    public async Task Reimport_OneIntroOfMany_UpdatesExactlyThatRowAndItsSearchEntry()
    {
        var rows = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            _temp.Write($"intros/p{i}/README.md", $"# Paper {i}\n\nAbout topic number {i}.\n");
            rows.Add($"| Lab | **Generated Paper {i}** | [[pdf](https://example.org/p{i}.pdf)] [[intro](intros/p{i}/README.md)] | Lab | 2024.01 | {i} |");
        }
        SettleFiles();
        await ImportRowsAsync([.. rows]);
        File.SetLastWriteTimeUtc(_temp.Write("intros/p42/README.md", "# Paper 42\n\nAbout topic number 42, now with zeppelins.\n"), _hourAgo.AddMinutes(1));
        await CountCatalogWritesAsync();

        var result = await ImportRowsAsync([.. rows]);
        Assert.Equal((1, 99, 1), (result.Updated, result.Unchanged, result.Rendered));
        await using var c = await _db.OpenAsync(Ct);
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM papers WHERE title = 'Generated Paper 42'");
        Assert.All(await CatalogWritesAsync(), w => Assert.Equal(id, w.Id));
        Assert.Equal([id], await c.QueryAsync<long>("SELECT rowid FROM paper_search WHERE paper_search MATCH 'zeppelins'"));
        Assert.Contains("zeppelins", await c.ExecuteScalarAsync<string>("SELECT intro_html FROM papers WHERE id = @id", new { id }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OfAPlanFoundUnchanged_AfterAWriteSinceTheLoad_ImportsTheListRowByRow()
    {
        WriteIntros();
        SettleFiles();
        await ImportRowsAsync(MqaRow, GqaRow, AlibiRow);
        var plan = await _importer.LoadAsync(_temp.File("README.md"), Ct);
        Assert.Empty(plan.List.Topics);
        await using (var c = await _db.OpenAsync(Ct)) await c.ExecuteAsync("DELETE FROM papers WHERE arxiv_id = '2108.12409'");
        var result = await _importer.ApplyAsync(plan, null, Ct);
        Assert.Equal((1, 2), (result.Added, result.Unchanged));
        Assert.Contains("instead of positions", await IntroHtmlAsync("2108.12409"), StringComparison.Ordinal);
    }
}
