using System.CommandLine;
using PaperCatalog.Cli;

// The `catalog` tool: import a curated list into an SQLite catalog or check it without writing anything; export the
// catalog back as the list; manage moderators; back the store up and restore it.
var root = new RootCommand("PaperCatalog's command-line tool: turns a curated paper list (Markdown) into the catalog's SQLite store.")
{
    ListCommands.Import(),
    ListCommands.Check(),
    ListCommands.Export(),
    ModeratorCommands.Moderator(),
    StoreCommands.Backup(),
    StoreCommands.Restore(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"catalog: {error.Message}");
    Console.Error.WriteLine("Run 'catalog --help' for usage.");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync();
