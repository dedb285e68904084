using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Search;
using PaperCatalog.Topics;

namespace PaperCatalog.Papers;

/// <summary>Reads papers for the site: tables, pages, images. Read-only.</summary>
public sealed class PaperQueries(CatalogDatabase database, CatalogCache cache)
{
    /// <summary>
    /// The columns of a <see cref="PaperRow"/>: every field <see cref="PaperFields"/> shows, then where the paper sits;
    /// keywords travel as "name\u001fslug" joined by \u001e.
    /// </summary>
    internal static readonly string RowColumns = PaperFields.RowColumns("p") + """
        ,
        p.slug AS Slug, (p.intro_html IS NOT NULL) AS HasIntro, p.position AS Position,
        t.slug AS TopicSlug, t.name AS TopicName, t.citation_date AS CitationDate,
        """ + KeywordListColumn;

    /// <summary>Paper <c>p</c>'s keywords in order, as <see cref="PaperRow"/>'s <c>KeywordList</c> reads them.</summary>
    internal const string KeywordListColumn = """
        (SELECT group_concat(name || char(31) || slug, char(30)) FROM (
            SELECT k.name, k.slug FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id
            WHERE pk.paper_id = p.id ORDER BY pk.position)) AS KeywordList
        """;

    /// <summary>A row plus what only the paper's own page needs.</summary>
    private sealed record PageRow : PaperRow
    {
        public string? IntroHtml { get; init; }
        public long TopicId { get; init; }
        public long Id { get; init; }
        public string? FigurePath { get; init; }
        public long FigureWidth { get; init; }
        public long FigureHeight { get; init; }
        public string? FigureDescription { get; init; }
    }

    /// <summary>One paper with its intro and neighbours, or null for an unknown slug.</summary>
    public Task<PaperPage?> GetPageAsync(string slug, CancellationToken ct) =>
        cache.GetOrLoadAsync("paper:" + slug, c => LoadPageAsync(slug, c), ct);

    private static readonly string PageSql = "SELECT " + RowColumns + """
        , p.intro_html AS IntroHtml, p.topic_id AS TopicId, p.id AS Id,
          f.path AS FigurePath, coalesce(f.width, 0) AS FigureWidth, coalesce(f.height, 0) AS FigureHeight, f.description AS FigureDescription
        FROM papers p JOIN topics t ON t.id = p.topic_id LEFT JOIN paper_figures f ON f.paper_id = p.id
        WHERE p.slug = @slug;
        """;

    private async Task<PaperPage?> LoadPageAsync(string slug, CancellationToken ct)
    {
        const string neighboursSql = """
            SELECT slug AS Slug, title AS Title FROM (
                SELECT slug, title FROM papers WHERE topic_id = @TopicId AND position < @Position ORDER BY position DESC, id DESC LIMIT 1);
            SELECT slug AS Slug, title AS Title FROM (
                SELECT slug, title FROM papers WHERE topic_id = @TopicId AND position > @Position ORDER BY position, id LIMIT 1);
            """;
        await using var connection = await database.OpenAsync(ct);
        var data = await connection.QuerySingleOrDefaultAsync<PageRow>(new CommandDefinition(PageSql, new { slug }, cancellationToken: ct));
        if (data is null) return null;
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(neighboursSql, new { data.TopicId, data.Position }, cancellationToken: ct));
        var previous = await grid.ReadSingleOrDefaultAsync<PaperLink>();
        var next = await grid.ReadSingleOrDefaultAsync<PaperLink>();
        var summary = Markdown.IntroSummary.FirstParagraph(data.IntroHtml);
        // An intro without a paragraph of text (a list, a table) is summarised from the text as the index reads it
        // (plain, math left out); only then is that text read.
        string? excerpt = null;
        if (summary is null && data.IntroHtml is not null)
        {
            const string introTextSql = "SELECT intro FROM search_documents WHERE paper_id = @Id;";
            var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(introTextSql, new { data.Id }, cancellationToken: ct));
            excerpt = text is { Length: > 0 } ? SearchText.Excerpt(text, 200) : null;
        }
        var figure = data.FigurePath is null ? null : new Figures.PaperFigure(data.FigurePath, data.FigureWidth, data.FigureHeight, data.FigureDescription ?? "");
        return new PaperPage { Paper = data, IntroHtml = data.IntroHtml, Summary = summary, Excerpt = excerpt, Previous = previous, Next = next, Figure = figure };
    }

    /// <summary>
    /// The slug of the paper that <paramref name="text"/> names by arXiv id, DOI or link (<see cref="Identifiers"/>'s
    /// rule, the one that filled the columns), or null when it names none or no paper here.
    /// </summary>
    public async Task<string?> SlugForIdentifierAsync(string? text, CancellationToken ct)
    {
        const string byArxivSql = "SELECT slug FROM papers WHERE arxiv_id = @id ORDER BY id LIMIT 1;";
        const string byDoiSql = "SELECT slug FROM papers WHERE doi = @id ORDER BY id LIMIT 1;";
        var (sql, id) = Identifiers.ArxivId(text) is { } arxiv ? (byArxivSql, arxiv) : Identifiers.Doi(text) is { } doi ? (byDoiSql, doi) : (null, null);
        if (sql is null) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>The most recently added papers, newest first.</summary>
    public async Task<IReadOnlyList<PaperRow>> RecentAsync(int count, CancellationToken ct) =>
        (await cache.GetOrLoadAsync("recent:" + count.ToString(System.Globalization.CultureInfo.InvariantCulture), c => LoadRecentAsync(count, c), ct))!;

    private static readonly string RecentSql = "SELECT " + RowColumns + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        ORDER BY p.added_at DESC, p.published DESC, p.id DESC
        LIMIT @count;
        """;

    private async Task<IReadOnlyList<PaperRow>?> LoadRecentAsync(int count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PaperRow>(new CommandDefinition(RecentSql, new { count }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// One page of every paper in the catalog, ordered as asked: the list's order (topic by topic), by date, by
    /// citations (unknown last either way) or by title; ties keep the list's order, so a shared link shows the same page.
    /// </summary>
    public async Task<PaperListPage> AllAsync(TopicSort sort, bool descending, int? page, CancellationToken ct)
    {
        const string countSql = "SELECT count(*) FROM papers;";
        await using var connection = await database.OpenAsync(ct);
        var paging = new Paging(page, await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, cancellationToken: ct)));
        var sql = AllSql + TopicQueries.OrderBy(sort, descending) + " LIMIT @Size OFFSET @Skip;";
        var rows = await connection.QueryAsync<PaperRow>(new CommandDefinition(sql, new { paging.Size, paging.Skip }, cancellationToken: ct));
        return new PaperListPage(rows.ToList(), paging);
    }

    private static readonly string AllSql = "SELECT " + RowColumns + """

        FROM papers p JOIN topics t ON t.id = p.topic_id
        """;

    /// <summary>An image beside a paper's intro, or null.</summary>
    public async Task<PaperMedia?> GetMediaAsync(string slug, string path, CancellationToken ct)
    {
        const string sql = """
            SELECT m.content_type AS ContentType, m.bytes AS Bytes
            FROM paper_media m JOIN papers p ON p.id = m.paper_id
            WHERE p.slug = @slug AND m.path = @path;
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PaperMedia>(new CommandDefinition(sql, new { slug, path }, cancellationToken: ct));
    }
}
