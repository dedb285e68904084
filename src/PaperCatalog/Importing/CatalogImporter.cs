using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;
using PaperCatalog.Search;

namespace PaperCatalog.Importing;

/// <summary>How far an import has come, for a progress display.</summary>
public readonly record struct ImportProgress(int Done, int Total);

/// <summary>
/// Writes a checked <see cref="ImportPlan"/> into the catalog in one transaction: papers keep their slug
/// across imports (matched by arXiv id, then by title), changed papers are updated, papers that left the
/// list are removed, and papers that came in through the site are never touched. A moderator's edit of a list
/// paper stays until the list's row for it changes; then the list's version replaces it and the result names it.
/// </summary>
public sealed class CatalogImporter(CatalogDatabase database, MarkdownRenderer markdown, TimeProvider clock, CatalogCache? cache = null)
{
    private readonly SearchIndex _search = new(markdown);

    /// <summary>Reads, checks and (when there are no errors) imports the list at <paramref name="listPath"/>.</summary>
    public async Task<(ImportPlan Plan, ImportResult? Result)> ImportAsync(string listPath, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var plan = await LoadAsync(listPath, ct);
        if (plan.HasErrors) return (plan, null);
        return (plan, await ApplyAsync(plan, progress, ct));
    }

    /// <summary>
    /// Reads and checks the list (<see cref="ImportPlan.Load"/>), taking each intro file that has not changed since the
    /// store's last import (same size and last write time) from the store instead of reading and parsing it again.
    /// </summary>
    public Task<ImportPlan> LoadAsync(string listPath, CancellationToken ct) => LoadAsync(listPath, ct, allowUnchanged: true);

    private async Task<ImportPlan> LoadAsync(string listPath, CancellationToken ct, bool allowUnchanged)
    {
        // Nothing is written here: a list with errors leaves the store as it was (not even migrated). A store without the
        // table (none yet, or one older than migration 0020) knows no files.
        var known = new Dictionary<string, KnownIntro>(StringComparer.Ordinal);
        if (!File.Exists(database.Path)) return ImportPlan.Load(listPath, markdown, known);
        // The text of an unchanged file is its list paper's intro_markdown, as the import that recorded the file wrote it
        // (fetched only when its row changed, see TextOfUnchangedFile); a paper a moderator has edited since holds the
        // edit, so its file is read.
        const string knownSql = $"""
            SELECT DISTINCT f.path, f.size, f.modified, f.links
            FROM intro_files f
            {StoredIntroJoin}
            """;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using (var connection = await database.OpenAsync(ct))
        {
            var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", cancellationToken: ct));
            if (version < 20) return ImportPlan.Load(listPath, markdown, known);
            // The same list and files as the last import, into a store nobody wrote since: nothing to parse or write.
            if (allowUnchanged && version >= 26 && await ImportState.MatchAsync(connection, listPath, ct) is { } same)
                return ImportPlan.Same(listPath, markdown, same, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            foreach (var (path, size, modified, links) in await connection.QueryAsync<(string, long, long, string)>(new CommandDefinition(knownSql, cancellationToken: ct)))
                known.TryAdd(path, new KnownIntro(size, modified, KnownIntro.ParseLinks(links), Stored: true));
        }
        return ImportPlan.Load(listPath, markdown, known);
    }

    /// <summary>True while the store holds the state <paramref name="same"/> was matched against (no write since, see migration 0026).</summary>
    private async Task<bool> IsStillUnchangedAsync(ImportState.Match same, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ImportState.ReadAsync(connection, null, ct) == same.Row;
    }

    /// <summary>The list paper whose intro_markdown is the text of intro file <c>f</c> (not edited on the site since).</summary>
    private const string StoredIntroJoin = """
        JOIN list_rows r ON r.intro_path = f.path
        JOIN papers p ON p.id = r.paper_id AND p.origin = 'list' AND p.edited_by IS NULL AND p.intro_markdown IS NOT NULL
        """;

    /// <summary>
    /// The text of an intro the plan does not hold (<see cref="LoadedIntro.Text"/> null), for a row that is written or hashed.
    /// A file unchanged since the last import: the store's copy, read in the import's transaction (<see cref="Stored"/>, on
    /// the writer's thread). When a moderator edited that paper after the plan was made, the store no longer has the file's
    /// text: the file is read and checked here instead. A file the plan read and checked: read again (<see cref="Of"/>, on
    /// any thread), and checked again when its size or time moved since.
    /// </summary>
    private sealed class IntroTexts(SqliteConnection connection, SqliteTransaction tx, MarkdownRenderer markdown, IntroLoader loader) : IDisposable
    {
        private const string TextSql = $"""
            SELECT p.intro_markdown FROM intro_files f
            {StoredIntroJoin}
            WHERE f.path = $path LIMIT 1;
            """;
        private SqliteCommand? _command;

        /// <summary>The store's text of an intro taken as unchanged (null for the others, which <see cref="Of"/> reads).</summary>
        public string? Stored(LoadedIntro? intro)
        {
            if (intro is null || intro.Text is not null || intro.TextInFile) return null;
            if (_command is null)
            {
                _command = connection.CreateCommand();
                _command.Transaction = tx;
                _command.CommandText = TextSql;
                _command.Parameters.Add(new SqliteParameter("$path", SqliteType.Text));
                _command.Prepare();
            }
            _command.Parameters[0].Value = loader.RelativePath(intro.FullPath);
            return _command.ExecuteScalar() as string ?? ReadChecked(intro);
        }

        /// <summary>The intro with its text: the plan's, <paramref name="stored"/> (from <see cref="Stored"/>), or the file's.</summary>
        public LoadedIntro Of(LoadedIntro intro, string? stored)
        {
            if (intro.Text is not null) return intro;
            if (stored is not null) return intro with { Text = stored };
            var info = new FileInfo(intro.FullPath);
            var same = info.Exists && intro.File is { } file && file.Size == info.Length && file.Modified == info.LastWriteTimeUtc.Ticks;
            return intro with { Text = same ? Read(intro) : ReadChecked(intro) };
        }

        private string ReadChecked(LoadedIntro intro)
        {
            var read = Read(intro);
            if (markdown.Inspect(read).Problem is { } problem)
                throw new InvalidOperationException($"{intro.DisplayPath}:{problem.Line}: error: intro cannot be rendered ({problem.Message}); it changed while the import ran, nothing was imported");
            return read;
        }

        private static string Read(LoadedIntro intro)
        {
            try
            {
                return File.ReadAllText(intro.FullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{intro.DisplayPath}: error: intro cannot be read ({e.Message}); it changed while the import ran, nothing was imported", e);
            }
        }

        public void Dispose() => _command?.Dispose();
    }

    private sealed record ExistingPaper
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string? ArxivId { get; init; }
        public string TitleKey { get; init; } = "";
        public string Origin { get; init; } = "";
        public string ContentHash { get; init; } = "";
        public long TopicId { get; init; }
        public long Position { get; init; }
        public string? EditedBy { get; init; }
        public string? EditedAt { get; init; }
        public string? SourceKey { get; init; }
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
        var phases = new Phases();
        await database.MigrateAsync(ct);
        if (plan.Unchanged is { } same)
        {
            if (await IsStillUnchangedAsync(same, ct))
            {
                phases.End("unchanged since the last import");
                var s = same.Summary;
                return new ImportResult { Topics = s.Topics, Unchanged = s.Papers, Intros = s.Intros, Images = s.Images, Warnings = s.Warnings.Count, Phases = phases.All };
            }
            // Written since the plan was made: the list as it is now, row by row.
            plan = await LoadAsync(plan.ListPath, ct, allowUnchanged: false);
            if (plan.HasErrors) throw new InvalidOperationException($"The list {plan.ListPath} changed while it was imported and now has errors; nothing was imported.");
        }
        await using var writer = await new PaperStore(database, _search, cache).BeginAsync(ct, bulk: true);
        var (connection, tx) = (writer.Connection, writer.Transaction);
        var now = Timestamps.Now(clock);

        var topicIds = await UpsertTopicsAsync(connection, tx, plan.List.Topics, ct);
        // Papers stored before search existed, or indexed by another index version, get their index entry now, before the
        // writes: the papers written below are indexed as they are written, and a store's first import (no index version
        // yet) would otherwise index every paper twice.
        await _search.FillMissingAsync(connection, tx, ct);
        phases.End("topics, index check");

        const string papersSql = """
            SELECT id AS Id, slug AS Slug, arxiv_id AS ArxivId, title_key AS TitleKey, origin AS Origin, content_hash AS ContentHash,
                   topic_id AS TopicId, position AS Position, edited_by AS EditedBy, edited_at AS EditedAt, source_key AS SourceKey
            FROM papers
            """;
        var existing = (await connection.QueryAsync<ExistingPaper>(new CommandDefinition(papersSql, transaction: tx, cancellationToken: ct))).ToList();
        var listOwned = existing.Where(p => p.Origin == "list").ToList();
        // A list may hold the same paper twice (in two topics, or two rows of one title): each key keeps every paper,
        // and a row takes the first one not yet matched, so repeated rows keep their slugs across imports.
        var byArxiv = listOwned.Where(p => p.ArxivId is not null).GroupBy(p => p.ArxivId!).ToDictionary(g => g.Key, g => g.ToList());
        var byTitle = listOwned.GroupBy(p => p.TitleKey).ToDictionary(g => g.Key, g => g.ToList());
        // A paper approved on the site that has since come into the list (the curator merged an export): the list's row
        // adopts it, so it keeps its address and is not there twice.
        var site = existing.Where(p => p.Origin == "site").ToList();
        var siteByArxiv = site.Where(p => p.ArxivId is not null).GroupBy(p => p.ArxivId!).ToDictionary(g => g.Key, g => g.ToList());
        var siteByTitle = site.GroupBy(p => p.TitleKey).ToDictionary(g => g.Key, g => g.ToList());
        var claimed = new HashSet<long>();

        // Match each row of the list to the paper it was last time.
        var papers = plan.List.Topics.SelectMany(t => t.Papers.Select((p, i) => (Topic: t, Paper: p, Position: i))).ToList();
        var matches = new ExistingPaper?[papers.Count];
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i].Paper;
            ExistingPaper? match = null;
            if (p.ArxivId is not null && byArxiv.TryGetValue(p.ArxivId, out var a)) match = a.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is null && byTitle.TryGetValue(Slugs.TitleKey(p.Title), out var t)) match = t.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is null && p.ArxivId is not null && siteByArxiv.TryGetValue(p.ArxivId, out var sa)) match = sa.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is null && siteByTitle.TryGetValue(Slugs.TitleKey(p.Title), out var st)) match = st.FirstOrDefault(x => !claimed.Contains(x.Id));
            if (match is not null) claimed.Add(match.Id);
            matches[i] = match;
        }

        // Papers that left the list go first, so their slugs are free for the rows that replace them.
        var removed = listOwned.Where(p => !claimed.Contains(p.Id)).Select(p => p.Id).ToList();
        await writer.DeleteAsync(removed, ct);

        // Slugs: matched papers keep theirs; new ones take the title's, numbered on collision, in list order. All are
        // known before any intro is rendered, because intros link to each other's pages.
        var slugs = new string[papers.Count];
        for (var i = 0; i < papers.Count; i++) slugs[i] = matches[i]?.Slug ?? writer.FreeSlug(Slugs.ForTitle(papers[i].Paper.Title));

        var introSlugs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < papers.Count; i++)
        {
            if (plan.Intros.TryGetValue(papers[i].Paper, out var intro)) introSlugs.TryAdd(intro.FullPath, slugs[i]);
        }

        phases.End("match, slugs");

        // Each row's source key first (see PaperFields.SourceKey): a list paper with the key it was stored with is
        // unchanged, and neither its intro's text nor its content hash is needed. The other rows are hashed over their
        // source (see PaperFields.Hash): a hash equal to the stored one means nothing the intro renders to can have changed
        // either, so only new and changed papers are rendered. Both run on every core.
        var keys = new string?[papers.Count];
        var targets = new string?[papers.Count][];
        Parallel.For(0, papers.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (topic, paper, _) = papers[i];
            var intro = plan.Intros.GetValueOrDefault(paper);
            targets[i] = intro is null ? [] : LinkTargets(plan, intro, slugs[i], introSlugs);
            keys[i] = PaperFields.SourceKey(paper, intro, intro is null ? null : plan.Loader.RelativePath(intro.FullPath), topicIds[topic.Slug], intro is null ? null : targets[i]);
        });
        bool KeptKey(int i) => matches[i] is { Origin: "list" } m && keys[i] is not null && m.SourceKey == keys[i];
        // A row's record holds its intro's text, which the plan does not (see LoadedIntro.Text): records are built a batch at
        // a time, where they are needed, and let go once hashed or written, so an import's memory does not grow with the list.
        using var texts = new IntroTexts(connection, tx, markdown, plan.Loader);
        (PaperRecord Record, LoadedIntro? Intro) RecordOf(int i, string? stored)
        {
            var (topic, paper, _) = papers[i];
            var intro = plan.Intros.GetValueOrDefault(paper) is { } loaded ? texts.Of(loaded, stored) : null;
            return (new PaperRecord(PaperFields.FromList(paper, intro, introHtml: null), topicIds[topic.Slug], intro is null ? null : targets[i]) { SourceKey = keys[i] }, intro);
        }
        string? StoredText(int i) => texts.Stored(plan.Intros.GetValueOrDefault(papers[i].Paper));
        // The content hash, for the list papers whose source key changed: only it tells a changed row from a moved one.
        var hashes = new string?[papers.Count];
        foreach (var chunk in Enumerable.Range(0, papers.Count).Where(i => matches[i] is { Origin: "list" } && !KeptKey(i)).Chunk(RenderBatch))
        {
            var stored = Array.ConvertAll(chunk, StoredText);
            ForEachRow(chunk.Length, ct, k => hashes[chunk[k]] = RecordOf(chunk[k], stored[k]).Record.Hash);
        }
        // A store written before the hash covered the source: an edited list paper's row is unchanged when the list's version,
        // rendered, gives the old hash. Then the edit stays and only the hash is brought up to date (once, for edited papers only).
        bool IsUnchangedSinceEdit(ExistingPaper match, int i)
        {
            if (match.EditedBy is null || match.ContentHash.StartsWith(PaperFields.SourceHashPrefix, StringComparison.Ordinal)) return false;
            var (topic, paper, _) = papers[i];
            var (record, intro) = RecordOf(i, StoredText(i));
            var html = intro is null ? null : RenderIntro(plan, intro, slugs[i], paper.Title, introSlugs);
            return record.WithIntro(html, search: null).LegacyHash(topicIds[topic.Slug]) == match.ContentHash;
        }
        var steps = new Step[papers.Count];
        var toRender = new List<int>();
        for (var i = 0; i < papers.Count; i++)
        {
            steps[i] = matches[i] switch
            {
                null => Step.Insert,
                { Origin: "site" } => Step.Adopt,
                var m when !KeptKey(i) && m.ContentHash != hashes[i] && !IsUnchangedSinceEdit(m, i) => Step.Update,
                // The hash or the key is out of date (a store written before either), the row is not: both are brought up to date.
                var m when !KeptKey(i) && (m.ContentHash != hashes[i] || m.SourceKey != keys[i]) => Step.Rehash,
                // The same row in another place of its topic: only the place changes (an edit stays). A paper a moderator
                // moved to another topic stays there while its row is unchanged.
                var m when m.Position != papers[i].Position && m.TopicId == topicIds[papers[i].Topic.Slug] => Step.Move,
                _ => Step.None,
            };
            if (steps[i] is Step.Insert or Step.Adopt or Step.Update) toRender.Add(i);
        }
        // Rewriting half the catalog's documents or more (a first import, a list replaced): one rebuild of the search
        // indexes at the end costs less than keeping them in step row by row (see migration 0020).
        if (toRender.Count * 2 >= papers.Count + site.Count) writer.PauseSearchIndex();
        phases.End("hash");

        var ids = new long[papers.Count];
        int added = 0, updated = 0, unchanged = 0, intros = 0, images = 0;
        var replacedEdits = new List<Diagnostic>();
        using var rehash = new RawStatement(connection, "UPDATE papers SET content_hash = ?2, source_key = ?3 WHERE id = ?1;");
        var renders = new RenderQueue(this, plan, RecordOf, StoredText, papers.Select(p => p.Paper).ToList(), slugs, introSlugs, toRender, ct);
        for (var i = 0; i < papers.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (topic, paper, position) = papers[i];
            if (plan.Intros.TryGetValue(paper, out var intro)) { intros++; images += intro.Media.Count; }
            var topicId = topicIds[topic.Slug];
            var place = new PaperPlace(slugs[i], topicId, position);
            var match = matches[i];
            ids[i] = match?.Id ?? 0;
            switch (steps[i])
            {
                case Step.Insert:
                    ids[i] = writer.Insert(place, await renders.NextAsync(i), "list", now);
                    added++;
                    break;
                case Step.Adopt:
                    var adopted = await renders.NextAsync(i);
                    writer.Update(match!.Id, place, adopted, adopted.Hash, now, editedBy: null);
                    await connection.ExecuteAsync(new CommandDefinition("UPDATE papers SET origin = 'list' WHERE id = @Id;", new { match.Id }, tx, cancellationToken: ct));
                    updated++;
                    break;
                case Step.Update:
                    var changed = await renders.NextAsync(i);
                    writer.Update(match!.Id, place, changed, changed.Hash, now, editedBy: null);
                    if (match.EditedBy is not null)
                        replacedEdits.Add(new(plan.List.File, paper.Line, Severity.Warning,
                            $"the list's row for '{paper.Title}' changed, so it replaced {match.EditedBy}'s edit on the site ({match.EditedAt}); make lasting changes in the list"));
                    updated++;
                    break;
                case Step.Move:
                    writer.Move(match!.Id, position);
                    updated++;
                    break;
                case Step.Rehash:
                    rehash.Bind(1, match!.Id).Bind(2, hashes[i]).Bind(3, keys[i]).Run();
                    if (match.Position != position && match.TopicId == topicId) { writer.Move(match.Id, position); updated++; }
                    else unchanged++;
                    break;
                default:
                    unchanged++;
                    break;
            }
            if (progress is not null && (i % 2048 == 0 || i == papers.Count - 1)) progress.Report(new ImportProgress(i + 1, papers.Count));
        }
        phases.End("write papers");
        phases.Add("  of which waiting for renders", renders.Waited);
        phases.Add("  of which search index writes", writer.IndexTime);

        await WriteInfoAsync(connection, tx, plan, introSlugs, ct);
        WriteSource(connection, tx, plan, papers.Select(p => p.Paper).ToList(), ids);
        phases.End("list_rows");

        // Topics that left the list with no site papers in them.
        var listed = plan.List.Topics.Select(t => t.Slug).ToArray();
        const string orphanTopicsSql = """
            DELETE FROM topics
            WHERE slug NOT IN @Listed AND NOT EXISTS (SELECT 1 FROM papers p WHERE p.topic_id = topics.id);
            """;
        await connection.ExecuteAsync(new CommandDefinition(orphanTopicsSql, new { Listed = listed }, tx, cancellationToken: ct));

        var result = new ImportResult
        {
            Topics = plan.List.Topics.Count,
            Added = added,
            Updated = updated,
            Removed = removed.Count,
            Unchanged = unchanged,
            Intros = intros,
            Images = images,
            Warnings = plan.WarningCount,
            ReplacedEdits = replacedEdits,
            Rendered = renders.Rendered,
            Phases = phases.All,
        };
        // Last, after every write to papers and topics (each of which forgets the state, see migration 0026).
        ImportState.Write(connection, tx, plan, result);
        await writer.CommitAsync(ct);
        phases.End("commit");
        return result;
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

    /// <summary>Times the steps of an import, each from the end of the one before.</summary>
    private sealed class Phases
    {
        private readonly List<(string, TimeSpan)> _all = [];
        private long _last = System.Diagnostics.Stopwatch.GetTimestamp();

        public IReadOnlyList<(string Name, TimeSpan Time)> All => _all;

        public void End(string name)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            _all.Add((name, System.Diagnostics.Stopwatch.GetElapsedTime(_last, now)));
            _last = now;
        }

        public void Add(string name, TimeSpan time) => _all.Add((name, time));
    }

    /// <summary>What the import does with a row of the list.</summary>
    private enum Step { None, Insert, Adopt, Update, Move, Rehash }

    /// <summary>Rows whose intros are rendered together, in parallel, while the batch before them is written.</summary>
    private const int RenderBatch = 512;

    /// <summary>
    /// Renders the intros and search documents of the papers to write, a batch at a time on every core, one batch ahead of
    /// the writer (which takes turns on one connection): at most two batches of records, with their intros' text and HTML,
    /// are held at once, whatever the list's size. <paramref name="recordOf"/> builds a row's record on any thread from the
    /// store's text of its intro, which <paramref name="storedText"/> reads on the writer's thread (the connection's).
    /// </summary>
    private sealed class RenderQueue(CatalogImporter importer, ImportPlan plan, Func<int, string?, (PaperRecord Record, LoadedIntro? Intro)> recordOf,
        Func<int, string?> storedText, IReadOnlyList<ParsedPaper> papers, string[] slugs, Dictionary<string, string> introSlugs, List<int> toRender,
        CancellationToken ct)
    {
        private int _next; // index into toRender of the next paper the writer takes
        private int _batchStart = -1;
        private PaperRecord[] _batch = [];
        private Task<PaperRecord[]>? _ahead;
        private int _rendered;

        /// <summary>Intros rendered so far.</summary>
        public int Rendered => Volatile.Read(ref _rendered);

        /// <summary>Time the writer waited for renders (the rest of rendering overlapped the writes).</summary>
        public TimeSpan Waited { get; private set; }

        /// <summary>The rendered record of row <paramref name="row"/>; rows are taken in list order.</summary>
        public async ValueTask<PaperRecord> NextAsync(int row)
        {
            if (toRender[_next] != row) throw new InvalidOperationException("Rendered rows are taken in list order.");
            if (_next >= _batchStart + _batch.Length)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                _batch = await (_ahead ?? Start(_next));
                Waited += System.Diagnostics.Stopwatch.GetElapsedTime(started);
                _batchStart = _next;
                _ahead = _next + RenderBatch < toRender.Count ? Start(_next + RenderBatch) : null;
            }
            var record = _batch[_next - _batchStart];
            _batch[_next++ - _batchStart] = null!; // written next: the batch need not keep it
            return record;
        }

        private Task<PaperRecord[]> Start(int first)
        {
            var count = Math.Min(RenderBatch, toRender.Count - first);
            var stored = new string?[count];
            for (var k = 0; k < count; k++) stored[k] = storedText(toRender[first + k]);
            return Task.Run(() =>
            {
                var batch = new PaperRecord[count];
                ForEachRow(count, ct, k =>
                {
                    var i = toRender[first + k];
                    var (record, intro) = recordOf(i, stored[k]);
                    var content = record.Content;
                    string? html = null;
                    if (intro is not null)
                    {
                        html = importer.RenderIntro(plan, intro, slugs[i], papers[i].Title, introSlugs);
                        Interlocked.Increment(ref _rendered);
                    }
                    var search = importer._search.Document(content.Title, content.Keywords, content.Venue, content.Affiliation, content.Authors, content.IntroMarkdown);
                    batch[k] = record.WithIntro(html, search);
                });
                return batch;
            }, ct);
        }
    }

    /// <summary>
    /// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> that fails with the body's own exception (an intro
    /// that changed while the import ran is an <see cref="InvalidOperationException"/> the CLI reports), not an aggregate.
    /// </summary>
    private static void ForEachRow(int count, CancellationToken ct, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = ct }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    private string RenderIntro(ImportPlan plan, LoadedIntro intro, string slug, string title, Dictionary<string, string> introSlugs)
    {
        var media = intro.Media.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        return markdown.Render(intro.Markdown, link => SiteUrl(plan.Classify(link, intro.Folder, media), link, introSlugs, slug, topics: null), dropTitle: title);
    }

    /// <summary>Where each of the intro's links leads on the site, as <see cref="RenderIntro"/> will rewrite it: part of the content hash.</summary>
    private static string?[] LinkTargets(ImportPlan plan, LoadedIntro intro, string slug, Dictionary<string, string> introSlugs)
    {
        if (intro.Links.Count == 0) return [];
        var media = intro.Media.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        return intro.Links.Select(link => SiteUrl(plan.Classify(link, intro.Folder, media), link, introSlugs, slug, topics: null)).ToArray();
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

    /// <summary>
    /// The list's text and where each paper's row and intro are in it, so that <c>catalog export</c> writes unchanged rows
    /// back verbatim (see <see cref="Exporting.ListExport"/>). Only what differs from the stored copy is written: the text
    /// when its bytes changed, and the rows whose paper, line or intro changed (a row's line moves whenever the list above
    /// it does), so a re-import of the same list writes nothing here. The statements run in the connection's open transaction.
    /// </summary>
    private static void WriteSource(SqliteConnection connection, SqliteTransaction tx, ImportPlan plan, IReadOnlyList<ParsedPaper> papers, long[] ids)
    {
        const string sameSql = "SELECT file_name = ?1 AND text = ?2 AND bom = ?3 FROM list_source WHERE id = 1;";
        const string sourceSql = """
            INSERT INTO list_source (id, file_name, text, bom) VALUES (1, ?1, ?2, ?3)
            ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, text = excluded.text, bom = excluded.bom;
            """;
        const string rowsSql = "SELECT paper_id, line, intro_path FROM list_rows;";
        const string rowSql = """
            INSERT INTO list_rows (paper_id, line, intro_path) VALUES (?1, ?2, ?3)
            ON CONFLICT (paper_id) DO UPDATE SET line = excluded.line, intro_path = excluded.intro_path;
            """;
        const string dropSql = "DELETE FROM list_rows WHERE paper_id = ?1;";
        var (fileName, text, bom) = (plan.Source.FileName, plan.Source.Text, plan.Source.Bom ? 1 : 0);
        using (var same = new RawStatement(connection, sameSql))
        {
            if (same.Bind(1, fileName).Bind(2, text).Bind(3, bom).RunScalar() != 1)
            {
                using var source = new RawStatement(connection, sourceSql);
                source.Bind(1, fileName).Bind(2, text).Bind(3, bom).Run();
            }
        }

        var stored = connection.Query<(long Id, long Line, string? Intro)>(rowsSql, transaction: tx).ToDictionary(r => r.Id, r => (r.Line, r.Intro));
        using (var row = new RawStatement(connection, rowSql))
        {
            for (var i = 0; i < papers.Count; i++)
            {
                var intro = plan.Intros.TryGetValue(papers[i], out var loaded) ? plan.Loader.RelativePath(loaded.FullPath) : null;
                var found = stored.Remove(ids[i], out var old);
                if (found && old.Line == papers[i].Line && old.Intro == intro) continue;
                row.Bind(1, ids[i]).Bind(2, papers[i].Line).Bind(3, intro).Run();
            }
        }
        // Rows of papers no longer in the list (their papers went with their own rows, so this is rare).
        using (var drop = new RawStatement(connection, dropSql))
        {
            foreach (var id in stored.Keys) drop.Bind(1, id).Run();
        }
        WriteIntroFiles(connection, tx, plan);
    }

    /// <summary>
    /// Each intro file's size, time and links as this import found them (see <see cref="KnownIntro"/>), written only where
    /// they changed; files no intro uses any more are forgotten.
    /// </summary>
    private static void WriteIntroFiles(SqliteConnection connection, SqliteTransaction tx, ImportPlan plan)
    {
        const string filesSql = "SELECT path, size, modified FROM intro_files;";
        const string fileSql = """
            INSERT INTO intro_files (path, size, modified, links) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified = excluded.modified, links = excluded.links;
            """;
        const string forgetSql = "DELETE FROM intro_files WHERE path = ?1;";
        var stored = connection.Query<(string Path, long Size, long Modified)>(filesSql, transaction: tx).ToDictionary(f => f.Path, f => (f.Size, f.Modified), StringComparer.Ordinal);
        var forgotten = new List<string>();
        using (var write = new RawStatement(connection, fileSql))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var intro in plan.Intros.Values)
            {
                var path = plan.Loader.RelativePath(intro.FullPath);
                if (!seen.Add(path)) continue;
                var found = stored.Remove(path, out var old);
                if (intro.File is not { } file) // written too recently to be trusted next time (see IntroLoader.Load)
                {
                    if (found) forgotten.Add(path);
                    continue;
                }
                if (found && old == (file.Size, file.Modified)) continue;
                write.Bind(1, path).Bind(2, file.Size).Bind(3, file.Modified).Bind(4, file.LinksJson()).Run();
            }
        }
        using var forget = new RawStatement(connection, forgetSql);
        foreach (var path in forgotten.Concat(stored.Keys)) forget.Bind(1, path).Run();
    }

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
}
