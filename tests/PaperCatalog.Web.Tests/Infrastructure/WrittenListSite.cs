namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>
/// The real site over a list a test writes: the list (and any intro files beside it) in a temp folder of its own,
/// deleted with the site. <c>write</c> is given the folder and returns the list's Markdown.
/// </summary>
public abstract class WrittenListSite : IDisposable
{
    protected WrittenListSite(string name, Func<string, string> write)
    {
        Folder = Path.Combine(Path.GetTempPath(), "papercatalog-web-tests", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "README.md"), write(Folder));
        Site = new CatalogFactory { Source = Path.Combine(Folder, "README.md") };
    }

    public string Folder { get; }
    public CatalogFactory Site { get; }

    public void Dispose()
    {
        Site.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}
