using System.CommandLine;
using PaperCatalog.Data;
using PaperCatalog.Moderation;

namespace PaperCatalog.Cli;

/// <summary><c>catalog moderator add|remove|list</c>: the only way moderator accounts are made (there is no default).</summary>
internal static class ModeratorCommands
{
    public static Command Moderator()
    {
        var command = new Command("moderator", "Manage the moderators who review submissions.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(List());
        return command;
    }

    /// <summary>The <c>--db</c> option of the verbs that work on an existing store.</summary>
    internal static Option<FileInfo> Db() => new("--db")
    {
        Description = "SQLite file of the catalog",
        DefaultValueFactory = _ => new FileInfo("catalog.db"),
    };

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "the moderator's sign-in name" };
        var db = Db();
        var command = new Command("add", $"Add a moderator, or set a new password (which signs that moderator out everywhere). The password is read from standard input, at least {ModeratorAccounts.MinPasswordLength} characters.") { name, db };
        command.SetAction(async (result, ct) =>
        {
            if (!Console.IsInputRedirected) Console.Error.Write("Password: ");
            var password = Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden();
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("catalog: no password was given on standard input.");
                return ExitCodes.Usage;
            }
            var accounts = new ModeratorAccounts(new CatalogDatabase(result.GetValue(db)!.FullName), TimeProvider.System);
            var problem = await accounts.AddAsync(result.GetValue(name)!, password, ct);
            if (problem is not null)
            {
                Console.Error.WriteLine("catalog: " + problem);
                return ExitCodes.Usage;
            }
            Console.WriteLine($"Moderator '{result.GetValue(name)!.Trim()}' can now sign in at /admin/signin.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "the moderator's sign-in name" };
        var db = Db();
        var command = new Command("remove", "Remove a moderator; every session they have ends at once.") { name, db };
        command.SetAction(async (result, ct) =>
        {
            var accounts = new ModeratorAccounts(new CatalogDatabase(result.GetValue(db)!.FullName), TimeProvider.System);
            if (await accounts.RemoveAsync(result.GetValue(name)!, ct))
            {
                Console.WriteLine($"Moderator '{result.GetValue(name)}' removed.");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"catalog: there is no moderator named '{result.GetValue(name)}'.");
            return ExitCodes.ListErrors;
        });
        return command;
    }

    private static Command List()
    {
        var db = Db();
        var command = new Command("list", "List the moderators.") { db };
        command.SetAction(async (result, ct) =>
        {
            var database = new CatalogDatabase(result.GetValue(db)!.FullName);
            await database.MigrateAsync(ct);
            foreach (var name in await new ModeratorAccounts(database, TimeProvider.System).ListAsync(ct)) Console.WriteLine(name);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ReadHidden()
    {
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (password.Length > 0) password.Length--; continue; }
            password.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}
