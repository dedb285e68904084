namespace PaperCatalog.Web.Hosting;

/// <summary>Configuration section <c>Catalog</c> (environment: <c>Catalog__Database</c>, <c>Catalog__Source</c>).</summary>
public sealed class CatalogOptions
{
    /// <summary>SQLite file; relative paths are read from the app root (the repository, or the publish folder).</summary>
    public string Database { get; set; } = "catalog.db";

    /// <summary>The list imported when the store is missing or empty at startup.</summary>
    public string Source { get; set; } = "data/README.md";
}
