using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Topics;

/// <summary>How a topic table is ordered; the list's own order unless the reader asks otherwise.</summary>
public enum TopicSort { List, Date, Citations, Title }

/// <summary>Reads topics for the site.</summary>
public sealed class TopicQueries(CatalogDatabase database, CatalogCache cache)
{
    /// <summary>Every topic in the list's order, with its paper count.</summary>
    public async Task<IReadOnlyList<TopicSummary>> ListAsync(CancellationToken ct) =>
        (await cache.GetOrLoadAsync("topics", LoadListAsync, ct))!;

    private async Task<IReadOnlyList<TopicSummary>?> LoadListAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT t.slug AS Slug, t.name AS Name, (SELECT count(*) FROM papers p WHERE p.topic_id = t.id) AS Papers,
                   t.citation_date AS CitationDate
            FROM topics t
            ORDER BY t.position, t.id;
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<TopicSummary>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
    }

    /// <summary>A topic and its table, sorted as asked; null for an unknown slug.</summary>
    public async Task<TopicPage?> GetPageAsync(string slug, TopicSort sort, bool descending, CancellationToken ct)
    {
        var page = await cache.GetOrLoadAsync("topic:" + slug, c => LoadPageAsync(slug, c), ct);
        return page is null || sort == TopicSort.List && !descending ? page : page with { Papers = Sort(page.Papers, sort, descending) };
    }

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const.
    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        WHERE p.topic_id = @Id
        ORDER BY p.position, p.id;
        """;

    private async Task<TopicPage?> LoadPageAsync(string slug, CancellationToken ct)
    {
        const string topicSql = """
            SELECT id AS Id, slug AS Slug, name AS Name, citation_date AS CitationDate, upcoming AS Upcoming
            FROM topics WHERE slug = @slug;
            """;
        await using var connection = await database.OpenAsync(ct);
        var topic = await connection.QuerySingleOrDefaultAsync<TopicData>(new CommandDefinition(topicSql, new { slug }, cancellationToken: ct));
        if (topic is null) return null;
        var rows = (await connection.QueryAsync<PaperRow>(new CommandDefinition(PapersSql, new { topic.Id }, cancellationToken: ct))).ToList();
        return new TopicPage
        {
            Slug = topic.Slug,
            Name = topic.Name,
            CitationDate = topic.CitationDate,
            Upcoming = topic.Upcoming.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Papers = rows,
        };
    }

    /// <summary>
    /// Orders rows; papers with an unknown date or citation count go last whichever the direction, and ties keep
    /// the list's order so that a shared link shows the same table every time.
    /// </summary>
    public static IReadOnlyList<PaperRow> Sort(IReadOnlyList<PaperRow> rows, TopicSort sort, bool descending)
    {
        IOrderedEnumerable<PaperRow> ordered = sort switch
        {
            TopicSort.Date => rows.OrderBy(r => r.Published is null).ThenBy(r => r.Published, descending),
            TopicSort.Citations => rows.OrderBy(r => r.Citations is null).ThenBy(r => r.Citations, descending),
            TopicSort.Title => rows.OrderBy(r => 0).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase, descending),
            _ => rows.OrderBy(r => 0).ThenBy(r => r.Position, descending),
        };
        return ordered.ThenBy(r => r.Position).ToList();
    }

    private sealed record TopicData
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string? CitationDate { get; init; }
        public string Upcoming { get; init; } = "";
    }
}

internal static class OrderingExtensions
{
    public static IOrderedEnumerable<T> ThenBy<T, TKey>(this IOrderedEnumerable<T> source, Func<T, TKey> key, bool descending) =>
        descending ? source.ThenByDescending(key) : source.ThenBy(key);

    public static IOrderedEnumerable<T> ThenBy<T, TKey>(this IOrderedEnumerable<T> source, Func<T, TKey> key, IComparer<TKey> comparer, bool descending) =>
        descending ? source.ThenByDescending(key, comparer) : source.ThenBy(key, comparer);
}
