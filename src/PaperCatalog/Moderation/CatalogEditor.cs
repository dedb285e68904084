using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Figures;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;
using PaperCatalog.Submissions;

namespace PaperCatalog.Moderation;

/// <summary>What a moderator's action came to: done (for a bulk action, on how many), or a sentence saying why not.</summary>
public sealed record EditResult(bool Done, string? Problem = null, string? PaperSlug = null, int Count = 0)
{
    public static EditResult Failed(string problem) => new(false, problem);
}

/// <summary>What goes with a paper when it is deleted (shown before the moderator confirms).</summary>
public sealed record DeleteImpact
{
    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Origin { get; init; } = "";
    public string TopicSlug { get; init; } = "";
    public string TopicName { get; init; } = "";
    /// <summary>The intro's images, stored with the paper.</summary>
    public long Images { get; init; }
    /// <summary>Papers the topic keeps; 0 means it is left empty.</summary>
    public long TopicPapersLeft { get; init; }
    /// <summary>Approved submissions that made or describe this paper; they stay in the history without the link.</summary>
    public long Submissions { get; init; }
    /// <summary>Keywords no other paper carries: they leave the keyword index with it.</summary>
    public IReadOnlyList<string> OrphanedKeywords { get; init; } = [];
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
    /// <summary>The intro as the paper page shows it now (a list intro's images and links included).</summary>
    public string? IntroHtml { get; init; }
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
        var figure = await FigureStore.PublishAsync(connection, tx, id, paperId, ct);
        var edits = Diff(before.ToForm(), form);
        await audit.WriteAsync(connection, tx, moderator, "approve", $"submission {id} → {PaperUrls.Paper(slug)}",
            (edits.Length == 0 ? "approved as submitted" : "approved with edits:\n" + edits) + (figure is null ? "" : "\n" + figure), ct);
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
        var figure = await FigureStore.PublishAsync(connection, tx, submission.Id, paper.Id, ct);
        var details = string.Join('\n', new[] { changes, figure ?? "" }.Where(line => line.Length > 0));
        await audit.WriteAsync(connection, tx, moderator, "approve-correction", $"submission {submission.Id} → {PaperUrls.Paper(slug)}",
            details.Length == 0 ? "approved; the paper already said all of it" : details, ct);
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

    /// <summary>
    /// Undoes a moderator's rejection: the submission is pending again (back in the queue and in the duplicate check),
    /// its decision and note cleared, and the undo audited. A withdrawal (the submitter's choice) stays as it is.
    /// </summary>
    public async Task<EditResult> ReopenAsync(long id, string moderator, CancellationToken ct)
    {
        const string sql = """
            UPDATE submissions SET status = 'pending', decided_at = NULL, decided_by = NULL, moderator_note = NULL
            WHERE id = @id AND status = 'rejected' AND withdrawn_at IS NULL;
            """;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        // The decision is read first, so the audit says what was undone.
        var decision = await connection.QuerySingleOrDefaultAsync<Decision>(new CommandDefinition(
            "SELECT decided_by AS DecidedBy, moderator_note AS ModeratorNote FROM submissions WHERE id = @id AND status = 'rejected' AND withdrawn_at IS NULL;",
            new { id }, tx, cancellationToken: ct));
        if (decision is null) return EditResult.Failed("Only a moderator's rejection can be undone, and that submission is not rejected.");
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "undo-reject", $"submission {id}",
            $"back in the queue; was rejected by {decision.DecidedBy ?? "(nobody)"}" + (decision.ModeratorNote is null ? "" : "\nnote was: " + decision.ModeratorNote), ct);
        await tx.CommitAsync(ct);
        return new EditResult(true);
    }

    private sealed record Decision(string? DecidedBy, string? ModeratorNote);

    private sealed record TopicRow(long Id, string Name, long Papers);

    /// <summary>A paper as a moderator's form, or null.</summary>
    public async Task<PaperEdit?> GetAsync(string slug, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await ReadAsync(connection, null, slug, ct);
        return row is null ? null : new PaperEdit
        {
            Id = row.Id, Slug = row.Slug, Origin = row.Origin, Form = PaperFields.ToForm(row, row.IntroMarkdown), EditedBy = row.EditedBy, EditedAt = row.EditedAt,
            IntroHtml = row.IntroHtml,
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

    /// <summary>
    /// What deleting a paper takes with it, for the confirmation page: its intro images, the keywords only it carries
    /// (they go too), whether its topic is left empty, and the approved submissions that will no longer link it. Null
    /// for an unknown paper.
    /// </summary>
    public async Task<DeleteImpact?> DeleteImpactAsync(string slug, CancellationToken ct)
    {
        const string sql = """
            SELECT p.title AS Title, p.slug AS Slug, p.origin AS Origin, t.slug AS TopicSlug, t.name AS TopicName,
                   (SELECT count(*) FROM paper_media m WHERE m.paper_id = p.id) AS Images,
                   (SELECT count(*) FROM papers o WHERE o.topic_id = p.topic_id) - 1 AS TopicPapersLeft,
                   (SELECT count(*) FROM submissions s WHERE s.paper_id = p.id) AS Submissions
            FROM papers p JOIN topics t ON t.id = p.topic_id WHERE p.slug = @slug;
            """;
        const string orphansSql = """
            SELECT k.name FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id JOIN papers p ON p.id = pk.paper_id
            WHERE p.slug = @slug AND NOT EXISTS (SELECT 1 FROM paper_keywords o WHERE o.keyword_id = pk.keyword_id AND o.paper_id <> pk.paper_id)
            ORDER BY pk.position;
            """;
        await using var connection = await database.OpenAsync(ct);
        var impact = await connection.QuerySingleOrDefaultAsync<DeleteImpact>(new CommandDefinition(sql, new { slug }, cancellationToken: ct));
        if (impact is null) return null;
        var orphans = (await connection.QueryAsync<string>(new CommandDefinition(orphansSql, new { slug }, cancellationToken: ct))).ToList();
        return impact with { OrphanedKeywords = orphans };
    }

    /// <summary>
    /// Deletes a paper (its keywords links, images and index entry go with it; keywords no other paper carries go
    /// too). <see cref="EditResult.PaperSlug"/> is then the slug of its topic when that topic is left without papers,
    /// so the moderator can rename, merge or remove it.
    /// </summary>
    public async Task<EditResult> DeleteAsync(string slug, string moderator, CancellationToken ct)
    {
        const string leftSql = "SELECT t.slug FROM topics t WHERE t.id = @TopicId AND NOT EXISTS (SELECT 1 FROM papers p WHERE p.topic_id = t.id);";
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var before = await ReadAsync(connection, tx, slug, ct);
        if (before is null) return EditResult.Failed("That paper does not exist.");
        await writer.DeleteAsync([before.Id], ct);
        await audit.WriteAsync(connection, tx, moderator, "delete-paper", PaperUrls.Paper(slug), "deleted \"" + before.Title + "\"", ct);
        var emptied = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(leftSql, new { before.TopicId }, tx, cancellationToken: ct));
        await writer.CommitAsync(ct);
        return new EditResult(true, PaperSlug: emptied);
    }

    /// <summary>Gives a topic another name (its slug, and so its links, stay). A list topic takes the list's name back at the next import.</summary>
    public async Task<EditResult> RenameTopicAsync(string topicSlug, string? name, string moderator, CancellationToken ct)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > SubmissionForm.MaxTopicName) return EditResult.Failed($"Give the topic a name of 1 to {SubmissionForm.MaxTopicName} characters.");
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var old = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT name FROM topics WHERE slug = @topicSlug;", new { topicSlug }, tx, cancellationToken: ct));
        if (old is null) return EditResult.Failed("That topic does not exist.");
        await connection.ExecuteAsync(new CommandDefinition("UPDATE topics SET name = @name WHERE slug = @topicSlug;", new { name, topicSlug }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, "rename-topic", PaperUrls.Topic(topicSlug), AuditLog.Changes([("name", old, name)]), ct);
        await writer.CommitAsync(ct);
        return new EditResult(true);
    }

    /// <summary>
    /// Merges a topic without papers into another: the pending submissions filed under it move to <paramref name="intoSlug"/>,
    /// and the empty topic goes. A topic that still has papers is refused (move or delete its papers first).
    /// </summary>
    public Task<EditResult> MergeTopicAsync(string topicSlug, string? intoSlug, string moderator, CancellationToken ct) =>
        RemoveEmptyTopicAsync(topicSlug, string.IsNullOrEmpty(intoSlug) ? "" : intoSlug, moderator, ct);

    /// <summary>Removes a topic without papers; pending submissions filed under it then suggest it as a new topic, by name.</summary>
    public Task<EditResult> RemoveTopicAsync(string topicSlug, string moderator, CancellationToken ct) =>
        RemoveEmptyTopicAsync(topicSlug, null, moderator, ct);

    private async Task<EditResult> RemoveEmptyTopicAsync(string topicSlug, string? intoSlug, string moderator, CancellationToken ct)
    {
        const string topicSql = """
            SELECT t.id AS Id, t.name AS Name, (SELECT count(*) FROM papers p WHERE p.topic_id = t.id) AS Papers
            FROM topics t WHERE t.slug = @slug;
            """;
        const string moveSql = "UPDATE submissions SET topic_slug = @intoSlug WHERE topic_slug = @topicSlug AND status = 'pending';";
        const string orphanSql = "UPDATE submissions SET topic_slug = NULL, new_topic = @name WHERE topic_slug = @topicSlug AND status = 'pending';";
        const string deleteSql = "DELETE FROM topics WHERE id = @id;";
        await using var writer = await papers.BeginAsync(ct);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var t = await connection.QuerySingleOrDefaultAsync<TopicRow>(new CommandDefinition(topicSql, new { slug = topicSlug }, tx, cancellationToken: ct));
        if (t is null) return EditResult.Failed("That topic does not exist.");
        if (t.Papers > 0) return EditResult.Failed($"\"{t.Name}\" still has {t.Papers} {(t.Papers == 1 ? "paper" : "papers")}: only a topic without papers can be merged or removed.");
        string details;
        if (intoSlug is not null)
        {
            var into = intoSlug == topicSlug ? null
                : await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT name FROM topics WHERE slug = @intoSlug;", new { intoSlug }, tx, cancellationToken: ct));
            if (into is null) return EditResult.Failed("Choose another existing topic to merge into.");
            var moved = await connection.ExecuteAsync(new CommandDefinition(moveSql, new { intoSlug, topicSlug }, tx, cancellationToken: ct));
            details = $"merged \"{t.Name}\" into \"{into}\" ({PaperUrls.Topic(intoSlug)}); {moved} pending {(moved == 1 ? "submission" : "submissions")} moved";
        }
        else
        {
            var kept = await connection.ExecuteAsync(new CommandDefinition(orphanSql, new { name = t.Name, topicSlug }, tx, cancellationToken: ct));
            details = $"removed \"{t.Name}\"; {kept} pending {(kept == 1 ? "submission suggests" : "submissions suggest")} it as a new topic";
        }
        await connection.ExecuteAsync(new CommandDefinition(deleteSql, new { id = t.Id }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, moderator, intoSlug is null ? "remove-topic" : "merge-topic", PaperUrls.Topic(topicSlug), details, ct);
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
