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
/// Every slug (papers, topics, keywords) is held in memory in one sorted array, read once per catalog version, so a
/// probe is a binary search and a flood of bad addresses costs less than a page of the catalog does.
/// </summary>
public sealed class SlugSuggestions(CatalogDatabase database, CatalogCache cache)
{
    private const int MinPrefix = 3;

    /// <summary>Matches looked at per prefix: a short prefix of a large catalog matches thousands, of which the shortest are kept.</summary>
    private const int MaxScan = 2_000;

    /// <summary>Slugs only (a title is read for the few pages suggested), so 100,000 papers hold a few megabytes.</summary>
    private sealed class SlugIndex(Entry[] sorted)
    {
        public Entry[] Sorted { get; } = sorted;
    }

    private readonly record struct Entry(string Kind, string Slug);

    /// <summary>
    /// Up to <paramref name="limit"/> pages whose slug shares the longest prefix with <paramref name="slug"/>;
    /// pages of <paramref name="kind"/> ("paper", "topic", "keyword") first, since that is what the address asked for.
    /// </summary>
    public async Task<IReadOnlyList<Suggestion>> ForAsync(string slug, string? kind, int limit, CancellationToken ct)
    {
        var key = Slugs.From(slug, 80);
        if (key.Length < MinPrefix) return [];
        var index = (await cache.GetOrLoadAsync("slug-index", TimeSpan.FromMinutes(10), LoadAsync, ct))!.Sorted;
        // Longest shared prefix first; at most a dozen probes however long the address.
        var step = Math.Max(1, (key.Length - MinPrefix) / 12);
        var results = new List<Entry>();
        for (var length = key.Length; length >= MinPrefix; length -= step)
        {
            var prefix = key[..length];
            var found = Matches(index, prefix).OrderBy(s => s.Slug.Length).ThenBy(s => s.Slug, StringComparer.Ordinal).Take(limit);
            results.AddRange(found.Where(f => !results.Contains(f)));
            if (results.Any(r => kind is null || r.Kind == kind)) break;
        }
        var chosen = results.OrderByDescending(r => r.Kind == kind).Take(limit).ToList();
        return chosen.Count == 0 ? [] : await NamedAsync(chosen, ct);
    }

    private async Task<IReadOnlyList<Suggestion>> NamedAsync(List<Entry> chosen, CancellationToken ct)
    {
        const string sql = """
            SELECT 'paper' AS Kind, slug AS Slug, title AS Name FROM papers WHERE slug IN @Papers
            UNION ALL
            SELECT 'topic', slug, name FROM topics WHERE slug IN @Topics
            UNION ALL
            SELECT 'keyword', slug, name FROM keywords WHERE slug IN @Keywords;
            """;
        string[] Of(string kind) => chosen.Where(c => c.Kind == kind).Select(c => c.Slug).ToArray();
        await using var connection = await database.OpenAsync(ct);
        var named = (await connection.QueryAsync<Suggestion>(new CommandDefinition(sql, new { Papers = Of("paper"), Topics = Of("topic"), Keywords = Of("keyword") }, cancellationToken: ct)))
            .ToDictionary(n => new Entry(n.Kind, n.Slug));
        // In the order chosen; a page removed since the index was read is left out.
        return chosen.Where(named.ContainsKey).Select(c => named[c]).ToList();
    }

    private static IEnumerable<Entry> Matches(Entry[] sorted, string prefix)
    {
        // The first slug not ordered before the prefix, then every slug that starts with it.
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(sorted[mid].Slug, prefix) < 0) low = mid + 1; else high = mid;
        }
        for (var i = low; i < sorted.Length && i < low + MaxScan && sorted[i].Slug.StartsWith(prefix, StringComparison.Ordinal); i++)
            yield return sorted[i];
    }

    private async Task<SlugIndex?> LoadAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT 'paper' AS Kind, slug AS Slug FROM papers
            UNION ALL
            SELECT 'topic', slug FROM topics
            UNION ALL
            SELECT 'keyword', slug FROM keywords;
            """;
        await using var connection = await database.OpenAsync(ct);
        var all = (await connection.QueryAsync<(string Kind, string Slug)>(new CommandDefinition(sql, cancellationToken: ct))).Select(r => new Entry(string.Intern(r.Kind), r.Slug)).ToArray();
        Array.Sort(all, (a, b) => string.CompareOrdinal(a.Slug, b.Slug));
        return new SlugIndex(all);
    }
}
