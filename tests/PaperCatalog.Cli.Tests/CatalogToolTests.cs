using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PaperCatalog.Tests;

namespace PaperCatalog.Cli.Tests;

/// <summary>The `catalog` tool as a curator runs it: a real process, real files, exit codes and messages.</summary>
public sealed class CatalogToolTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, params string[] args) =>
        RunWithInputAsync(workingDirectory, null, args);

    /// <summary>Runs the tool with <paramref name="input"/> on its standard input (as a password is given).</summary>
    private static async Task<(int Code, string Out, string Err)> RunWithInputAsync(string workingDirectory, string? input, params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "catalog.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(tool);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Import_GoodList_WritesTheStoreAndPrintsASummary()
    {
        _temp.Write("README.md", Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        var (code, stdout, _) = await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db");
        Assert.Equal(0, code);
        Assert.Contains("1 topics; papers: 2 added, 0 updated, 0 removed, 0 unchanged; 0 intros; 0 images; 0 warnings", stdout);
        Assert.True(File.Exists(_temp.File("out.db")));

        var (again, stdout2, _) = await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db");
        Assert.Equal(0, again);
        Assert.Contains("0 added, 0 updated, 0 removed, 2 unchanged", stdout2);
    }

    [Fact]
    public async Task Import_ThatReplacesAModeratorsEdit_NamesItWithFileAndLine()
    {
        _temp.Write("README.md", Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        Assert.Equal(0, (await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db")).Code);
        var db = new PaperCatalog.Data.CatalogDatabase(_temp.File("out.db"));
        var markdown = new PaperCatalog.Markdown.MarkdownRenderer();
        var editor = new PaperCatalog.Moderation.CatalogEditor(db, new PaperCatalog.Papers.PaperStore(db, new PaperCatalog.Search.SearchIndex(markdown)),
            markdown, new PaperCatalog.Moderation.AuditLog(db, TimeProvider.System), TimeProvider.System);
        var form = (await editor.GetAsync("gqa", CancellationToken.None))!.Form;
        form.Citations = "1400";
        Assert.True((await editor.EditAsync("gqa", form, "alice", CancellationToken.None)).Done);
        SqliteConnection.ClearAllPools();

        _temp.Write("README.md", Lists.OneTopic(Lists.Mqa, Lists.Gqa.Replace("| 335 |", "| 350 |", StringComparison.Ordinal)));
        var (code, stdout, stderr) = await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db");
        Assert.Equal(0, code);
        Assert.Contains("README.md:10: warning: the list's row for 'GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints' changed, so it replaced alice's edit", stderr);
        Assert.Contains("1 site edits replaced by the list", stdout);
    }

    [Fact]
    public async Task Import_ListWithErrors_ReportsEveryOneWithFileAndLineAndWritesNothing()
    {
        _temp.Write("README.md", Lists.OneTopic(
            "| A | **A** | [[pdf](https://a.example)] | Lab | 2023.13 | 1 |",
            Lists.Mqa,
            "| B | **B** | [[pdf](https://b.example)] | Lab | 2023.01 | many |"));
        var (code, _, stderr) = await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db");
        Assert.Equal(1, code);
        Assert.Contains("README.md:9: error: date '2023.13' is not a date", stderr);
        Assert.Contains("README.md:11: error: citation 'many' is not a number", stderr);
        Assert.Contains("nothing was written", stderr);
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(_temp.File("out.db")));
    }

    [Fact]
    public async Task Check_ReportsWarningsAndTouchesNoDatabase()
    {
        _temp.Write("README.md", Lists.OneTopic("| MQA | **Fast Transformer Decoding: One Write-Head is All You Need** | [[pdf](https://arxiv.org/abs/1911.02150)] | 2019.11 | 252 | |"));
        var (code, stdout, stderr) = await RunAsync(_temp.Path, "check", "README.md");
        Assert.Equal(0, code);
        Assert.Contains("README.md:9: warning: row has no affiliation", stderr);
        Assert.Contains("1 topics, 1 papers, 0 intros; 0 error(s), 1 warning(s)", stdout);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.db"));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("import")]
    [InlineData("check", "missing.md")]
    [InlineData("import", "README.md", "--bogus")]
    public async Task WrongCommandLine_ExitsWith2AndSaysWhy(params string[] args)
    {
        _temp.Write("README.md", Lists.OneTopic(Lists.Mqa));
        var (code, _, stderr) = await RunAsync(_temp.Path, args);
        Assert.Equal(2, code);
        Assert.StartsWith("catalog: ", stderr);
    }

    [Fact]
    public async Task Moderator_Add_ReadsThePasswordFromStdin_HashesIt_AndRemoveWorks()
    {
        var (code, stdout, _) = await RunWithInputAsync(_temp.Path, "a long enough passphrase", "moderator", "add", "mira", "--db", "cat.db");
        Assert.Equal(0, code);
        Assert.Contains("mira", stdout);
        using (var c = new SqliteConnection($"Data Source={_temp.File("cat.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT password_hash FROM moderators WHERE name = 'mira';";
            var hash = (string)cmd.ExecuteScalar()!;
            Assert.DoesNotContain("passphrase", hash);
            Assert.True(Convert.FromBase64String(hash).Length > 32);
        }
        var (listed, names, _) = await RunAsync(_temp.Path, "moderator", "list", "--db", "cat.db");
        Assert.Equal((0, "mira"), (listed, names.Trim()));
        Assert.Equal(0, (await RunAsync(_temp.Path, "moderator", "remove", "mira", "--db", "cat.db")).Code);
        Assert.Equal(1, (await RunAsync(_temp.Path, "moderator", "remove", "mira", "--db", "cat.db")).Code);
    }

    [Fact]
    public async Task Moderator_NewPasswordOrRemoval_EndsEverySessionOfThatModerator_Only()
    {
        // Issue 10: a captured cookie kept working after `catalog moderator add` reset the password.
        foreach (var name in new[] { "mira", "noor" })
            Assert.Equal(0, (await RunWithInputAsync(_temp.Path, "a long enough passphrase", "moderator", "add", name, "--db", "cat.db")).Code);
        Sql("""
            INSERT INTO moderator_sessions (id, moderator_id, client, created_at, expires_at)
            SELECT name || '-' || n, id, '127.0.0.1', '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z'
            FROM moderators, (SELECT 1 AS n UNION ALL SELECT 2);
            """);
        Assert.Equal(0, (await RunWithInputAsync(_temp.Path, "a brand new passphrase", "moderator", "add", "mira", "--db", "cat.db")).Code);
        Assert.Equal("noor-1,noor-2", Sql("SELECT group_concat(id, ',') FROM (SELECT id FROM moderator_sessions ORDER BY id);"));
        Assert.Equal(0, (await RunAsync(_temp.Path, "moderator", "remove", "noor", "--db", "cat.db")).Code);
        Assert.Equal(0L, Sql("SELECT count(*) FROM moderator_sessions;"));
    }

    private object? Sql(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_temp.File("cat.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Theory]
    [InlineData("short")]
    [InlineData("")]
    public async Task Moderator_Add_RefusesAShortOrMissingPassword(string password)
    {
        var (code, _, stderr) = await RunWithInputAsync(_temp.Path, password, "moderator", "add", "mira", "--db", "cat.db");
        Assert.Equal(2, code);
        Assert.Contains("password", stderr);
    }

    [Fact]
    public async Task Check_SaysFirstWhatItRecognised_AndImportOfAnUnreadableListIsRefused()
    {
        var shapes = Path.Combine(AppContext.BaseDirectory, "Importing", "Shapes");
        var (code, stdout, _) = await RunAsync(shapes, "check", "decorated-table.md");
        Assert.Equal(0, code);
        Assert.StartsWith("decorated-table.md: table with columns Date, Title, Paper, Code (Recom ignored): 2 topics, 5 rows", stdout);

        File.Copy(Path.Combine(shapes, "unreadable.md"), _temp.File("README.md"));
        var (refused, _, stderr) = await RunAsync(_temp.Path, "import", "README.md", "--db", "out.db");
        Assert.Equal(1, refused);
        Assert.Contains("README.md:7: error: 4 of the 4 rows of this table cannot be read", stderr);
        Assert.Contains("nothing was written", stderr);
    }

    [Fact]
    public async Task Export_RightAfterImportingTheBundledList_WritesEveryFileOfDataBackByteForByte()
    {
        var data = Path.GetDirectoryName(PaperCatalog.Tests.Importing.BundledListTests.BundledList())!;
        Assert.Equal(0, (await RunAsync(_temp.Path, "import", Path.Combine(data, "README.md"), "--db", "out.db")).Code);
        var (code, stdout, _) = await RunAsync(_temp.Path, "export", "list", "--db", "out.db");
        Assert.Equal(0, code);
        Assert.Contains("Exported", stdout);
        var exported = _temp.File("list");
        static IEnumerable<string> Files(string folder) =>
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal);
        Assert.Equal(Files(data), Files(exported));
        Assert.All(Files(data), f => Assert.True(File.ReadAllBytes(Path.Combine(data, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(exported, f))), $"{f} differs"));
    }

    [Fact]
    public async Task Export_WithoutAStore_SaysSoAndWritesNothing()
    {
        var (code, _, stderr) = await RunAsync(_temp.Path, "export", "list", "--db", "missing.db");
        Assert.Equal(2, code);
        Assert.Contains("missing.db' does not exist", stderr);
        Assert.False(Directory.Exists(_temp.File("list")));
        Assert.False(File.Exists(_temp.File("missing.db")));
    }
}
