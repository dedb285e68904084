using System.CommandLine;
using PaperCatalog.Data;
using PaperCatalog.Exporting;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;

namespace PaperCatalog.Cli;

/// <summary>The verbs that read a list (<c>import</c>, <c>check</c>) and the one that writes it back (<c>export</c>).</summary>
internal static class ListCommands
{
    public static Command Import()
    {
        var list = ListArgument();
        var db = new Option<FileInfo>("--db")
        {
            Description = "SQLite file to write (created when missing)",
            DefaultValueFactory = _ => new FileInfo("catalog.db"),
        };
        var command = new Command("import", "Import the list into the catalog: one transaction, nothing written when the list has errors.") { list, db };
        command.SetAction(async (result, ct) =>
        {
            var listFile = result.GetValue(list)!;
            if (!listFile.Exists) return MissingList(listFile);
            var database = new CatalogDatabase(result.GetValue(db)!.FullName);
            var markdown = new MarkdownRenderer();
            var importer = new CatalogImporter(database, markdown, TimeProvider.System);
            var progress = Console.IsErrorRedirected ? null : new Progress<ImportProgress>(p =>
            {
                if (p.Total >= 5000) Console.Error.Write($"\rimporting {p.Done:N0}/{p.Total:N0} papers");
                if (p.Total >= 5000 && p.Done == p.Total) Console.Error.WriteLine();
            });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var plan = await importer.LoadAsync(listFile.FullName, ct);
            var read = clock.Elapsed;
            Report(plan);
            if (plan.HasErrors)
            {
                Console.Error.WriteLine($"{plan.ErrorCount} error(s), {plan.WarningCount} warning(s): nothing was written to {database.Path}");
                return ExitCodes.ListErrors;
            }
            var summary = await importer.ApplyAsync(plan, progress, ct);
            foreach (var replaced in summary.ReplacedEdits) Console.Error.WriteLine(replaced.ToString());
            var written = clock.Elapsed - read;
            Console.WriteLine($"Imported {listFile.Name} into {database.Path}: {summary}");
            Console.WriteLine($"Read and checked in {read.TotalSeconds:F2} s, written in {written.TotalSeconds:F2} s.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Check()
    {
        var list = ListArgument();
        var command = new Command("check", "Report every problem in the list (file:line) without touching any database.") { list };
        command.SetAction(result =>
        {
            var listFile = result.GetValue(list)!;
            if (!listFile.Exists) return MissingList(listFile);
            var plan = ImportPlan.Load(listFile.FullName, new MarkdownRenderer());
            Report(plan);
            var papers = plan.List.Papers.Count();
            Console.WriteLine($"Checked {listFile.Name}: {plan.List.Topics.Count} topics, {papers} papers, {plan.Intros.Count} intros; {plan.ErrorCount} error(s), {plan.WarningCount} warning(s)");
            return plan.HasErrors ? ExitCodes.ListErrors : ExitCodes.Ok;
        });
        return command;
    }

    public static Command Export()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "where to write the list and its intros, e.g. a checkout of the list's repository" };
        var db = ModeratorCommands.Db();
        var command = new Command("export", "Write the catalog back as the list: the imported list with the site's approvals and edits in it, and every intro with its images.") { folder, db };
        command.SetAction(async (result, ct) =>
        {
            var database = new CatalogDatabase(result.GetValue(db)!.FullName);
            if (!File.Exists(database.Path))
            {
                Console.Error.WriteLine($"catalog: store '{database.Path}' does not exist");
                return ExitCodes.Usage;
            }
            var target = result.GetValue(folder)!.FullName;
            var files = await new ListExport(database).ExportAsync(ct);
            try
            {
                foreach (var file in files)
                {
                    var path = Path.GetFullPath(Path.Combine(target, file.Path));
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllBytesAsync(path, file.Bytes, ct);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"catalog: the export stopped: {e.Message}");
                return ExitCodes.ListErrors;
            }
            Console.WriteLine($"Exported {database.Path} to {target}: {files[0].Path} and {files.Count - 1} intro and image file(s).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<FileInfo> ListArgument() => new("list") { Description = "the list's Markdown file, e.g. data/README.md" };

    private static int MissingList(FileInfo file)
    {
        Console.Error.WriteLine($"catalog: list file '{file.FullName}' does not exist");
        return ExitCodes.Usage;
    }

    /// <summary>First what the list was read as (a curator sees at once whether the shape was understood), then every problem.</summary>
    private static void Report(ImportPlan plan)
    {
        Console.WriteLine($"{Path.GetFileName(plan.List.File)}: {plan.List.Recognised}");
        foreach (var d in plan.Diagnostics) Console.Error.WriteLine(d.ToString());
    }
}
