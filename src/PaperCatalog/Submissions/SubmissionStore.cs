using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Figures;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;

namespace PaperCatalog.Submissions;

/// <summary>The queue of reader submissions: stores them (intros rendered once, here), pages the queue, finds possible duplicates.</summary>
public sealed class SubmissionStore(CatalogDatabase database, MarkdownRenderer markdown, TimeProvider clock)
{
    /// <summary>
    /// A submission's columns, then (from "Slug" on) the paper it describes as a <see cref="PaperRow"/>: the submitted
    /// fields come from <see cref="PaperFields"/> (constants, never input), so a new field reaches the form without a
    /// change here. Read with <see cref="ReadAsync"/>.
    /// </summary>
    private static readonly string Columns = """
        s.id AS Id, s.token AS Token, CASE WHEN s.withdrawn_at IS NULL THEN s.status ELSE 'withdrawn' END AS Status, s.title AS Title, s.link AS Link, s.arxiv_id AS ArxivId, s.doi AS Doi,
        s.topic_slug AS TopicSlug, t.name AS TopicName, s.new_topic AS NewTopic, s.keywords AS Keywords, s.affiliation AS Affiliation,
        s.published AS Published, s.venue AS Venue, s.citations AS Citations, s.intro_markdown AS IntroMarkdown,
        s.intro_html AS IntroHtml, s.submitter_name AS SubmitterName, s.submitter_email AS SubmitterEmail, s.created_at AS CreatedAt,
        s.decided_at AS DecidedAt, s.decided_by AS DecidedBy, s.moderator_note AS ModeratorNote, p.slug AS PaperSlug,
        s.is_correction AS IsCorrection, s.corrects_paper_id AS CorrectsPaperId, c.slug AS CorrectsSlug,
        sf.content_type AS FigureType, coalesce(sf.width, 0) AS FigureWidth, coalesce(sf.height, 0) AS FigureHeight, sf.description AS FigureDescription,
        '' AS Slug,
        """ + string.Join(", ", PaperFields.SubmittedFields.Where(f => f.Row is not null).Select(f => $"s.{f.Submitted} AS {f.Row}")) + """

        FROM submissions s LEFT JOIN topics t ON t.slug = s.topic_slug LEFT JOIN papers p ON p.id = s.paper_id
            LEFT JOIN papers c ON c.id = s.corrects_paper_id LEFT JOIN submission_figures sf ON sf.submission_id = s.id
        """;

    /// <summary>One submission by a constant WHERE clause of this assembly (never input), with the paper it describes.</summary>
    internal static async Task<Submission?> ReadAsync(SqliteConnection connection, SqliteTransaction? tx, string where, object args, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Submission, PaperRow, Submission>(
            new CommandDefinition("SELECT " + Columns + " " + where + ";", args, tx, cancellationToken: ct), (s, paper) => s with { Paper = paper }, splitOn: "Slug");
        return rows.SingleOrDefault();
    }

    /// <summary>"link = @f3, ...": every submitted field set from <see cref="FieldParameters"/>.</summary>
    internal static readonly string FieldAssignments =
        string.Join(", ", PaperFields.All.Select((f, i) => (f, i)).Where(x => x.f.Submitted is not null).Select(x => $"{x.f.Submitted} = @f{x.i}"));

    /// <summary>The submitted fields of <paramref name="content"/> as the parameters @f0, @f1, … the generated SQL names.</summary>
    internal static DynamicParameters FieldParameters(PaperContent content)
    {
        var values = PaperFields.Values(content);
        var args = new DynamicParameters();
        for (var i = 0; i < values.Length; i++)
        {
            if (PaperFields.All[i].Submitted is not null) args.Add("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }
        return args;
    }

    /// <summary>
    /// The submitter takes back a pending submission (by its private token): it leaves the queue and reads as
    /// withdrawn. False when there is no such submission or it was already decided.
    /// </summary>
    public async Task<bool> WithdrawAsync(string token, CancellationToken ct)
    {
        // Stored as a decision without a moderator: see 0011_withdrawn_submissions.sql for why the status stays 'rejected'.
        const string sql = """
            UPDATE submissions SET status = 'rejected', withdrawn_at = @now, decided_at = @now
            WHERE token = @token AND status = 'pending';
            """;
        await using var connection = await database.OpenAsync(ct);
        var now = Now();
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { token, now }, cancellationToken: ct)) == 1;
    }

    private static readonly string InsertSql =
        "INSERT INTO submissions (token, idempotency_key, topic_slug, new_topic, keywords, intro_excerpt, submitter_name, submitter_email, created_at, is_correction, corrects_paper_id, "
        + string.Join(", ", PaperFields.SubmittedFields.Select(f => f.Submitted))
        + ") VALUES (@Token, @Key, @TopicSlug, @NewTopic, @Keywords, @Excerpt, @Name, @Email, @Now, @Corrects IS NOT NULL, @Corrects, "
        + string.Join(", ", PaperFields.All.Select((f, i) => (f, i)).Where(x => x.f.Submitted is not null).Select(x => "@f" + x.i))
        + ") ON CONFLICT (idempotency_key) DO NOTHING;";

    /// <summary>
    /// Stores a validated form as a pending submission. The same <paramref name="idempotencyKey"/> (one per form shown)
    /// always gives the same submission, so a double click or a retry after a timeout stores one, not two.
    /// </summary>
    public Task<SubmitResult> SubmitAsync(SubmissionForm form, string idempotencyKey, CancellationToken ct) => StoreAsync(form, idempotencyKey, null, null, ct);

    /// <summary>As <see cref="SubmitAsync(SubmissionForm, string, CancellationToken)"/>, with a checked figure (or none).</summary>
    public Task<SubmitResult> SubmitAsync(SubmissionForm form, string idempotencyKey, SubmittedFigure? figure, CancellationToken ct) => StoreAsync(form, idempotencyKey, null, figure, ct);

    /// <summary>
    /// Stores a validated form as a pending correction of the paper <paramref name="paperId"/>: approving it updates
    /// that paper instead of adding one. Idempotent like <see cref="SubmitAsync(SubmissionForm, string, CancellationToken)"/>.
    /// </summary>
    public Task<SubmitResult> SuggestCorrectionAsync(SubmissionForm form, string idempotencyKey, long paperId, CancellationToken ct) => StoreAsync(form, idempotencyKey, paperId, null, ct);

    /// <summary>As <see cref="SuggestCorrectionAsync(SubmissionForm, string, long, CancellationToken)"/>, proposing a new figure (or none).</summary>
    public Task<SubmitResult> SuggestCorrectionAsync(SubmissionForm form, string idempotencyKey, long paperId, SubmittedFigure? figure, CancellationToken ct) => StoreAsync(form, idempotencyKey, paperId, figure, ct);

    private async Task<SubmitResult> StoreAsync(SubmissionForm form, string idempotencyKey, long? correctsPaperId, SubmittedFigure? figure, CancellationToken ct)
    {
        const string tokenSql = "SELECT token FROM submissions WHERE idempotency_key = @Key;";
        static string? Opt(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        // Rendered once, here, before the write lock is taken; every page that shows it reads the stored HTML.
        var intro = RenderedIntro.Render(markdown, SubmissionForm.IntroText(form.Intro), form.Title?.Trim());
        var args = FieldParameters(PaperFields.FromForm(form, intro?.Html));
        var token = NewToken();
        args.AddDynamicParams(new
        {
            Token = token, Key = idempotencyKey, TopicSlug = form.ChosenTopic, NewTopic = form.SuggestedTopic, Keywords = string.Join(", ", form.KeywordList),
            Excerpt = intro?.Excerpt, Name = Opt(form.Name), Email = Opt(form.Email), Now = Now(), Corrects = correctsPaperId,
        });
        await using var connection = await database.OpenAsync(ct);
        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is taken up front, and a busy store is
        // waited for (busy timeout) rather than failing half-way.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, tx, cancellationToken: ct));
        if (inserted == 1 && figure is not null)
            await FigureStore.AddAsync(connection, tx, token, figure, ct);
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
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection, null, "WHERE s.token = @token", new { token }, ct);
    }

    /// <summary>How many submissions wait for a moderator (read from the queue's own index).</summary>
    public async Task<long> PendingCountAsync(CancellationToken ct)
    {
        const string sql = "SELECT count(*) FROM submissions WHERE status = 'pending';";
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>A submission by id, its intro rendered, or null.</summary>
    public async Task<Submission?> ByIdAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var submission = await ReadAsync(connection, null, "WHERE s.id = @id", new { id }, ct);
        if (submission is { IntroMarkdown: not null, IntroHtml: null } && (await RenderStoredAsync(connection, [id], ct)).TryGetValue(id, out var intro))
            submission = submission with { IntroHtml = intro.Html };
        return submission;
    }

    /// <summary>
    /// One page of the pending queue, oldest or newest first, each row with its intro excerpt and its possible
    /// duplicates. A page past the end is the last page. Reads the page's rows only, never the whole queue: the
    /// page is picked from an index that holds the excerpts, and duplicates for all its rows come from one query.
    /// </summary>
    public async Task<QueuePage> QueueAsync(int page, int pageSize, QueueOrder order, CancellationToken ct) =>
        await QueueAsync(page, pageSize, order, QueueFilter.None, ct);

    // The queue narrowed by a filter: every condition is a parameter that is NULL (or 0) when unused, so there is one
    // statement whatever the filter. Text is matched with LIKE (case-folded for ASCII) over title, keywords and
    // affiliation of pending rows only; "duplicates" are the exact kinds, found through the same indexes the
    // duplicate check uses (similar titles need the word comparison and stay on the review page).
    private const string FilterWhere = """
        WHERE s.status = 'pending'
          AND (@like IS NULL OR s.title LIKE @like ESCAPE '\' OR s.keywords LIKE @like ESCAPE '\' OR s.affiliation LIKE @like ESCAPE '\')
          AND (@topic IS NULL OR s.topic_slug = @topic OR (@topic = '-new' AND s.topic_slug IS NULL))
          AND (@before IS NULL OR s.created_at < @before)
          AND (@correction IS NULL OR s.is_correction = @correction)
          AND (@duplicates = 0
               OR EXISTS (SELECT 1 FROM papers p WHERE p.arxiv_id = s.arxiv_id OR p.doi = s.doi OR p.title_key = s.title_key)
               OR EXISTS (SELECT 1 FROM submissions o WHERE o.status = 'pending' AND o.id <> s.id
                          AND (o.arxiv_id = s.arxiv_id OR o.doi = s.doi OR o.title_key = s.title_key)))
        """;

    // What a queue line says about the kind of submission: a correction (of which paper) and whether it has a figure
    // (read from the figure table's primary key, never its bytes).
    private const string QueueKindColumns = """
                   s.corrects_paper_id AS CorrectsPaperId, s.is_correction AS IsCorrection, c.slug AS CorrectsSlug,
                   EXISTS (SELECT 1 FROM submission_figures f WHERE f.submission_id = s.id) AS HasFigure
        """;

    /// <summary>The queue as <see cref="QueueAsync(int, int, QueueOrder, CancellationToken)"/>, narrowed by <paramref name="filter"/>.</summary>
    public async Task<QueuePage> QueueAsync(int page, int pageSize, QueueOrder order, QueueFilter filter, CancellationToken ct)
    {
        if (!filter.IsEmpty) return await FilteredQueueAsync(page, pageSize, order, filter, ct);
        const string countSql = "SELECT count(*) FROM submissions WHERE status = 'pending';";
        // The page (ids and excerpts) comes from ix_submissions_queue alone; then only those rows are read, and only
        // their first columns: typeof() reads a column's type from the row's header, not its value behind the intro.
        const string rowsSql = """
            SELECT s.id AS Id, s.title AS Title, s.link AS Link, t.name AS TopicName, s.new_topic AS NewTopic, s.affiliation AS Affiliation,
                   s.published AS Published, s.submitter_name AS SubmitterName, s.created_at AS CreatedAt, page.intro_excerpt AS IntroExcerpt,
                   typeof(s.intro_markdown) <> 'null' AND typeof(s.intro_html) = 'null' AS NeedsRender,
            """ + "\n" + QueueKindColumns + """

            FROM page JOIN submissions s ON s.id = page.id LEFT JOIN topics t ON t.slug = s.topic_slug LEFT JOIN papers c ON c.id = s.corrects_paper_id
            """;
        const string oldestSql = """
            WITH page AS MATERIALIZED (SELECT id, created_at, intro_excerpt FROM submissions WHERE status = 'pending'
                ORDER BY created_at, id LIMIT @pageSize OFFSET @offset)
            """ + "\n" + rowsSql + "\nORDER BY page.created_at, page.id;";
        const string newestSql = """
            WITH page AS MATERIALIZED (SELECT id, created_at, intro_excerpt FROM submissions WHERE status = 'pending'
                ORDER BY created_at DESC, id DESC LIMIT @pageSize OFFSET @offset)
            """ + "\n" + rowsSql + "\nORDER BY page.created_at DESC, page.id DESC;";
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, cancellationToken: ct));
        var pages = QueuePage.PagesFor(total, pageSize);
        var number = Math.Clamp(page, 1, pages);
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition(order == QueueOrder.Newest ? newestSql : oldestSql,
            new { pageSize, offset = (long)(number - 1) * pageSize }, cancellationToken: ct))).ToList();
        return await CompleteAsync(connection, rows, total, number, pageSize, order, ct);
    }

    private async Task<QueuePage> FilteredQueueAsync(int page, int pageSize, QueueOrder order, QueueFilter filter, CancellationToken ct)
    {
        const string countSql = "SELECT count(*) FROM submissions s " + FilterWhere + ";";
        const string rowsSql = """
            SELECT s.id AS Id, s.title AS Title, s.link AS Link, t.name AS TopicName, s.new_topic AS NewTopic, s.affiliation AS Affiliation,
                   s.published AS Published, s.submitter_name AS SubmitterName, s.created_at AS CreatedAt, s.intro_excerpt AS IntroExcerpt,
                   typeof(s.intro_markdown) <> 'null' AND typeof(s.intro_html) = 'null' AS NeedsRender,
            """ + "\n" + QueueKindColumns + """

            FROM submissions s LEFT JOIN topics t ON t.slug = s.topic_slug LEFT JOIN papers c ON c.id = s.corrects_paper_id
            """ + "\n" + FilterWhere;
        const string oldestSql = rowsSql + "\nORDER BY s.created_at, s.id LIMIT @pageSize OFFSET @offset;";
        const string newestSql = rowsSql + "\nORDER BY s.created_at DESC, s.id DESC LIMIT @pageSize OFFSET @offset;";
        var args = new DynamicParameters(new
        {
            like = filter.Search is null ? null : "%" + LikeEscaped(filter.Search) + "%",
            topic = filter.Topic,
            before = filter.MinAgeDays is { } days ? Timestamps.Of(clock.GetUtcNow().AddDays(-days)) : null,
            duplicates = filter.DuplicatesOnly ? 1 : 0,
            correction = filter.Kind switch { QueueKind.Correction => 1, QueueKind.NewPaper => 0, _ => (int?)null },
        });
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, args, cancellationToken: ct));
        var number = Math.Clamp(page, 1, QueuePage.PagesFor(total, pageSize));
        args.AddDynamicParams(new { pageSize, offset = (long)(number - 1) * pageSize });
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition(order == QueueOrder.Newest ? newestSql : oldestSql, args, cancellationToken: ct))).ToList();
        return await CompleteAsync(connection, rows, total, number, pageSize, order, ct) with { Filter = filter };
    }

    /// <summary>A queue page's rows with their intros rendered (rows stored before rendering at storage) and their duplicates.</summary>
    private async Task<QueuePage> CompleteAsync(SqliteConnection connection, List<QueueRow> rows, long total, int number, int pageSize, QueueOrder order, CancellationToken ct)
    {
        var rendered = await RenderStoredAsync(connection, rows.Where(r => r.NeedsRender).Select(r => r.Id).ToList(), ct);
        var duplicates = await DuplicatesAsync(connection, rows.Select(r => new DuplicateProbe(r.Title, r.Link, r.Id, r.CorrectsPaperId)).ToList(), DuplicateScope.CatalogAndQueue, ct);
        var items = rows.Select((r, i) => r with
        {
            IntroExcerpt = rendered.TryGetValue(r.Id, out var intro) ? intro.Excerpt : r.IntroExcerpt,
            NeedsRender = false,
            Duplicates = duplicates[i],
        }).ToList();
        return new QueuePage(items, total, number, pageSize, order);
    }

    /// <summary>
    /// The pending submission a moderator reviews after <paramref name="afterId"/>: the next in the queue's oldest-first
    /// order, else the oldest one left; null when nothing is pending.
    /// </summary>
    public async Task<long?> NextPendingAsync(long afterId, CancellationToken ct)
    {
        // Both arms walk ix_submissions_queue; the current row need not be pending any more (it was just decided).
        const string sql = """
            SELECT id FROM (
                SELECT 0 AS arm, q.id, q.created_at FROM submissions q, (SELECT created_at FROM submissions WHERE id = @afterId) cur
                WHERE q.status = 'pending' AND (q.created_at, q.id) > (cur.created_at, @afterId)
                UNION ALL
                SELECT 1, id, created_at FROM submissions WHERE status = 'pending' AND id <> @afterId)
            ORDER BY arm, created_at, id LIMIT 1;
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { afterId }, cancellationToken: ct));
    }

    /// <summary>The pending submission before <paramref name="id"/> in the queue's oldest-first order, or null.</summary>
    public async Task<long?> PreviousPendingAsync(long id, CancellationToken ct)
    {
        const string sql = """
            SELECT q.id FROM submissions q, (SELECT created_at FROM submissions WHERE id = @id) cur
            WHERE q.status = 'pending' AND (q.created_at, q.id) < (cur.created_at, @id)
            ORDER BY q.created_at DESC, q.id DESC LIMIT 1;
            """;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// Decided submissions (approved, rejected, withdrawn), newest decision first, a page at a time; narrowed to one
    /// outcome and to text in the title, keywords, affiliation or the moderator's note.
    /// </summary>
    public async Task<HistoryPage> HistoryAsync(string? search, Outcome? outcome, int? page, int pageSize, CancellationToken ct)
    {
        const string where = """
            WHERE s.status <> 'pending'
              AND (@outcome IS NULL
                   OR (@outcome = 'approved' AND s.status = 'approved')
                   OR (@outcome = 'rejected' AND s.status = 'rejected' AND s.withdrawn_at IS NULL)
                   OR (@outcome = 'withdrawn' AND s.withdrawn_at IS NOT NULL))
              AND (@like IS NULL OR s.title LIKE @like ESCAPE '\' OR s.keywords LIKE @like ESCAPE '\'
                   OR s.affiliation LIKE @like ESCAPE '\' OR s.moderator_note LIKE @like ESCAPE '\')
            """;
        const string countSql = "SELECT count(*) FROM submissions s " + where + ";";
        // ix_submissions_decided (0015) gives the order without sorting the whole history.
        const string rowsSql = """
            SELECT s.id AS Id, s.title AS Title, CASE WHEN s.withdrawn_at IS NULL THEN s.status ELSE 'withdrawn' END AS Status,
                   t.name AS TopicName, s.new_topic AS NewTopic, s.created_at AS CreatedAt, s.decided_at AS DecidedAt,
                   s.decided_by AS DecidedBy, s.moderator_note AS ModeratorNote, p.slug AS PaperSlug
            FROM submissions s LEFT JOIN topics t ON t.slug = s.topic_slug LEFT JOIN papers p ON p.id = s.paper_id
            """ + "\n" + where + "\nORDER BY s.decided_at DESC, s.id DESC LIMIT @Size OFFSET @Skip;";
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        if (search is { Length: > QueueFilter.MaxSearch }) search = search[..QueueFilter.MaxSearch];
        var args = new DynamicParameters(new { outcome = outcome?.ToString().ToLowerInvariant(), like = search is null ? null : "%" + LikeEscaped(search) + "%" });
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countSql, args, cancellationToken: ct));
        var paging = new Paging(page, total, pageSize);
        args.AddDynamicParams(new { paging.Size, paging.Skip });
        var rows = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(rowsSql, args, cancellationToken: ct))).ToList();
        return new HistoryPage(rows, paging);
    }

    /// <summary>Text for a LIKE pattern with <c>ESCAPE '\'</c>: its own % and _ match themselves.</summary>
    private static string LikeEscaped(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>
    /// Renders and stores the intros of <paramref name="ids"/> that were stored unrendered (before intros were rendered
    /// at storage). A row rendered meanwhile (a moderator's edit) keeps its newer rendering.
    /// </summary>
    private async Task<Dictionary<long, RenderedIntro>> RenderStoredAsync(SqliteConnection connection, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        const string readSql = "SELECT id AS Id, title AS Title, intro_markdown AS IntroMarkdown FROM submissions WHERE id IN @ids AND intro_markdown IS NOT NULL AND intro_html IS NULL;";
        const string writeSql = "UPDATE submissions SET intro_html = @Html, intro_excerpt = @Excerpt WHERE id = @Id AND intro_html IS NULL;";
        var rendered = new Dictionary<long, RenderedIntro>();
        foreach (var s in await connection.QueryAsync<Submission>(new CommandDefinition(readSql, new { ids }, cancellationToken: ct)))
            rendered[s.Id] = RenderedIntro.Render(markdown, s.IntroMarkdown, s.Title) ?? new RenderedIntro("", "");
        if (rendered.Count == 0) return rendered;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        foreach (var (id, intro) in rendered)
            await connection.ExecuteAsync(new CommandDefinition(writeSql, new { intro.Html, intro.Excerpt, Id = id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return rendered;
    }

    /// <summary>Most candidates reported for one submission: enough to decide, and a bound when spam repeats one title thousands of times.</summary>
    public const int MaxCandidates = 5;

    private sealed record Candidate
    {
        public long Probe { get; init; }
        public string Title { get; init; } = "";
        public string? Slug { get; init; }
        public long? SubmissionId { get; init; }
        public string? ArxivId { get; init; }
        public string? Doi { get; init; }
        public string TitleKey { get; init; } = "";
    }

    /// <summary>What one probe looks for, normalised: its identifiers, folded title and the similar-title match.</summary>
    private sealed record ProbeKeys(string? Title, string? Arxiv, string? Doi, string? TitleKey, string? Words, long? Except, long? ExceptPaper)
    {
        public bool IsEmpty => Arxiv is null && Doi is null && TitleKey is null;

        public static ProbeKeys Of(DuplicateProbe probe)
        {
            var title = string.IsNullOrWhiteSpace(probe.Title) ? null : probe.Title;
            var titleKey = title is null ? null : Identifiers.TitleKey(title) is { Length: > 0 } k ? k : null;
            // Similar titles: those with all of this title's longer words (up to 8), then compared word by word.
            var words = title is null ? [] : Search.SearchQuery.Tokens(title).Where(w => w.Length >= 4).Distinct(StringComparer.Ordinal).Take(8).ToList();
            var match = words.Count >= 2 ? string.Join(' ', words.Select(w => "\"" + w + "\"")) : null;
            return new ProbeKeys(title, Identifiers.ArxivId(probe.Link), Identifiers.Doi(probe.Link), titleKey, match, probe.ExceptSubmission, probe.ExceptPaper);
        }
    }

    /// <summary>
    /// Papers (and, in <see cref="DuplicateScope.CatalogAndQueue"/>, pending submissions) that may be the same paper as
    /// the probe's title and link: same arXiv id, same DOI or same folded title (exact), or nearly the same title words
    /// (similar). Strongest first, at most <see cref="MaxCandidates"/>.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> DuplicatesAsync(DuplicateProbe probe, DuplicateScope scope, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await DuplicatesAsync(connection, [probe], scope, ct))[0];
    }

    /// <summary>
    /// The candidates for many probes in one query (the probes travel as one JSON parameter): indexed lookups by arXiv
    /// id, DOI and folded title, and full-text matches on titles (the catalog's search index, the pending titles' index),
    /// each bounded per probe. Nothing here reads the queue row by row.
    /// </summary>
    private static async Task<IReadOnlyList<IReadOnlyList<DuplicateCandidate>>> DuplicatesAsync(SqliteConnection connection, IReadOnlyList<DuplicateProbe> probes, DuplicateScope scope, CancellationToken ct)
    {
        const string probeSql = """
            WITH probe AS (
                SELECT value ->> 'i' AS i, value ->> 'arxiv' AS arxiv, value ->> 'doi' AS doi, value ->> 'titleKey' AS title_key,
                       value ->> 'words' AS words, '{title} : (' || (value ->> 'words') || ')' AS title_words, value ->> 'except' AS except_id,
                       value ->> 'exceptPaper' AS except_paper
                FROM json_each(@probes))
            SELECT probe.i AS Probe, p.title AS Title, p.slug AS Slug, NULL AS SubmissionId, p.arxiv_id AS ArxivId, p.doi AS Doi, p.title_key AS TitleKey
            FROM probe JOIN papers p ON p.arxiv_id = probe.arxiv OR p.doi = probe.doi OR p.title_key = probe.title_key
            WHERE p.id IS NOT probe.except_paper
            UNION ALL
            SELECT probe.i, p.title, p.slug, NULL, p.arxiv_id, p.doi, p.title_key
            FROM probe JOIN papers p ON p.id IN (SELECT rowid FROM paper_search WHERE paper_search MATCH probe.title_words LIMIT 50)
            WHERE probe.words IS NOT NULL AND p.id IS NOT probe.except_paper
            """;
        // Pending rows through the partial indexes over pending submissions; each lookup stops after a few rows. In the
        // last arm "+s.status" keeps the planner from walking the pending index and re-running the full-text match for
        // every pending row (120 ms for a page at 100 pending, against 1.5 ms driven by the match). pending_titles has
        // one column, so its match needs no column filter (which makes FTS5 read positions: 40 % slower at 10,000).
        // A pending correction is no second copy of a paper (a new submission of that paper meets the paper itself).
        const string queueSql = """
            UNION ALL
            SELECT probe.i, s.title, NULL, s.id, s.arxiv_id, s.doi, s.title_key FROM probe JOIN submissions s ON s.id IN
                (SELECT id FROM submissions WHERE status = 'pending' AND arxiv_id = probe.arxiv AND id IS NOT probe.except_id AND NOT is_correction LIMIT @each)
            UNION ALL
            SELECT probe.i, s.title, NULL, s.id, s.arxiv_id, s.doi, s.title_key FROM probe JOIN submissions s ON s.id IN
                (SELECT id FROM submissions WHERE status = 'pending' AND doi = probe.doi AND id IS NOT probe.except_id AND NOT is_correction LIMIT @each)
            UNION ALL
            SELECT probe.i, s.title, NULL, s.id, s.arxiv_id, s.doi, s.title_key FROM probe JOIN submissions s ON s.id IN
                (SELECT id FROM submissions WHERE status = 'pending' AND title_key = probe.title_key AND id IS NOT probe.except_id AND NOT is_correction LIMIT @each)
            UNION ALL
            SELECT probe.i, s.title, NULL, s.id, s.arxiv_id, s.doi, s.title_key FROM probe JOIN submissions s ON s.id IN
                (SELECT rowid FROM pending_titles WHERE pending_titles MATCH probe.words LIMIT 20)
            WHERE probe.words IS NOT NULL AND +s.status = 'pending' AND s.id IS NOT probe.except_id AND NOT s.is_correction
            """;
        const string catalogSql = probeSql + ";";
        const string catalogAndQueueSql = probeSql + "\n" + queueSql + ";";

        var keys = probes.Select(ProbeKeys.Of).ToList();
        var found = keys.Select(_ => new List<(DuplicateKind Kind, Candidate Row)>()).ToList();
        var asked = keys.Select((k, i) => (k, i)).Where(x => !x.k.IsEmpty)
            .Select(x => new { x.i, arxiv = x.k.Arxiv, doi = x.k.Doi, titleKey = x.k.TitleKey, words = x.k.Words, except = x.k.Except, exceptPaper = x.k.ExceptPaper }).ToList();
        if (asked.Count > 0)
        {
            var sql = scope == DuplicateScope.CatalogAndQueue ? catalogAndQueueSql : catalogSql;
            // Titles repeat (a probe against each candidate, spam against spam): each one's words are folded once.
            var words = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
            IReadOnlySet<string> Words(string title) => words.TryGetValue(title, out var w) ? w : words[title] = Identifiers.TitleWords(title);
            var rows = await connection.QueryAsync<Candidate>(new CommandDefinition(sql,
                new { probes = System.Text.Json.JsonSerializer.Serialize(asked), each = MaxCandidates + 1 }, cancellationToken: ct));
            foreach (var c in rows)
            {
                var k = keys[(int)c.Probe];
                DuplicateKind? kind = k.Arxiv is not null && c.ArxivId == k.Arxiv ? DuplicateKind.SameArxivId
                    : k.Doi is not null && c.Doi == k.Doi ? DuplicateKind.SameDoi
                    : k.TitleKey is not null && c.TitleKey == k.TitleKey ? DuplicateKind.SameTitle
                    : k.Title is not null && Identifiers.NearTitles(Words(k.Title), Words(c.Title)) ? DuplicateKind.SimilarTitle
                    : null;
                if (kind is not null) found[(int)c.Probe].Add((kind.Value, c));
            }
        }
        // One entry per paper or submission, its strongest reason first; catalog papers before queued submissions.
        return found.Select(list => (IReadOnlyList<DuplicateCandidate>)list
            .GroupBy(x => (x.Row.Slug, x.Row.SubmissionId)).Select(g => g.MinBy(x => x.Kind))
            .OrderBy(x => x.Kind).ThenBy(x => x.Row.Slug is null).ThenBy(x => x.Row.SubmissionId)
            .Take(MaxCandidates)
            .Select(x => new DuplicateCandidate(x.Kind, x.Row.Title, x.Row.Slug, x.Row.SubmissionId))
            .ToList()).ToList();
    }

    private string Now() => Timestamps.Now(clock);

    /// <summary>An unguessable token: 128 random bits in lowercase hex, so it survives lowercased URLs and retyping.</summary>
    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
