using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Submissions;

/// <summary>The queue of reader submissions: stores them, reports their status, finds possible duplicates.</summary>
public sealed class SubmissionStore(CatalogDatabase database, TimeProvider clock)
{
    internal const string Columns = """
        s.id AS Id, s.token AS Token, s.status AS Status, s.title AS Title, s.link AS Link, s.arxiv_id AS ArxivId, s.doi AS Doi,
        s.topic_slug AS TopicSlug, t.name AS TopicName, s.new_topic AS NewTopic, s.keywords AS Keywords, s.affiliation AS Affiliation,
        s.published AS Published, s.venue AS Venue, s.citations AS Citations, s.intro_markdown AS IntroMarkdown,
        s.submitter_name AS SubmitterName, s.submitter_email AS SubmitterEmail, s.created_at AS CreatedAt,
        s.decided_at AS DecidedAt, s.decided_by AS DecidedBy, s.moderator_note AS ModeratorNote, p.slug AS PaperSlug
        FROM submissions s LEFT JOIN topics t ON t.slug = s.topic_slug LEFT JOIN papers p ON p.id = s.paper_id
        """;

    /// <summary>
    /// Stores a validated form as a pending submission. The same <paramref name="idempotencyKey"/> (one per form shown)
    /// always gives the same submission, so a double click or a retry after a timeout stores one, not two.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(SubmissionForm form, string idempotencyKey, CancellationToken ct)
    {
        const string insertSql = """
            INSERT INTO submissions (token, idempotency_key, title, title_key, link, arxiv_id, doi, topic_slug, new_topic, keywords,
                affiliation, published, venue, citations, intro_markdown, submitter_name, submitter_email, created_at)
            VALUES (@Token, @Key, @Title, @TitleKey, @Link, @ArxivId, @Doi, @TopicSlug, @NewTopic, @Keywords,
                @Affiliation, @Published, @Venue, @Citations, @Intro, @Name, @Email, @Now)
            ON CONFLICT (idempotency_key) DO NOTHING;
            """;
        const string tokenSql = "SELECT token FROM submissions WHERE idempotency_key = @Key;";
        var values = Values(form);
        var token = NewToken();
        await using var connection = await database.OpenAsync(ct);
        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is taken up front, and a busy store is
        // waited for (busy timeout) rather than failing half-way.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(insertSql, new
        {
            Token = token, Key = idempotencyKey, values.Title, values.TitleKey, values.Link, values.ArxivId, values.Doi, values.TopicSlug,
            values.NewTopic, values.Keywords, values.Affiliation, values.Published, values.Venue, values.Citations, values.Intro,
            values.Name, values.Email, Now = Now(),
        }, tx, cancellationToken: ct));
        var stored = inserted == 1 ? token : await connection.ExecuteScalarAsync<string>(new CommandDefinition(tokenSql, new { Key = idempotencyKey }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SubmitResult(stored!);
    }

    /// <summary>The token of the submission already made from the form with <paramref name="idempotencyKey"/>, or null.</summary>
    public async Task<string?> TokenForKeyAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT token FROM submissions WHERE idempotency_key = @idempotencyKey;", new { idempotencyKey }, cancellationToken: ct));
    }

    /// <summary>A submission by its private token, or null.</summary>
    public async Task<Submission?> ByTokenAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        token = token.ToLowerInvariant();
        const string sql = "SELECT " + Columns + " WHERE s.token = @token;";
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Submission>(new CommandDefinition(sql, new { token }, cancellationToken: ct));
    }

    /// <summary>A submission by id, or null.</summary>
    public async Task<Submission?> ByIdAsync(long id, CancellationToken ct)
    {
        const string sql = "SELECT " + Columns + " WHERE s.id = @id;";
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Submission>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>The pending submissions, oldest first.</summary>
    public async Task<IReadOnlyList<Submission>> PendingAsync(CancellationToken ct)
    {
        const string sql = "SELECT " + Columns + " WHERE s.status = 'pending' ORDER BY s.created_at, s.id LIMIT 500;";
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Submission>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
    }

    private sealed record Candidate
    {
        public string Title { get; init; } = "";
        public string? Slug { get; init; }
        public long? SubmissionId { get; init; }
        public string? ArxivId { get; init; }
        public string? Doi { get; init; }
        public string TitleKey { get; init; } = "";
    }

    /// <summary>
    /// Papers and pending submissions that may be the same paper as <paramref name="title"/>/<paramref name="link"/>:
    /// same arXiv id, same DOI or same folded title (exact), or nearly the same title words (similar).
    /// </summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> DuplicatesAsync(string? title, string? link, long? exceptSubmission, CancellationToken ct)
    {
        var arxiv = Identifiers.ArxivId(link);
        var doi = Identifiers.Doi(link);
        var titleKey = string.IsNullOrWhiteSpace(title) ? null : Identifiers.TitleKey(title);
        if (arxiv is null && doi is null && string.IsNullOrEmpty(titleKey)) return [];
        // Similar titles: papers whose title has all of this title's longer words (through the search index), and
        // pending submissions (a short queue) compared word by word.
        var words = string.IsNullOrWhiteSpace(title) ? [] : Search.SearchQuery.Tokens(title).Where(w => w.Length >= 4).Take(8).ToList();
        var similarMatch = words.Count >= 2 ? "{title} : (" + string.Join(' ', words.Select(w => "\"" + w + "\"")) + ")" : null;
        const string sql = """
            SELECT title AS Title, slug AS Slug, NULL AS SubmissionId, arxiv_id AS ArxivId, doi AS Doi, title_key AS TitleKey FROM papers
            WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR (@doi IS NOT NULL AND doi = @doi) OR (@titleKey IS NOT NULL AND title_key = @titleKey)
            UNION ALL
            SELECT s.title, NULL, s.id, s.arxiv_id, s.doi, s.title_key FROM submissions s
            WHERE s.status = 'pending' AND (@except IS NULL OR s.id <> @except)
              AND ((@arxiv IS NOT NULL AND s.arxiv_id = @arxiv) OR (@doi IS NOT NULL AND s.doi = @doi) OR (@titleKey IS NOT NULL AND s.title_key = @titleKey));
            """;
        const string similarPapersSql = """
            SELECT p.title AS Title, p.slug AS Slug, NULL AS SubmissionId, p.arxiv_id AS ArxivId, p.doi AS Doi, p.title_key AS TitleKey
            FROM paper_search JOIN papers p ON p.id = paper_search.rowid
            WHERE paper_search MATCH @match LIMIT 50;
            """;
        const string pendingSql = """
            SELECT title AS Title, NULL AS Slug, id AS SubmissionId, arxiv_id AS ArxivId, doi AS Doi, title_key AS TitleKey
            FROM submissions WHERE status = 'pending' AND (@except IS NULL OR id <> @except) LIMIT 1000;
            """;
        await using var connection = await database.OpenAsync(ct);
        var found = new List<DuplicateCandidate>();
        foreach (var c in await connection.QueryAsync<Candidate>(new CommandDefinition(sql, new { arxiv, doi, titleKey, except = exceptSubmission }, cancellationToken: ct)))
        {
            var kind = arxiv is not null && c.ArxivId == arxiv ? DuplicateKind.SameArxivId : doi is not null && c.Doi == doi ? DuplicateKind.SameDoi : DuplicateKind.SameTitle;
            found.Add(new DuplicateCandidate(kind, c.Title, c.Slug, c.SubmissionId));
        }
        if (!string.IsNullOrWhiteSpace(title))
        {
            var similar = new List<Candidate>();
            if (similarMatch is not null)
                similar.AddRange(await connection.QueryAsync<Candidate>(new CommandDefinition(similarPapersSql, new { match = similarMatch }, cancellationToken: ct)));
            similar.AddRange(await connection.QueryAsync<Candidate>(new CommandDefinition(pendingSql, new { except = exceptSubmission }, cancellationToken: ct)));
            foreach (var c in similar)
            {
                if (found.Any(f => f.PaperSlug == c.Slug && f.SubmissionId == c.SubmissionId)) continue;
                if (c.TitleKey != titleKey && Identifiers.NearTitles(title, c.Title))
                    found.Add(new DuplicateCandidate(DuplicateKind.SimilarTitle, c.Title, c.Slug, c.SubmissionId));
            }
        }
        return found;
    }

    /// <summary>The form's values as stored: trimmed, empty optional fields as null, identifiers normalised.</summary>
    internal static StoredValues Values(SubmissionForm form)
    {
        static string? Opt(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var title = (form.Title ?? "").Trim();
        var link = (form.Link ?? "").Trim();
        var citations = Opt(form.Citations)?.Replace(",", "", StringComparison.Ordinal);
        return new StoredValues
        {
            Title = title,
            TitleKey = Identifiers.TitleKey(title),
            Link = link,
            ArxivId = Identifiers.ArxivId(link),
            Doi = Identifiers.Doi(link),
            TopicSlug = form.Topic == SubmissionForm.NewTopic ? null : Opt(form.Topic),
            NewTopic = form.Topic == SubmissionForm.NewTopic ? Opt(form.NewTopicName) : null,
            Keywords = string.Join(", ", form.KeywordList),
            Affiliation = (form.Affiliation ?? "").Trim(),
            Published = PaperDates.Month(form.Date) ?? (form.Date ?? "").Trim(),
            Venue = Opt(form.Venue),
            Citations = citations is null ? null : long.Parse(citations, System.Globalization.CultureInfo.InvariantCulture),
            Intro = string.IsNullOrWhiteSpace(form.Intro) ? null : form.Intro.Replace("\r\n", "\n", StringComparison.Ordinal),
            Name = Opt(form.Name),
            Email = Opt(form.Email),
        };
    }

    internal sealed record StoredValues
    {
        public string Title { get; init; } = "";
        public string TitleKey { get; init; } = "";
        public string Link { get; init; } = "";
        public string? ArxivId { get; init; }
        public string? Doi { get; init; }
        public string? TopicSlug { get; init; }
        public string? NewTopic { get; init; }
        public string Keywords { get; init; } = "";
        public string Affiliation { get; init; } = "";
        public string Published { get; init; } = "";
        public string? Venue { get; init; }
        public long? Citations { get; init; }
        public string? Intro { get; init; }
        public string? Name { get; init; }
        public string? Email { get; init; }
    }

    private string Now() => Timestamps.Now(clock);

    /// <summary>An unguessable token: 128 random bits in lowercase hex, so it survives lowercased URLs and retyping.</summary>
    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
