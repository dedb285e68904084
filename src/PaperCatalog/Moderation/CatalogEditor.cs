using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Submissions;

namespace PaperCatalog.Moderation;

/// <summary>What a moderator's action came to: done (for a bulk action, on how many), or a sentence saying why not.</summary>
public sealed record EditResult(bool Done, string? Problem = null, string? PaperSlug = null, int Count = 0)
{
    public static EditResult Failed(string problem) => new(false, problem);
}

/// <summary>A paper's editable fields, as a moderator's form holds them.</summary>
public sealed record PaperEdit
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Origin { get; init; } = "";
    public SubmissionForm Form { get; init; } = new();
}

/// <summary>
/// Moderators' writes: approve or reject a submission, edit or delete any paper, set a topic's citation date. Each is
/// one IMMEDIATE transaction that also updates the search index and writes the audit log, so readers see all of a
/// change or none of it.
/// </summary>
public sealed class CatalogEditor(CatalogDatabase database, MarkdownRenderer markdown, SearchIndex search, AuditLog audit, CatalogCache cache, TimeProvider clock)
{
    /// <summary>Approves a pending submission, with the moderator's edits in <paramref name="form"/> (already validated).</summary>
    public async Task<EditResult> ApproveAsync(long id, SubmissionForm form, string moderator, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM submissions WHERE id = @id;", new { id }, tx, cancellationToken: ct));
        if (status is null) return EditResult.Failed("That submission does not exist.");
        if (status != "pending") return EditResult.Failed($"That submission was already {status}.");
        var before = await connection.QuerySingleAsync<Submission>(new CommandDefinition("SELECT " + SubmissionStore.Columns + " WHERE s.id = @id;", new { id }, tx, cancellationToken: ct));

        var v = SubmissionStore.Values(form);
        var topicId = await TopicIdAsync(connection, tx, v, ct);
        var slug = await FreeSlugAsync(connection, tx, Slugs.ForTitle(v.Title), null, ct);
        const string insertSql = """
            INSERT INTO papers (slug, topic_id, position, title, title_key, venue, pdf_url, arxiv_id, doi, affiliation, published, citations,
                intro_markdown, intro_html, origin, content_hash, added_at, updated_at)
            VALUES (@slug, @topicId, (SELECT coalesce(max(position), -1) + 1 FROM papers WHERE topic_id = @topicId), @Title, @TitleKey, @Venue,
                @Link, @ArxivId, @Doi, @Affiliation, @Published, @Citations, @Intro, @Html, 'site', 'site', @now, @now)
            RETURNING id;
            """;
        var now = Now();
        // The moderator may have edited the intro: rendered again, once, for the paper and the submission alike.
        var intro = RenderedIntro.Render(markdown, v.Intro, v.Title);
        var paperId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insertSql, new
        {
            slug, topicId, v.Title, v.TitleKey, v.Venue, v.Link, v.ArxivId, v.Doi, v.Affiliation, v.Published, v.Citations, v.Intro,
            Html = intro?.Html, now,
        }, tx, cancellationToken: ct));
        await SetKeywordsAsync(connection, tx, paperId, form.KeywordList, ct);
        await search.WriteAsync(connection, tx, paperId, ct);

        const string decideSql = """
            UPDATE submissions SET status = 'approved', decided_at = @now, decided_by = @moderator, paper_id = @paperId,
                title = @Title, title_key = @TitleKey, link = @Link, arxiv_id = @ArxivId, doi = @Doi, topic_slug = @TopicSlug, new_topic = @NewTopic,
                keywords = @Keywords, affiliation = @Affiliation, published = @Published, venue = @Venue, citations = @Citations, intro_markdown = @Intro,
                intro_html = @Html, intro_excerpt = @Excerpt
            WHERE id = @id;
            """;
        var topicSlug = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT slug FROM topics WHERE id = @topicId;", new { topicId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(decideSql, new
        {
            now, moderator, paperId, v.Title, v.TitleKey, v.Link, v.ArxivId, v.Doi, TopicSlug = topicSlug, NewTopic = (string?)null, v.Keywords,
            v.Affiliation, v.Published, v.Venue, v.Citations, v.Intro, Html = intro?.Html, Excerpt = intro?.Excerpt, id,
        }, tx, cancellationToken: ct));
        var edits = Diff(before.ToForm(), form);
        await audit.WriteAsync(connection, tx, moderator, "approve", $"submission {id} → /papers/{slug}",
            edits.Length == 0 ? "approved as submitted" : "approved with edits:\n" + edits, ct);
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return new EditResult(true, PaperSlug: slug);
    }

    /// <summary>Most submissions one bulk rejection may decide: a queue page's worth, with room to spare.</summary>
    public const int MaxBulk = 100;

    /// <summary>Rejects a pending submission with a note the submitter sees.</summary>
    public async Task<EditResult> RejectAsync(long id, string? note, string moderator, CancellationToken ct)
    {
        var result = await RejectAsync([id], note, moderator, ct);
        return result.Done && result.Count == 0 ? EditResult.Failed("That submission is not pending any more.") : result;
    }

    /// <summary>
    /// Rejects several pending submissions (spam, usually) with one note, in one transaction; each rejection is its own
    /// audit entry. Those decided meanwhile by someone else are left as they are; <see cref="EditResult.Count"/> says how
    /// many this rejected.
    /// </summary>
    public async Task<EditResult> RejectAsync(IReadOnlyCollection<long> ids, string? note, string moderator, CancellationToken ct)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 2000 }) return EditResult.Failed("Keep the note under 2,000 characters.");
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0) return EditResult.Failed("Select the submissions to reject first.");
        if (distinct.Count > MaxBulk) return EditResult.Failed($"Reject at most {MaxBulk} submissions at once.");
        const string sql = "UPDATE submissions SET status = 'rejected', decided_at = @now, decided_by = @moderator, moderator_note = @note WHERE id = @id AND status = 'pending';";
        var details = (note is null ? "rejected without a note" : "note: " + note) + (distinct.Count > 1 ? $"\n(one of {distinct.Count} rejected together)" : "");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var now = Now();
        var rejected = 0;
        foreach (var id in distinct)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(sql, new { now, moderator, note, id }, tx, cancellationToken: ct)) == 0) continue;
            await audit.WriteAsync(connection, tx, moderator, "reject", $"submission {id}", details, ct);
            rejected++;
        }
        await tx.CommitAsync(ct);
        return new EditResult(true, Count: rejected);
    }

    /// <summary>A paper as a moderator's form, or null.</summary>
    public async Task<PaperEdit?> GetAsync(string slug, CancellationToken ct)
    {
        const string sql = """
            SELECT p.id AS Id, p.slug AS Slug, p.origin AS Origin, p.title AS Title, p.pdf_url AS Link, t.slug AS Topic, p.affiliation AS Affiliation,
                   p.published AS Date, p.venue AS Venue, p.citations AS Citations, p.intro_markdown AS Intro,
                   (SELECT group_concat(name, ', ') FROM (SELECT k.name FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                        WHERE pk.paper_id = p.id ORDER BY pk.position)) AS Keywords
            FROM papers p JOIN topics t ON t.id = p.topic_id WHERE p.slug = @slug;
            """;
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<EditRow>(new CommandDefinition(sql, new { slug }, cancellationToken: ct));
        return row is null ? null : new PaperEdit
        {
            Id = row.Id, Slug = row.Slug, Origin = row.Origin,
            Form = new SubmissionForm
            {
                Title = row.Title, Link = row.Link, Topic = row.Topic, Keywords = row.Keywords, Affiliation = row.Affiliation, Date = row.Date,
                Venue = row.Venue, Citations = row.Citations?.ToString(CultureInfo.InvariantCulture), Intro = row.Intro,
            },
        };
    }

    private sealed record EditRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Origin { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Link { get; init; }
        public string Topic { get; init; } = "";
        public string? Keywords { get; init; }
        public string? Affiliation { get; init; }
        public string? Date { get; init; }
        public string? Venue { get; init; }
        public long? Citations { get; init; }
        public string? Intro { get; init; }
    }

    /// <summary>Saves a moderator's edit of any paper (validated form); the slug stays, so links keep working.</summary>
    public async Task<EditResult> EditAsync(string slug, SubmissionForm form, string moderator, CancellationToken ct)
    {
        var before = await GetAsync(slug, ct);
        if (before is null) return EditResult.Failed("That paper does not exist.");
        var v = SubmissionStore.Values(form);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var topicId = await TopicIdAsync(connection, tx, v, ct);
        const string sql = """
            UPDATE papers SET topic_id = @topicId, title = @Title, title_key = @TitleKey, venue = @Venue, pdf_url = @Link, arxiv_id = @ArxivId,
                doi = coalesce(@Doi, doi), affiliation = @Affiliation, published = @Published, citations = @Citations, intro_markdown = @Intro,
                intro_html = @Html, updated_at = @now,
                position = CASE WHEN topic_id = @topicId THEN position ELSE (SELECT coalesce(max(position), -1) + 1 FROM papers WHERE topic_id = @topicId) END
            WHERE id = @id;
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            topicId, v.Title, v.TitleKey, v.Venue, v.Link, v.ArxivId, v.Doi, v.Affiliation, v.Published, v.Citations, v.Intro,
            Html = RenderIntro(v.Intro, v.Title), now = Now(), id = before.Id,
        }, tx, cancellationToken: ct));
        await SetKeywordsAsync(connection, tx, before.Id, form.KeywordList, ct);
        await search.WriteAsync(connection, tx, before.Id, ct);
        var changes = Diff(before.Form, form);
        await audit.WriteAsync(connection, tx, moderator, "edit-paper", PaperUrls.Paper(slug), changes.Length == 0 ? "no changes" : changes, ct);
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return new EditResult(true, PaperSlug: slug);
    }

    /// <summary>Deletes a paper (its keywords links, images and index entry go with it).</summary>
    public async Task<EditResult> DeleteAsync(string slug, string moderator, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var title = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT title FROM papers WHERE slug = @slug;", new { slug }, tx, cancellationToken: ct));
        if (title is null) return EditResult.Failed("That paper does not exist.");
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM papers WHERE slug = @slug;", new { slug }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM keywords WHERE NOT EXISTS (SELECT 1 FROM paper_keywords pk WHERE pk.keyword_id = keywords.id);", transaction: tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "delete-paper", PaperUrls.Paper(slug), "deleted \"" + title + "\"", ct);
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return new EditResult(true);
    }

    /// <summary>Sets the date a topic's citation counts were read (YYYY-MM-DD), or clears it.</summary>
    public async Task<EditResult> SetCitationDateAsync(string topicSlug, string? date, string moderator, CancellationToken ct)
    {
        string? iso = null;
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (PaperDates.PastDay(date, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) is not { } d)
                return EditResult.Failed($"Enter the date as YYYY-MM-DD, from {PaperDates.FirstYear} and not later than today.");
            iso = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var old = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT coalesce(citation_date, '') FROM topics WHERE slug = @topicSlug;", new { topicSlug }, tx, cancellationToken: ct));
        if (old is null) return EditResult.Failed("That topic does not exist.");
        await connection.ExecuteAsync(new CommandDefinition("UPDATE topics SET citation_date = @iso WHERE slug = @topicSlug;", new { iso, topicSlug }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "topic-date", PaperUrls.Topic(topicSlug), AuditLog.Changes([("citation date", old, iso)]), ct);
        await tx.CommitAsync(ct);
        cache.Invalidate();
        return new EditResult(true);
    }

    private static async Task<long> TopicIdAsync(SqliteConnection connection, SqliteTransaction tx, SubmissionStore.StoredValues v, CancellationToken ct)
    {
        if (v.TopicSlug is not null)
        {
            var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM topics WHERE slug = @TopicSlug;", new { v.TopicSlug }, tx, cancellationToken: ct));
            if (id is not null) return id.Value;
        }
        var name = v.NewTopic ?? v.TopicSlug ?? "Other";
        var slug = Slugs.From(name) is { Length: > 0 } s ? s : "topic";
        const string sql = """
            INSERT INTO topics (slug, name, position) VALUES (@slug, @name, (SELECT coalesce(max(position), -1) + 1 FROM topics))
            ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
            RETURNING id;
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { slug, name }, tx, cancellationToken: ct));
    }

    private static async Task<string> FreeSlugAsync(SqliteConnection connection, SqliteTransaction tx, string baseSlug, long? except, CancellationToken ct)
    {
        var slug = baseSlug;
        for (var n = 2; await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM papers WHERE slug = @slug AND (@except IS NULL OR id <> @except));", new { slug, except }, tx, cancellationToken: ct)); n++)
            slug = $"{baseSlug}-{n}";
        return slug;
    }

    private static async Task SetKeywordsAsync(SqliteConnection connection, SqliteTransaction tx, long paperId, IReadOnlyList<string> keywords, CancellationToken ct)
    {
        const string clearSql = "DELETE FROM paper_keywords WHERE paper_id = @paperId;";
        const string keywordSql = "INSERT INTO keywords (slug, name) VALUES (@slug, @name) ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id;";
        const string linkSql = "INSERT OR IGNORE INTO paper_keywords (paper_id, keyword_id, position) VALUES (@paperId, @keywordId, @position);";
        await connection.ExecuteAsync(new CommandDefinition(clearSql, new { paperId }, tx, cancellationToken: ct));
        for (var i = 0; i < keywords.Count; i++)
        {
            var slug = Slugs.From(keywords[i]);
            if (slug.Length == 0) continue;
            var keywordId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(keywordSql, new { slug, name = keywords[i] }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(linkSql, new { paperId, keywordId, position = i }, tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM keywords WHERE NOT EXISTS (SELECT 1 FROM paper_keywords pk WHERE pk.keyword_id = keywords.id);", transaction: tx, cancellationToken: ct));
    }

    /// <summary>A submitted intro rendered like every other: web links kept, local links and remote images dropped.</summary>
    public string? RenderIntro(string? intro, string? title) => RenderedIntro.HtmlOf(markdown, intro, title);

    private static string Diff(SubmissionForm before, SubmissionForm after) => AuditLog.Changes(
    [
        ("title", before.Title, after.Title?.Trim()), ("link", before.Link, after.Link?.Trim()), ("topic", before.Topic, after.Topic),
        ("new topic", before.NewTopicName, after.NewTopicName), ("keywords", before.Keywords, string.Join(", ", after.KeywordList)),
        ("affiliation", before.Affiliation, after.Affiliation?.Trim()), ("date", before.Date, after.Date?.Trim()), ("venue", before.Venue, after.Venue?.Trim()),
        ("citations", before.Citations, after.Citations?.Trim()), ("intro", before.Intro, after.Intro?.Replace("\r\n", "\n", StringComparison.Ordinal)),
    ]);

    private string Now() => Timestamps.Now(clock);
}
