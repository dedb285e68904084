using Dapper;
using PaperCatalog.Data;

namespace PaperCatalog.Lookup;

/// <summary>A page the reader may have meant.</summary>
public sealed record Suggestion
{
    public string Kind { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";

    public string Url => Kind switch
    {
        "topic" => PaperUrls.Topic(Slug),
        "keyword" => PaperUrls.Keyword(Slug),
        _ => PaperUrls.Paper(Slug),
    };
}

/// <summary>
/// For a mistyped or outdated address (<c>/papers/flashattention2</c>), the pages whose slugs start the same way.
/// Each probe is an indexed range scan, so a flood of bad addresses costs little.
/// </summary>
public sealed class SlugSuggestions(CatalogDatabase database)
{
    private const int MinPrefix = 3;

    /// <summary>
    /// Up to <paramref name="limit"/> pages whose slug shares the longest prefix with <paramref name="slug"/>;
    /// pages of <paramref name="kind"/> ("paper", "topic", "keyword") first, since that is what the address asked for.
    /// </summary>
    public async Task<IReadOnlyList<Suggestion>> ForAsync(string slug, string? kind, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT Kind, Slug, Name FROM (
                SELECT 'paper' AS Kind, slug AS Slug, title AS Name FROM papers WHERE slug >= @From AND slug < @To
                UNION ALL
                SELECT 'topic', slug, name FROM topics WHERE slug >= @From AND slug < @To
                UNION ALL
                SELECT 'keyword', slug, name FROM keywords WHERE slug >= @From AND slug < @To)
            ORDER BY length(Slug), Slug
            LIMIT @Limit;
            """;
        var key = Slugs.From(slug, 80);
        if (key.Length < MinPrefix) return [];
        await using var connection = await database.OpenAsync(ct);
        // Longest shared prefix first; at most a dozen probes however long the address.
        var step = Math.Max(1, (key.Length - MinPrefix) / 12);
        var results = new List<Suggestion>();
        for (var length = key.Length; length >= MinPrefix; length -= step)
        {
            var prefix = key[..length];
            var found = await connection.QueryAsync<Suggestion>(new CommandDefinition(sql, new { From = prefix, To = prefix + "\uffff", Limit = limit }, cancellationToken: ct));
            results.AddRange(found.Where(f => !results.Any(r => r.Kind == f.Kind && r.Slug == f.Slug)));
            if (results.Any(r => kind is null || r.Kind == kind)) break;
        }
        return results.OrderByDescending(r => r.Kind == kind).Take(limit).ToList();
    }
}
