using System.CommandLine;
using PaperCatalog.Data;

namespace PaperCatalog.Cli;

/// <summary><c>catalog backup FILE</c> and <c>catalog restore FILE</c>: consistent copies of a store, even a running one.</summary>
internal static class StoreCommands
{
    public static Command Backup()
    {
        var file = new Argument<FileInfo>("file") { Description = "where to write the backup (replaced when it exists)" };
        var db = ModeratorCommands.Db();
        var command = new Command("backup", "Copy the store to FILE with SQLite's online backup: consistent while the site and imports write.") { file, db };
        command.SetAction(async (result, ct) =>
        {
            var database = new CatalogDatabase(result.GetValue(db)!.FullName);
            var target = result.GetValue(file)!.FullName;
            try
            {
                await StoreBackup.BackupAsync(database, target, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Console.Error.WriteLine($"catalog: no backup was made: {e.Message}");
                return ExitCodes.ListErrors;
            }
            Console.WriteLine($"Backed up {database.Path} to {target}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Restore()
    {
        var file = new Argument<FileInfo>("file") { Description = "a backup made by 'catalog backup'" };
        var db = ModeratorCommands.Db();
        var command = new Command("restore", "Replace the store's contents with a backup (checked first; a running site sees the restored catalog at once).") { file, db };
        command.SetAction(async (result, ct) =>
        {
            var database = new CatalogDatabase(result.GetValue(db)!.FullName);
            var source = result.GetValue(file)!.FullName;
            string? problem;
            try
            {
                problem = await StoreBackup.RestoreAsync(database, source, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                problem = e.Message;
            }
            if (problem is not null)
            {
                Console.Error.WriteLine($"catalog: nothing was restored: {problem}");
                return ExitCodes.ListErrors;
            }
            Console.WriteLine($"Restored {database.Path} from {source}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
