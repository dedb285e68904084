using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;
using PaperCatalog.Submissions;

namespace PaperCatalog.Moderation;

/// <summary>What a moderator's action came to: done (for a bulk action, on how many), or a sentence saying why not.</summary>
public sealed record EditResult(bool Done, string? Problem = null, string? PaperSlug = null, int Count = 0)
{
    public static EditResult Failed(string problem) => new(false, problem);
}

/// <summary>A paper's editable fields, as a moderator's form holds them, and who last edited it on the site.</summary>
public sealed record PaperEdit
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Origin { get; init; } = "";
    public SubmissionForm Form { get; init; } = new();
    /// <summary>The moderator whose edit the paper carries, or null (as the list or the submitter gave it).</summary>
    public string? EditedBy { get; init; }
    public string? EditedAt { get; init; }
}

/// <summary>
/// Moderators' writes: approve or reject a submission, edit or delete any paper, set a topic's citation date. Papers are
/// written through <see cref="PaperStore"/> (one IMMEDIATE transaction with the search index and the audit log, so
/// readers see all of a change or none of it).
/// </summary>
public sealed class CatalogEditor(CatalogDatabase database, PaperStore papers, MarkdownRenderer markdown, AuditLog audit, TimeProvider clock)
{
    // The submitted fields come from PaperFields (constants, never input): the decision stores the form as approved.
    private static readonly string DecideSql = """
        UPDATE submissions SET status = 'approved', decided_at = @now, decided_by = @moderator, paper_id = @paperId,
            topic_slug = @TopicSlug, new_topic = NULL, keywords = @Keywords, intro_excerpt = @Excerpt,
        """ + " " + SubmissionStore.FieldAssignments + "\nWHERE id = @id;";

    /// <summary>Approves a pending submission, with the moderator's edits in <paramref name="form"/> (already validated).</summary>
    public async Task<EditResult> ApproveAsync(long id, SubmissionForm form, string moderator, CancellationToken ct)
    {
        // The moderator may have edited the intro: rendered again, under the budget, once, for the paper and the
        // submission alike.
        var intro = RenderIntroChecked(SubmissionForm.IntroText(form.Intro), form.Title?.Trim());
        if (intro?.Problem is { } problem) return EditResult.Failed(IntroProblem(problem));
        var stored = intro is null ? null : new RenderedIntro(intro.Html, RenderedIntro.ExcerptOf(intro.Html));
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT status FROM submissions WHERE id = @id;", new { id }, tx, cancellationToken: ct));
        if (status is null) return EditResult.Failed("That submission does not exist.");
        if (status != "pending") return EditResult.Failed($"That submission was already {status}.");
        var before = (await SubmissionStore.ReadAsync(connection, tx, "WHERE s.id = @id", new { id }, ct))!;
        if (before.IsCorrection) return await ApproveCorrectionAsync(writer, before, form, stored, moderator, ct);

        var content = PaperFields.FromForm(form, stored?.Html);
        var (topicId, topicSlug) = await TopicAsync(connection, tx, form, ct);
        var slug = writer.FreeSlug(Slugs.ForTitle(content.Title));
        var now = Now();
        var paperId = writer.Insert(new PaperPlace(slug, topicId, writer.EndOf(topicId)), new PaperRecord(content, topicId), "site", now);

        var args = SubmissionStore.FieldParameters(content);
        args.AddDynamicParams(new { now, moderator, paperId, TopicSlug = topicSlug, Keywords = string.Join(", ", form.KeywordList), Excerpt = stored?.Excerpt, id });
        await connection.ExecuteAsync(new CommandDefinition(DecideSql, args, tx, cancellationToken: ct));
        var edits = Diff(before.ToForm(), form);
        await audit.WriteAsync(connection, tx, moderator, "approve", $"submission {id} → {PaperUrls.Paper(slug)}",
            edits.Length == 0 ? "approved as submitted" : "approved with edits:\n" + edits, ct);
        await writer.CommitAsync(ct);
        return new EditResult(true, PaperSlug: slug);
    }

    /// <summary>
    /// A correction updates the paper it is for, exactly as a moderator's edit of that paper would (same writer, same
    /// rules for the intro, the paper marked as edited by the approving moderator), and the submission is decided as
    /// approved with that paper. The audit entry says what changed in the paper.
    /// </summary>
    private async Task<EditResult> ApproveCorrectionAsync(PaperWriter writer, Submission submission, SubmissionForm form, RenderedIntro? intro, string moderator, CancellationToken ct)
    {
        var (connection, tx) = (writer.Connection, writer.Transaction);
        if (submission.CorrectsSlug is not { } slug || await ReadAsync(connection, tx, slug, ct) is not { } paper)
            return EditResult.Failed("The paper this correction is for was deleted; reject the correction instead.");
        var now = Now();
        var (content, topicSlug, changes) = await UpdatePaperAsync(writer, paper, form, intro?.Html, moderator, now, ct);
        var args = SubmissionStore.FieldParameters(content);
        args.AddDynamicParams(new { now, moderator, paperId = paper.Id, TopicSlug = topicSlug, Keywords = string.Join(", ", form.KeywordList), Excerpt = intro?.Excerpt, id = submission.Id });
        await connection.ExecuteAsync(new CommandDefinition(DecideSql, args, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "approve-correction", $"submission {submission.Id} → {PaperUrls.Paper(slug)}",
            changes.Length == 0 ? "approved; the paper already said all of it" : changes, ct);
        await writer.CommitAsync(ct);
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
        await using var connection = await database.OpenAsync(ct);
        var row = await ReadAsync(connection, null, slug, ct);
        return row is null ? null : new PaperEdit
        {
            Id = row.Id, Slug = row.Slug, Origin = row.Origin, Form = PaperFields.ToForm(row, row.IntroMarkdown), EditedBy = row.EditedBy, EditedAt = row.EditedAt,
        };
    }

    /// <summary>A paper as stored, with what only an edit needs.</summary>
    private sealed record EditRow : PaperRow
    {
        public long Id { get; init; }
        public string Origin { get; init; } = "";
        public long TopicId { get; init; }
        public string? IntroMarkdown { get; init; }
        public string? IntroHtml { get; init; }
        public string? EditedBy { get; init; }
        public string? EditedAt { get; init; }
    }

    private static readonly string EditRowSql = "SELECT " + PaperQueries.RowColumns + """
        , p.id AS Id, p.origin AS Origin, p.topic_id AS TopicId, p.intro_markdown AS IntroMarkdown, p.intro_html AS IntroHtml,
          p.edited_by AS EditedBy, p.edited_at AS EditedAt
        FROM papers p JOIN topics t ON t.id = p.topic_id
        WHERE p.slug = @slug;
        """;

    private static async Task<EditRow?> ReadAsync(SqliteConnection connection, SqliteTransaction? tx, string slug, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<EditRow>(new CommandDefinition(EditRowSql, new { slug }, tx, cancellationToken: ct));

    /// <summary>
    /// Saves a moderator's edit of any paper (validated form); the slug stays, so links keep working. The paper is marked
    /// as edited by <paramref name="moderator"/>; a list paper keeps its list row's hash, so the edit stays until the
    /// list's row for it changes (see <see cref="Importing.CatalogImporter"/>).
    /// </summary>
    public async Task<EditResult> EditAsync(string slug, SubmissionForm form, string moderator, CancellationToken ct)
    {
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var before = await ReadAsync(connection, tx, slug, ct);
        if (before is null) return EditResult.Failed("That paper does not exist.");
        // Only a changed intro is rendered (UpdatePaperAsync keeps an unchanged one as stored).
        var introText = SubmissionForm.IntroText(form.Intro);
        string? introHtml = null;
        if (introText != before.IntroMarkdown)
        {
            var intro = RenderIntroChecked(introText, form.Title?.Trim());
            if (intro?.Problem is { } problem) return EditResult.Failed(IntroProblem(problem));
            introHtml = intro?.Html;
        }
        var (_, _, changes) = await UpdatePaperAsync(writer, before, form, introHtml, moderator, Now(), ct);
        await audit.WriteAsync(connection, tx, moderator, "edit-paper", PaperUrls.Paper(slug), changes.Length == 0 ? "no changes" : changes, ct);
        await writer.CommitAsync(ct);
        return new EditResult(true, PaperSlug: slug);
    }

    /// <summary>
    /// Writes a validated form over a stored paper, its slug kept and the paper marked as edited by
    /// <paramref name="moderator"/>; an intro the form did not change keeps its stored rendering, a changed one takes
    /// <paramref name="changedIntroHtml"/>. Returns what was written and the changes as "field: old → new" lines.
    /// </summary>
    private static async Task<(PaperContent Content, string TopicSlug, string Changes)> UpdatePaperAsync(PaperWriter writer, EditRow before, SubmissionForm form, string? changedIntroHtml, string moderator, string now, CancellationToken ct)
    {
        // A list paper's intro links other papers' pages and shows images beside it, which a form's intro (rendered with
        // web links only) cannot: unchanged, it stays as stored.
        var introHtml = SubmissionForm.IntroText(form.Intro) == before.IntroMarkdown ? before.IntroHtml : changedIntroHtml;
        var content = PaperFields.FromForm(form, introHtml, before.IntroUrl);
        var (topicId, topicSlug) = await TopicAsync(writer.Connection, writer.Transaction, form, ct);
        var position = topicId == before.TopicId ? before.Position : writer.EndOf(topicId);
        writer.Update(before.Id, new PaperPlace(before.Slug, topicId, position), new PaperRecord(content, topicId), hash: null, now, editedBy: moderator);
        return (content, topicSlug, Diff(PaperFields.ToForm(before, before.IntroMarkdown), form));
    }

    /// <summary>Deletes a paper (its keywords links, images and index entry go with it).</summary>
    public async Task<EditResult> DeleteAsync(string slug, string moderator, CancellationToken ct)
    {
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var before = await ReadAsync(connection, tx, slug, ct);
        if (before is null) return EditResult.Failed("That paper does not exist.");
        await writer.DeleteAsync([before.Id], ct);
        await audit.WriteAsync(connection, tx, moderator, "delete-paper", PaperUrls.Paper(slug), "deleted \"" + before.Title + "\"", ct);
        await writer.CommitAsync(ct);
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
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var old = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT coalesce(citation_date, '') FROM topics WHERE slug = @topicSlug;", new { topicSlug }, tx, cancellationToken: ct));
        if (old is null) return EditResult.Failed("That topic does not exist.");
        await connection.ExecuteAsync(new CommandDefinition("UPDATE topics SET citation_date = @iso WHERE slug = @topicSlug;", new { iso, topicSlug }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "topic-date", PaperUrls.Topic(topicSlug), AuditLog.Changes([("citation date", old, iso)]), ct);
        await writer.CommitAsync(ct);
        return new EditResult(true);
    }

    /// <summary>The form's topic (its id and slug), made when the form suggests a new one (or names one that has gone).</summary>
    private static async Task<(long Id, string Slug)> TopicAsync(SqliteConnection connection, SqliteTransaction tx, SubmissionForm form, CancellationToken ct)
    {
        if (form.ChosenTopic is { } chosen)
        {
            var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM topics WHERE slug = @chosen;", new { chosen }, tx, cancellationToken: ct));
            if (id is not null) return (id.Value, chosen);
        }
        var name = form.SuggestedTopic ?? form.ChosenTopic ?? "Other";
        var slug = Slugs.From(name) is { Length: > 0 } s ? s : "topic";
        const string sql = """
            INSERT INTO topics (slug, name, position) VALUES (@slug, @name, (SELECT coalesce(max(position), -1) + 1 FROM topics))
            ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
            RETURNING id;
            """;
        return (await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { slug, name }, tx, cancellationToken: ct)), slug);
    }

    /// <summary>
    /// A submitted intro rendered like every other (web links kept, local links and remote images dropped), or the
    /// budget's reason why it cannot be; null when there is no intro.
    /// </summary>
    public RenderedMarkdown? RenderIntroChecked(string? intro, string? title) => RenderedIntro.Checked(markdown, intro, title);

    /// <summary>A budget problem as a sentence about the intro, with its line.</summary>
    public static string IntroProblem(MarkdownProblem problem) => $"The intro cannot be shown (line {problem.Line}): {problem.Message}";

    private static string Diff(SubmissionForm before, SubmissionForm after) =>
        AuditLog.Changes(before.PaperValues().Zip(after.PaperValues(), (b, a) => (b.Label, b.Value, a.Value)));

    private string Now() => Timestamps.Now(clock);
}
