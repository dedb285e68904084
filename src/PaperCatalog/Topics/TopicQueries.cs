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

    /// <summary>
    /// The topics readers see (home page, navigation, <c>/topics</c>): those with papers. A topic left empty (its last
    /// paper deleted, or a list section without rows) waits on the moderators' topics page to be merged or removed.
    /// </summary>
    public async Task<IReadOnlyList<TopicSummary>> WithPapersAsync(CancellationToken ct) =>
        (await ListAsync(ct)).Where(t => t.Papers > 0).ToList();

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

    /// <summary>
    /// A topic and one page of its table, sorted as asked across all its papers; null for an unknown slug. Only the
    /// page's rows are read (SQLite sorts and skips), so a 20,000-paper topic costs about what a small one does.
    /// </summary>
    public async Task<TopicPage?> GetPageAsync(string slug, TopicSort sort, bool descending, int? page, CancellationToken ct)
    {
        var topic = await cache.GetOrLoadAsync("topic:" + slug, c => LoadTopicAsync(slug, c), ct);
        if (topic is null) return null;
        var paging = new Paging(page, topic.Papers);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"topic-rows:{topic.Id}:{sort}:{descending}:{paging.Number}");
        var rows = await cache.GetOrLoadAsync(key, c => LoadRowsAsync(topic.Id, sort, descending, paging, c), ct);
        return new TopicPage
        {
            Slug = topic.Slug,
            Name = topic.Name,
            CitationDate = topic.CitationDate,
            Upcoming = topic.Upcoming.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Papers = rows!,
            Paging = paging,
        };
    }

    private async Task<TopicData?> LoadTopicAsync(string slug, CancellationToken ct)
    {
        const string topicSql = """
            SELECT t.id AS Id, t.slug AS Slug, t.name AS Name, t.citation_date AS CitationDate, t.upcoming AS Upcoming,
                   (SELECT count(*) FROM papers p WHERE p.topic_id = t.id) AS Papers
            FROM topics t WHERE t.slug = @slug;
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TopicData>(new CommandDefinition(topicSql, new { slug }, cancellationToken: ct));
    }

    private async Task<IReadOnlyList<PaperRow>?> LoadRowsAsync(long topicId, TopicSort sort, bool descending, Paging paging, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var sql = PapersSql + OrderBy(sort, descending) + " LIMIT @Size OFFSET @Skip;";
        return (await connection.QueryAsync<PaperRow>(new CommandDefinition(sql, new { Id = topicId, paging.Size, paging.Skip }, cancellationToken: ct))).ToList();
    }

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const.
    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        WHERE p.topic_id = @Id
        """;

    /// <summary>
    /// A table's order (a topic's, or every paper's on <c>/papers</c>; the query joins <c>topics t</c>), chosen from a
    /// fixed set, never text from the request. Papers with an unknown date or citation count go last whichever the
    /// direction, and ties keep the list's order (topic, then row), so that a shared link shows the same table and every
    /// row appears on exactly one page. Within one topic the topic's columns are all equal, so they order nothing there.
    /// </summary>
    internal static string OrderBy(TopicSort sort, bool descending)
    {
        var dir = descending ? "DESC" : "ASC";
        const string listOrder = "t.position, t.id, p.position, p.id";
        return sort switch
        {
            TopicSort.Date => $" ORDER BY p.published IS NULL, p.published {dir}, {listOrder}",
            TopicSort.Citations => $" ORDER BY p.citations IS NULL, p.citations {dir}, {listOrder}",
            TopicSort.Title => $" ORDER BY p.title COLLATE NOCASE {dir}, {listOrder}",
            _ => $" ORDER BY t.position {dir}, t.id {dir}, p.position {dir}, p.id {dir}",
        };
    }

    private sealed record TopicData
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string? CitationDate { get; init; }
        public string Upcoming { get; init; } = "";
        public long Papers { get; init; }
    }
}
