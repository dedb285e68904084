namespace PaperCatalog.Web.Hosting;

/// <summary>
/// The folder that holds <c>wwwroot/</c> and <c>data/</c>: the repository's top level when run from source
/// (whatever the working directory), or the publish folder, which carries copies of both.
/// </summary>
public static class AppRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string WebRoot => System.IO.Path.Combine(Path, "wwwroot");

    /// <summary>Resolves a configured path: absolute paths stay, relative ones are read from the app root.</summary>
    public static string Resolve(string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, path));

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "wwwroot", "css", "site.css"))) return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
