using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Search;

namespace PaperCatalog.Importing;

/// <summary>How far an import has come, for a progress display.</summary>
public readonly record struct ImportProgress(int Done, int Total);

/// <summary>
/// Writes a checked <see cref="ImportPlan"/> into the catalog in one transaction: papers keep their slug
/// across imports (matched by arXiv id, then by title), changed papers are updated, papers that left the
/// list are removed, and papers that came in through the site are never touched.
/// </summary>
public sealed class CatalogImporter(CatalogDatabase database, MarkdownRenderer markdown, TimeProvider clock, CatalogCache? cache = null)
{
    private readonly SearchIndex _search = new(markdown);

    /// <summary>Reads, checks and (when there are no errors) imports the list at <paramref name="listPath"/>.</summary>
    public async Task<(ImportPlan Plan, ImportResult? Result)> ImportAsync(string listPath, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var plan = ImportPlan.Load(listPath, markdown);
        if (plan.HasErrors) return (plan, null);
        return (plan, await ApplyAsync(plan, progress, ct));
    }

    private sealed record ExistingPaper
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string? ArxivId { get; init; }
        public string TitleKey { get; init; } = "";
        public string Origin { get; init; } = "";
        public string ContentHash { get; init; } = "";
    }

    private sealed record KeywordId
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
    }

    private sealed record ExistingTopic
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public long Position { get; init; }
        public string? CitationDate { get; init; }
        public string Upcoming { get; init; } = "";
    }

    /// <summary>Applies the plan. Nothing is visible to readers until the single transaction commits.</summary>
    public async Task<ImportResult> ApplyAsync(ImportPlan plan, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (plan.HasErrors) throw new InvalidOperationException("An import plan with errors cannot be applied.");
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        // WAL with synchronous=NORMAL keeps every commit atomic (a killed import rolls back); a larger page cache
        // keeps the slug and keyword indexes in memory while a big list is written.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;", cancellationToken: ct));
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var now = Timestamps.Now(clock);

        var topicIds = await UpsertTopicsAsync(connection, tx, plan.List.Topics, ct);

        const string papersSql = """
            SELECT id AS Id, slug AS Slug, arxiv_id AS ArxivId, title_key AS TitleKey, origin AS Origin, content_hash AS ContentHash
            FROM papers
            """;
        var existing = (await connection.QueryAsync<ExistingPaper>(new CommandDefinition(papersSql, transaction: tx, cancellationToken: ct))).ToList();
        var listOwned = existing.Where(p => p.Origin == "list").ToList();
        // A list may hold the same paper twice (in two topics, or two rows of one title): each key keeps every paper,
        // and a row takes the first one not yet matched, so repeated rows keep their slugs across imports.
        var byArxiv = listOwned.Where(p => p.ArxivId is not null).GroupBy(p => p.ArxivId!).ToDictionary(g => g.Key, g => g.ToList());
        var byTitle = listOwned.GroupBy(p => p.TitleKey).ToDictionary(g => g.Key, g => g.ToList());
        var claimed = new HashSet<long>();

        // Match each row of the list to the paper it was last time.
        var papers = plan.List.Topics.SelectMany(t => t.Papers.Select((p, i) => (Topic: t, Paper: p, Position: i))).ToList();
        var matches = new ExistingPaper?[papers.Count];
        var titleKeys = new string[papers.Count];
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i].Paper;
            titleKeys[i] = Slugs.TitleKey(p.Title);
            ExistingPaper? match = null;
            if (p.ArxivId is not null && byArxiv.TryGetValue(p.ArxivId, out var a)) match = a.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is null && byTitle.TryGetValue(titleKeys[i], out var t)) match = t.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is not null) claimed.Add(match.Id);
            matches[i] = match;
        }

        // Papers that left the list go first, so their slugs are free for the rows that replace them.
        var removed = listOwned.Where(p => !claimed.Contains(p.Id)).ToList();
        foreach (var chunk in removed.Chunk(500))
        {
            const string deleteSql = "DELETE FROM papers WHERE id IN @Ids;";
            await connection.ExecuteAsync(new CommandDefinition(deleteSql, new { Ids = chunk.Select(p => p.Id).ToArray() }, tx, cancellationToken: ct));
        }

        // Slugs: matched papers keep theirs; new ones take the title's, numbered on collision, in list order.
        var taken = new HashSet<string>(existing.Where(p => p.Origin != "list" || claimed.Contains(p.Id)).Select(p => p.Slug), StringComparer.Ordinal);
        var slugs = new string[papers.Count];
        for (var i = 0; i < papers.Count; i++)
        {
            if (matches[i] is { } m) { slugs[i] = m.Slug; continue; }
            var baseSlug = Slugs.ForTitle(papers[i].Paper.Title);
            var slug = baseSlug;
            for (var n = 2; taken.Contains(slug); n++) slug = $"{baseSlug}-{n}";
            taken.Add(slug);
            slugs[i] = slug;
        }

        var introSlugs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < papers.Count; i++)
        {
            if (plan.Intros.TryGetValue(papers[i].Paper, out var intro)) introSlugs.TryAdd(intro.FullPath, slugs[i]);
        }

        var keywordIds = (await connection.QueryAsync<KeywordId>(new CommandDefinition("SELECT id AS Id, slug AS Slug FROM keywords;", transaction: tx, cancellationToken: ct)))
            .ToDictionary(k => k.Slug, k => k.Id, StringComparer.Ordinal);
        using var writer = new PaperWriter(connection, tx);
        // The search index is written in the same transaction, so search never shows a paper the tables do not.
        using var searchWrite = SearchIndex.PrepareWrite(connection, tx);

        int added = 0, updated = 0, unchanged = 0, intros = 0, images = 0;
        for (var i = 0; i < papers.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (topic, paper, position) = papers[i];
            plan.Intros.TryGetValue(paper, out var intro);
            var html = intro is null ? null : RenderIntro(plan, intro, slugs[i], paper.Title, introSlugs);
            var row = new PaperRecord
            {
                Slug = slugs[i],
                TopicId = topicIds[topic.Slug],
                Position = position,
                Title = paper.Title,
                TitleKey = titleKeys[i],
                Venue = paper.Venue,
                PdfUrl = paper.PdfUrl,
                IntroUrl = intro is null ? paper.IntroLink : null,
                ArxivId = paper.ArxivId,
                Affiliation = paper.Affiliation,
                Published = paper.Published,
                Citations = paper.Citations,
                IntroMarkdown = intro?.Markdown,
                IntroHtml = html,
                Keywords = paper.Keywords,
                Media = intro?.Media ?? [],
            };
            var hash = row.Hash();
            if (intro is not null) { intros++; images += intro.Media.Count; }

            if (matches[i] is { } match)
            {
                if (match.ContentHash == hash) { unchanged++; }
                else
                {
                    writer.Update(match.Id, row, hash, now);
                    writer.ReplaceChildren(match.Id, row, keywordIds, isNew: false);
                    SearchIndex.Write(searchWrite, match.Id, _search.Document(row.Title, row.Keywords, row.Venue, row.Affiliation, row.IntroMarkdown));
                    updated++;
                }
            }
            else
            {
                var id = writer.Insert(row, hash, now);
                writer.ReplaceChildren(id, row, keywordIds, isNew: true);
                SearchIndex.Write(searchWrite, id, _search.Document(row.Title, row.Keywords, row.Venue, row.Affiliation, row.IntroMarkdown));
                added++;
            }
            if (progress is not null && (i % 2048 == 0 || i == papers.Count - 1)) progress.Report(new ImportProgress(i + 1, papers.Count));
        }

        await WriteInfoAsync(connection, tx, plan, introSlugs, ct);
        // Papers unchanged since a store made before search existed get their index entry now.
        await _search.FillMissingAsync(connection, tx, ct);

        // Keywords nobody carries any more, and topics that left the list with no site papers in them.
        const string orphanKeywordsSql = "DELETE FROM keywords WHERE NOT EXISTS (SELECT 1 FROM paper_keywords pk WHERE pk.keyword_id = keywords.id);";
        await connection.ExecuteAsync(new CommandDefinition(orphanKeywordsSql, transaction: tx, cancellationToken: ct));
        var listed = plan.List.Topics.Select(t => t.Slug).ToArray();
        const string orphanTopicsSql = """
            DELETE FROM topics
            WHERE slug NOT IN @Listed AND NOT EXISTS (SELECT 1 FROM papers p WHERE p.topic_id = topics.id);
            """;
        await connection.ExecuteAsync(new CommandDefinition(orphanTopicsSql, new { Listed = listed }, tx, cancellationToken: ct));

        await tx.CommitAsync(ct);
        cache?.Invalidate();
        return new ImportResult
        {
            Topics = plan.List.Topics.Count,
            Added = added,
            Updated = updated,
            Removed = removed.Count,
            Unchanged = unchanged,
            Intros = intros,
            Images = images,
            Warnings = plan.WarningCount,
        };
    }

    private static async Task<Dictionary<string, long>> UpsertTopicsAsync(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<ParsedTopic> topics, CancellationToken ct)
    {
        const string selectSql = """
            SELECT id AS Id, slug AS Slug, name AS Name, position AS Position, citation_date AS CitationDate, upcoming AS Upcoming
            FROM topics
            """;
        const string updateSql = """
            UPDATE topics SET name = @Name, position = @Position, citation_date = @CitationDate, upcoming = @Upcoming
            WHERE id = @Id;
            """;
        const string insertSql = """
            INSERT INTO topics (slug, name, position, citation_date, upcoming)
            VALUES (@Slug, @Name, @Position, @CitationDate, @Upcoming)
            RETURNING id;
            """;
        var existing = (await connection.QueryAsync<ExistingTopic>(new CommandDefinition(selectSql, transaction: tx, cancellationToken: ct)))
            .ToDictionary(t => t.Slug, StringComparer.Ordinal);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Count; i++)
        {
            var t = topics[i];
            var values = new
            {
                t.Slug,
                t.Name,
                Position = (long)i,
                CitationDate = t.CitationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Upcoming = string.Join(", ", t.Upcoming),
            };
            if (existing.TryGetValue(t.Slug, out var old))
            {
                ids[t.Slug] = old.Id;
                if (old.Name != values.Name || old.Position != values.Position || old.CitationDate != values.CitationDate || old.Upcoming != values.Upcoming)
                    await connection.ExecuteAsync(new CommandDefinition(updateSql, new { old.Id, values.Name, values.Position, values.CitationDate, values.Upcoming }, tx, cancellationToken: ct));
            }
            else
            {
                ids[t.Slug] = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insertSql, values, tx, cancellationToken: ct));
            }
        }
        return ids;
    }

    private string RenderIntro(ImportPlan plan, LoadedIntro intro, string slug, string title, Dictionary<string, string> introSlugs)
    {
        var media = intro.Media.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        return markdown.Render(intro.Markdown, link => SiteUrl(plan.Classify(link, intro.Folder, media), link, introSlugs, slug, topics: null), dropTitle: title);
    }

    /// <summary>
    /// Where a classified link leads on the site: another intro becomes its paper page, an image beside the intro
    /// its media URL, the list itself the home page, a heading anchor of a topic (in the list's description) that
    /// topic's page. Null drops the link and keeps its text.
    /// </summary>
    private static string? SiteUrl(LinkTarget target, MarkdownLink link, Dictionary<string, string> introSlugs, string? slug, IReadOnlySet<string>? topics) =>
        target.Kind switch
        {
            LinkKind.Anchor when topics is null => link.Url,
            LinkKind.Anchor => topics.Contains(target.Value) ? PaperUrls.Topic(target.Value) : null,
            LinkKind.External => link.IsImage ? null : link.Url, // remote images would break the CSP
            LinkKind.Media when slug is not null => PaperUrls.Media(slug, target.Value),
            LinkKind.Intro when introSlugs.TryGetValue(target.Value, out var other) => PaperUrls.Paper(other) + MarkdownRenderer.Fragment(target.Fragment),
            LinkKind.ListHome => "/",
            _ => null,
        };

    /// <summary>The list's title and description, for the home page.</summary>
    private async Task WriteInfoAsync(SqliteConnection connection, SqliteTransaction tx, ImportPlan plan, Dictionary<string, string> introSlugs, CancellationToken ct)
    {
        const string upsertSql = """
            INSERT INTO catalog_info (key, value) VALUES (@Key, @Value)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value;
            """;
        var topics = plan.List.Topics.Select(t => t.Slug).ToHashSet(StringComparer.Ordinal);
        // The first paragraph becomes the home page's lede; the rest is shown under "About this list".
        // Badges, logos and raw HTML that lists often open with are not a sentence: skip them for the lede.
        var blocks = plan.List.Description.Split("\n\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        var lede = blocks.FindIndex(b => b.TrimStart('*', '_').FirstOrDefault() is var c && char.IsLetterOrDigit(c));
        var firstParagraph = lede >= 0 ? blocks[lede] : "";
        if (lede >= 0) blocks.RemoveAt(lede);
        var rest = string.Join("\n\n", blocks);
        var html = rest.Length == 0 ? "" :
            markdown.Render(rest, link => SiteUrl(plan.Classify(link, plan.Loader.Root, new HashSet<string>()), link, introSlugs, null, topics));
        var values = new Dictionary<string, string>
        {
            ["title"] = plan.List.Title ?? "",
            ["summary"] = string.Join(' ', markdown.ToPlainText(firstParagraph).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            ["description_html"] = html,
        };
        foreach (var (key, value) in values)
            await connection.ExecuteAsync(new CommandDefinition(upsertSql, new { Key = key, Value = value }, tx, cancellationToken: ct));
    }

    /// <summary>One paper as it is stored, with what makes up its content hash.</summary>
    internal sealed class PaperRecord
    {
        public required string Slug { get; init; }
        public required long TopicId { get; init; }
        public required int Position { get; init; }
        public required string Title { get; init; }
        public required string TitleKey { get; init; }
        public string? Venue { get; init; }
        public string? PdfUrl { get; init; }
        public string? IntroUrl { get; init; }
        public string? ArxivId { get; init; }
        public string? Affiliation { get; init; }
        public string? Published { get; init; }
        public int? Citations { get; init; }
        public string? IntroMarkdown { get; init; }
        public string? IntroHtml { get; init; }
        public required IReadOnlyList<string> Keywords { get; init; }
        public required IReadOnlyList<LoadedMedia> Media { get; init; }

        public string Hash()
        {
            var sb = new StringBuilder(256 + (IntroHtml?.Length ?? 0));
            const char sep = '\u001f';
            sb.Append(MarkdownRenderer.Version).Append(sep).Append(Slug).Append(sep).Append(TopicId).Append(sep).Append(Position).Append(sep)
              .Append(Title).Append(sep).Append(Venue).Append(sep).Append(PdfUrl).Append(sep).Append(IntroUrl).Append(sep)
              .Append(ArxivId).Append(sep).Append(Affiliation).Append(sep).Append(Published).Append(sep).Append(Citations).Append(sep)
              .Append(string.Join('\u001e', Keywords)).Append(sep).Append(IntroMarkdown).Append(sep).Append(IntroHtml);
            foreach (var m in Media) sb.Append(sep).Append(m.Path).Append(sep).Append(m.ContentType).Append(sep).Append(IntroLoader.Hash(m.Bytes));
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        }
    }
}
