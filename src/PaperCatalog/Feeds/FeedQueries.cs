using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Feeds;

/// <summary>A paper as a feed entry: its row, when it joined the catalog and last changed, and its rendered intro.</summary>
public sealed record FeedEntry : PaperRow
{
    public string AddedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";
    public string? IntroHtml { get; init; }
}

/// <summary>A page the sitemap lists, with when it last changed.</summary>
public sealed record SitemapEntry(string Path, string? LastModified);

/// <summary>New and changed papers for the Atom feeds, and every public page for the sitemap. Read-only.</summary>
public sealed class FeedQueries(CatalogDatabase database)
{
    /// <summary>How many entries a feed carries: feed readers poll, so the newest changes are enough.</summary>
    public const int Size = 50;

    /// <summary>The papers of a topic (@topic) or with a keyword (@keyword), either one null for all; over papers p, topics t.</summary>
    internal const string InScope = """

        WHERE (@topic IS NULL OR t.slug = @topic)
          AND (@keyword IS NULL OR EXISTS (SELECT 1 FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                                          WHERE pk.paper_id = p.id AND k.slug = @keyword))
        """;

    private static readonly string EntrySql = "SELECT " + PaperQueries.RowColumns + """
        , p.added_at AS AddedAt, p.updated_at AS UpdatedAt, p.intro_html AS IntroHtml
        FROM papers p JOIN topics t ON t.id = p.topic_id
        """;

    private const string WithKeyword = """
        (@keyword IS NULL OR EXISTS (SELECT 1 FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                                     WHERE pk.paper_id = p.id AND k.slug = @keyword))
        """;

    // Two statements, not one with "@topic IS NULL OR": each walks its own index newest first (migration 0017) and
    // stops at the feed's size; the shared form was planned once for both and sorted every paper (2 s at 100k).
    private static readonly string LatestSql = EntrySql + "\nWHERE " + WithKeyword + """

        ORDER BY p.updated_at DESC, p.id DESC
        LIMIT @limit;
        """;

    private static readonly string LatestInTopicSql = EntrySql + """

        WHERE p.topic_id = (SELECT id FROM topics WHERE slug = @topic) AND
        """ + WithKeyword + """

        ORDER BY p.updated_at DESC, p.id DESC
        LIMIT @limit;
        """;

    /// <summary>The most recently added or changed papers, in a topic or with a keyword when one is given.</summary>
    public async Task<IReadOnlyList<FeedEntry>> LatestAsync(string? topic, string? keyword, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var sql = topic is null ? LatestSql : LatestInTopicSql;
        return (await connection.QueryAsync<FeedEntry>(new CommandDefinition(sql, new { topic, keyword, limit = Size }, cancellationToken: ct))).ToList();
    }

    private static readonly string AmongSql = EntrySql + """

        WHERE p.slug IN (SELECT value FROM json_each(@slugs))
        ORDER BY p.updated_at DESC, p.id DESC
        LIMIT @limit;
        """;

    /// <summary>The most recently added or changed of the given papers (a search's results).</summary>
    public async Task<IReadOnlyList<FeedEntry>> LatestAmongAsync(IEnumerable<string> slugs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var json = System.Text.Json.JsonSerializer.Serialize(slugs);
        return (await connection.QueryAsync<FeedEntry>(new CommandDefinition(AmongSql, new { slugs = json, limit = Size }, cancellationToken: ct))).ToList();
    }

    /// <summary>The sitemap protocol's limit of addresses in one file.</summary>
    public const int MaxSitemapEntries = 50_000;

    /// <summary>How many addresses the sitemap lists: the home page, every topic, every keyword that has papers, every paper.</summary>
    public async Task<long> SitemapCountAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT 1 + (SELECT count(*) FROM topics)
                     + (SELECT count(*) FROM keywords k WHERE EXISTS (SELECT 1 FROM paper_keywords pk WHERE pk.keyword_id = k.id))
                     + (SELECT count(*) FROM papers);
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>
    /// The sitemap's addresses from the <paramref name="skip"/>th on, at most <paramref name="take"/>, each with its last
    /// change: the home page, each topic and keyword (their newest paper's change), then the papers in the order they
    /// joined the catalog, so a paper stays in the same sitemap file when it changes or others arrive.
    /// </summary>
    public async Task<IReadOnlyList<SitemapEntry>> SitemapAsync(long skip, int take, CancellationToken ct)
    {
        const string sql = """
            SELECT t.slug AS Slug, (SELECT max(p.updated_at) FROM papers p WHERE p.topic_id = t.id) AS At FROM topics t ORDER BY t.position, t.id;
            SELECT k.slug AS Slug, max(p.updated_at) AS At FROM keywords k JOIN paper_keywords pk ON pk.keyword_id = k.id
                JOIN papers p ON p.id = pk.paper_id GROUP BY k.id ORDER BY k.slug;
            SELECT max(updated_at) FROM papers;
            """;
        const string papersSql = "SELECT slug AS Slug, updated_at AS At FROM papers ORDER BY id LIMIT @take OFFSET @skip;";
        await using var connection = await database.OpenAsync(ct);
        List<SitemapEntry> pages;
        using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, cancellationToken: ct)))
        {
            var topics = await grid.ReadAsync<Page>();
            var keywords = await grid.ReadAsync<Page>();
            var newest = await grid.ReadSingleAsync<string?>();
            pages =
            [
                new SitemapEntry("/", newest),
                .. topics.Select(t => new SitemapEntry(PaperUrls.Topic(t.Slug), t.At)),
                .. keywords.Select(k => new SitemapEntry(PaperUrls.Keyword(k.Slug), k.At)),
            ];
        }
        var result = pages.Skip((int)Math.Min(skip, pages.Count)).Take(take).ToList();
        var room = take - result.Count;
        if (room <= 0) return result;
        var paperSkip = Math.Max(0, skip - pages.Count);
        var papers = await connection.QueryAsync<Page>(new CommandDefinition(papersSql, new { take = room, skip = paperSkip }, cancellationToken: ct));
        result.AddRange(papers.Select(p => new SitemapEntry(PaperUrls.Paper(p.Slug), p.At)));
        return result;
    }

    private sealed record Page
    {
        public string Slug { get; init; } = "";
        public string? At { get; init; }
    }
}
