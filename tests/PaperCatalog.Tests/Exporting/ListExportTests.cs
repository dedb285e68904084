using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Exporting;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Moderation;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Submissions;
using PaperCatalog.Tests.Importing;

namespace PaperCatalog.Tests.Exporting;

/// <summary>
/// The list round trip on real SQLite files: an export right after an import gives the imported files back byte for
/// byte, and after the site approved, edited or deleted a paper the export differs in exactly that row or intro.
/// </summary>
public sealed class ListExportTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private readonly MarkdownRenderer _markdown = new();
    private static CancellationToken Ct => CancellationToken.None;

    public ListExportTests() => _db = new CatalogDatabase(_temp.File("catalog.db"));

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Shapes() => ["bullets-br.md", "bullets-short.md", "decorated-table.md", "reordered-table.md"];

    private static string Shape(string name) => Path.Combine(AppContext.BaseDirectory, "Importing", "Shapes", name);

    private static string BundledFolder() => Path.GetDirectoryName(BundledListTests.BundledList())!;

    private async Task ImportAsync(string list, CatalogDatabase? into = null)
    {
        var (plan, result) = await new CatalogImporter(into ?? _db, _markdown, TimeProvider.System).ImportAsync(list, null, Ct);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.NotNull(result);
    }

    private async Task<Dictionary<string, byte[]>> ExportAsync(CatalogDatabase? from = null) =>
        (await new ListExport(from ?? _db).ExportAsync(Ct)).ToDictionary(f => f.Path, f => f.Bytes);

    /// <summary>Writes exported files into a folder of their own, as `catalog export` does; returns the folder.</summary>
    private string WriteOut(Dictionary<string, byte[]> files)
    {
        var folder = Path.Combine(_temp.Path, "exported");
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllBytes(Path.Combine(folder, path), bytes);
        }
        return folder;
    }

    private static Dictionary<string, byte[]> FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes);

    private static void AssertSameFiles(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual, params string[] except)
    {
        Assert.Equal(expected.Keys.Except(except).Order(StringComparer.Ordinal), actual.Keys.Except(except).Order(StringComparer.Ordinal));
        Assert.All(expected.Keys.Except(except), path => Assert.True(expected[path].AsSpan().SequenceEqual(actual[path]), $"{path} differs"));
    }

    /// <summary>The lines that differ, after taking away the lines both texts begin and end with.</summary>
    private static (List<string> Removed, List<string> Added) Diff(byte[] before, byte[] after)
    {
        var a = Encoding.UTF8.GetString(before).Split('\n');
        var b = Encoding.UTF8.GetString(after).Split('\n');
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;
        return (a[head..(a.Length - tail)].ToList(), b[head..(b.Length - tail)].ToList());
    }

    private CatalogEditor Editor() =>
        new(_db, new PaperStore(_db, new SearchIndex(_markdown)), _markdown, new AuditLog(_db, TimeProvider.System), TimeProvider.System);

    private static SubmissionForm Tidal(string topic) => new()
    {
        Title = "Tidal: Scheduling Prefill and Decode Like the Tides",
        Link = "https://arxiv.org/abs/9901.00001",
        Code = "https://github.com/example/tidal",
        Authors = "Ada Lovelace, Grace Hopper, Edsger Dijkstra",
        Topic = topic,
        Keywords = "Tidal",
        Affiliation = "Analytical Engines Lab",
        Date = "2022.07",
        Venue = "OSDI 2022",
        Citations = "512",
        Intro = "# Tidal\n\nSchedules a batch one iteration at a time.\n",
    };

    /// <summary>Submits and approves <paramref name="form"/>; returns the new paper's slug.</summary>
    private async Task<string> ApproveAsync(SubmissionForm form)
    {
        var submissions = new SubmissionStore(_db, _markdown, TimeProvider.System);
        var token = (await submissions.SubmitAsync(form, Guid.NewGuid().ToString("N"), Ct)).Token;
        var submission = (await submissions.ByTokenAsync(token, Ct))!;
        var approved = await Editor().ApproveAsync(submission.Id, submission.ToForm(), "mod", Ct);
        Assert.True(approved.Done, approved.Problem);
        return approved.PaperSlug!;
    }

    private async Task EditAsync(string slug, Action<SubmissionForm> change)
    {
        var form = (await Editor().GetAsync(slug, Ct))!.Form;
        change(form);
        var edited = await Editor().EditAsync(slug, form, "mod", Ct);
        Assert.True(edited.Done, edited.Problem);
    }

    [Fact]
    public async Task Export_RightAfterImportingTheBundledList_GivesEveryFileOfDataBackByteForByte()
    {
        await ImportAsync(BundledListTests.BundledList());
        AssertSameFiles(FilesUnder(BundledFolder()), await ExportAsync());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Export_RightAfterImportingEachListShape_GivesTheListBackByteForByte(string shape)
    {
        await ImportAsync(Shape(shape));
        var files = await ExportAsync();
        Assert.Equal([shape], files.Keys);
        Assert.Equal(File.ReadAllBytes(Shape(shape)), files[shape]);
    }

    [Fact]
    public async Task Export_OfAListWithWindowsLineEndingsAndAByteOrderMark_GivesBothBack()
    {
        var text = Lists.OneTopic(Lists.Mqa, Lists.Gqa).Replace("\n", "\r\n", StringComparison.Ordinal);
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];
        var list = _temp.File("list.md");
        File.WriteAllBytes(list, bytes);
        await ImportAsync(list);
        Assert.Equal(bytes, (await ExportAsync())["list.md"]);
    }

    [Fact]
    public async Task Issue_LongTextWithANul_WasCutAtTheNulWhenStored_NowComesBackWhole()
    {
        // SQLitePCL binds long strings NUL-terminated; the importer fuzz test met a list with a NUL 19 KB in.
        var text = Lists.OneTopic(Lists.Mqa, Lists.Gqa) + "\n" + new string('x', 5000) + "\0 after the NUL\n";
        var list = _temp.Write("list.md", text);
        await ImportAsync(list);
        Assert.Equal(Encoding.UTF8.GetBytes(text), (await ExportAsync())["list.md"]);
    }

    [Fact]
    public async Task Export_AfterAnApproval_AddsOneRowAtTheEndOfItsTopicsTableAndTheIntro_AndNothingElse()
    {
        await ImportAsync(BundledListTests.BundledList());
        var slug = await ApproveAsync(Tidal("serving"));
        var before = FilesUnder(BundledFolder());
        var after = await ExportAsync();

        var intro = $"serving/{slug}/README.md";
        AssertSameFiles(before, after, "README.md", intro);
        Assert.Equal("# Tidal\n\nSchedules a batch one iteration at a time.\n", Encoding.UTF8.GetString(after[intro]));
        var (removed, added) = Diff(before["README.md"], after["README.md"]);
        Assert.Empty(removed);
        Assert.Equal([$"| Tidal | **Tidal: Scheduling Prefill and Decode Like the Tides** [OSDI 2022] | Ada Lovelace, Grace Hopper, Edsger Dijkstra | [[pdf](https://arxiv.org/abs/9901.00001)] [[intro]({intro})] | [[code](https://github.com/example/tidal)] | Analytical Engines Lab | 2022.07 | 512 |"], added);
        // Under the serving table's last row.
        var lines = Encoding.UTF8.GetString(after["README.md"]).Split('\n').ToList();
        var row = lines.FindIndex(l => l.Contains("Tidal:", StringComparison.Ordinal));
        Assert.StartsWith("| ", lines[row - 1]);
        Assert.Equal("", lines[row + 1]);
        Assert.Equal("## Batching", lines[row + 2]);
    }

    [Fact]
    public async Task Export_AfterAModeratorsEdit_RewritesOnlyTheEditedCellOfThatRow()
    {
        await ImportAsync(BundledListTests.BundledList());
        await EditAsync("gqa", f => f.Citations = "1400");
        var before = FilesUnder(BundledFolder());
        var after = await ExportAsync();
        AssertSameFiles(before, after, "README.md");
        var (removed, added) = Diff(before["README.md"], after["README.md"]);
        Assert.Equal([removed.Single().Replace("| 489 |", "| 1400 |", StringComparison.Ordinal)], added);
    }

    [Fact]
    public async Task Export_AfterAModeratorSetsATopicsCitationDate_RewritesOnlyTheDateInItsLine()
    {
        await ImportAsync(BundledListTests.BundledList());
        Assert.True((await Editor().SetCitationDateAsync("attention", "2025-03-02", "mod", Ct)).Done);
        var before = FilesUnder(BundledFolder());
        var after = await ExportAsync();
        AssertSameFiles(before, after, "README.md");
        var (removed, added) = Diff(before["README.md"], after["README.md"]);
        Assert.Equal(["Last update of citation was on 23rd January, 2025."], removed);
        Assert.Equal(["Last update of citation was on 2nd March, 2025."], added);
    }

    [Fact]
    public async Task Export_AfterAModeratorsEditOfAnIntro_ChangesOnlyThatIntroFile()
    {
        await ImportAsync(BundledListTests.BundledList());
        await EditAsync("gqa", f => f.Intro += "\n\nA line a moderator added.\n");
        var before = FilesUnder(BundledFolder());
        var after = await ExportAsync();
        AssertSameFiles(before, after, "attention/gqa/README.md");
        Assert.EndsWith("A line a moderator added.\n", Encoding.UTF8.GetString(after["attention/gqa/README.md"]));
    }

    [Fact]
    public async Task Export_AfterAModeratorMovesAPaperToAnotherTopic_TakesItsRowFromOneTableToTheEndOfTheOther()
    {
        await ImportAsync(BundledListTests.BundledList());
        await EditAsync("gqa", f => f.Topic = "serving");
        var text = Encoding.UTF8.GetString((await ExportAsync())["README.md"]);
        var original = File.ReadAllLines(BundledListTests.BundledList()).Single(l => l.StartsWith("| GQA |", StringComparison.Ordinal));
        var lines = text.Split('\n').ToList();
        Assert.Single(lines, original);
        Assert.True(lines.IndexOf(original) > lines.IndexOf("## Serving") && lines.IndexOf(original) < lines.IndexOf("## Batching"));
    }

    [Fact]
    public async Task Export_AfterAModeratorDeletesAPaper_LeavesOutItsRowAndIntro()
    {
        await ImportAsync(BundledListTests.BundledList());
        Assert.True((await Editor().DeleteAsync("gqa", "mod", Ct)).Done);
        var before = FilesUnder(BundledFolder());
        var after = await ExportAsync();
        AssertSameFiles(before, after, "README.md", "attention/gqa/README.md", "attention/gqa/gqa-groups.svg");
        Assert.False(after.ContainsKey("attention/gqa/README.md"));
        var (removed, added) = Diff(before["README.md"], after["README.md"]);
        Assert.StartsWith("| GQA |", Assert.Single(removed));
        Assert.Empty(added);
    }

    [Fact]
    public async Task Export_OfAPaperApprovedIntoANewTopic_AddsASectionLikeTheListsOwnAfterTheLastTopic()
    {
        await ImportAsync(BundledListTests.BundledList());
        var form = Tidal(SubmissionForm.NewTopic);
        form.NewTopicName = "Scheduling";
        await ApproveAsync(form);
        var (removed, added) = Diff(FilesUnder(BundledFolder())["README.md"], (await ExportAsync())["README.md"]);
        Assert.Empty(removed);
        // The blank line before the new heading is the one after the last table; the new section brings its own after it.
        Assert.Equal(["## Scheduling", "", "| Keywords | Title | Authors | Paper | Code | Affiliation | Date | Citation |", "|---|---|---|---|---|---|---|---|"], added.Take(4));
        Assert.StartsWith("| Tidal | **Tidal:", added[4]);
        Assert.Equal(["", ], added.Skip(5));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Export_AfterAnApprovalIntoEachListShape_ReadsBackAsTheSamePaper_InTheBlocksOwnSpelling(string shape)
    {
        await ImportAsync(Shape(shape));
        var topic = ListParser.Parse(File.ReadAllText(Shape(shape)), shape).Topics[0];
        await ApproveAsync(Tidal(topic.Slug));
        var files = await ExportAsync();
        var (removed, added) = Diff(File.ReadAllBytes(Shape(shape)), files[shape]);
        Assert.Empty(removed);
        var row = Assert.Single(added);

        var folder = WriteOut(files);
        var plan = ImportPlan.Load(Path.Combine(folder, shape), _markdown);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        var back = plan.List.Topics[0].Papers[^1];
        Assert.Equal(row, File.ReadAllLines(Path.Combine(folder, shape))[back.Line - 1]);
        Assert.Equal(Tidal("").Title, back.Title);
        Assert.Equal("https://arxiv.org/abs/9901.00001", back.PdfUrl);
        Assert.Equal("https://github.com/example/tidal", back.CodeUrl);
        Assert.Equal("OSDI 2022", back.Venue);
        Assert.Equal("Analytical Engines Lab", back.Affiliation);
        Assert.Equal(["Tidal"], back.Keywords);
        Assert.NotNull(plan.Intros.GetValueOrDefault(back));
        var columns = topic.Blocks[0].Columns;
        if (columns?.Date >= 0) Assert.Equal("2022.07", back.Published);
        if (columns?.Citation >= 0) Assert.Equal(512, back.Citations);
        if (columns?.Authors >= 0) Assert.Equal(["Ada Lovelace", "Grace Hopper", "Edsger Dijkstra"], back.Authors);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Export_AfterAnEditInEachListShape_ChangesOnlyThatRow_AndReadsBackAsTheEdit(string shape)
    {
        await ImportAsync(Shape(shape));
        var first = ListParser.Parse(File.ReadAllText(Shape(shape)), shape).Topics[0].Papers[0];
        var slug = Slugs.ForTitle(first.Title);
        await EditAsync(slug, f => f.Affiliation = "A Lab Renamed");
        var files = await ExportAsync();
        var (removed, added) = Diff(File.ReadAllBytes(Shape(shape)), files[shape]);
        Assert.Single(removed);
        var row = Assert.Single(added);
        var list = _temp.Write("again/" + shape, Encoding.UTF8.GetString(files[shape]));
        var back = ImportPlan.Load(list, _markdown).List.Papers.Single(p => p.Line == first.Line);
        Assert.Equal("A Lab Renamed", back.Affiliation);
        Assert.Equal(first.Title, back.Title);
        Assert.Equal(first.PdfUrl, back.PdfUrl);
        Assert.Contains("A Lab Renamed", row);
    }

    [Fact]
    public async Task Import_OfAnExportWithASitePaper_AdoptsTheSitePaper_RatherThanListingItTwice()
    {
        await ImportAsync(BundledListTests.BundledList());
        var slug = await ApproveAsync(Tidal("serving"));
        var folder = WriteOut(await ExportAsync());
        await ImportAsync(Path.Combine(folder, "README.md"));
        SqliteConnection.ClearAllPools();
        await using var connection = await _db.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(slug || ':' || origin) FROM papers WHERE title LIKE 'Tidal:%';";
        Assert.Equal(slug + ":list", (string?)await command.ExecuteScalarAsync(Ct));
        // And the store now exports exactly the files it was imported from.
        AssertSameFiles(FilesUnder(folder), await ExportAsync());
    }
}
