using Dapper;
using PaperCatalog.Data;

namespace PaperCatalog.About;

/// <summary>What the imported list says about itself.</summary>
public sealed record ListAbout
{
    /// <summary>The list's "# Title"; empty when it has none.</summary>
    public string Title { get; init; } = "";
    /// <summary>The first paragraph under the title, as plain text.</summary>
    public string Summary { get; init; } = "";
    /// <summary>Everything under the title, rendered and sanitised at import.</summary>
    public string DescriptionHtml { get; init; } = "";
}

/// <summary>Reads the list's title and description for the home page and the page titles.</summary>
public sealed class AboutQueries(CatalogDatabase database, CatalogCache cache)
{
    public async Task<ListAbout> GetAsync(CancellationToken ct) => (await cache.GetOrLoadAsync("about", LoadAsync, ct))!;

    private async Task<ListAbout?> LoadAsync(CancellationToken ct)
    {
        const string sql = "SELECT key AS Key, value AS Value FROM catalog_info;";
        await using var connection = await database.OpenAsync(ct);
        var values = (await connection.QueryAsync<(string Key, string Value)>(new CommandDefinition(sql, cancellationToken: ct)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        return new ListAbout
        {
            Title = values.GetValueOrDefault("title", ""),
            Summary = values.GetValueOrDefault("summary", ""),
            DescriptionHtml = values.GetValueOrDefault("description_html", ""),
        };
    }
}
