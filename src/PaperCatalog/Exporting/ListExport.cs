using System.Globalization;
using System.IO.Compression;
using System.Text;
using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Papers;

namespace PaperCatalog.Exporting;

/// <summary>One file of an export: its path inside the list's folder ('/'-separated) and its bytes.</summary>
public sealed record ExportedFile(string Path, byte[] Bytes);

/// <summary>
/// Writes the catalog back as the curator's list: the list file as it was imported, every unchanged row verbatim, rows a
/// moderator edited with only the changed cells rewritten, rows of deleted papers left out, papers approved on the site as
/// new rows at the end of their topic's table (in that table's columns and spelling), and every intro at its own path with
/// its images (a site paper's at <c>&lt;topic&gt;/&lt;slug&gt;/README.md</c>). Right after an import it gives the
/// imported files back byte for byte, so <c>git diff</c> after an export shows only what the site changed. Read-only.
/// </summary>
public sealed class ListExport(CatalogDatabase database)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A paper as the export needs it: what its row says, where its row and intro were, its topic.</summary>
    private sealed record StoredPaper : PaperRow
    {
        public long Id { get; init; }
        public long? Line { get; init; }
        public string? IntroPath { get; init; }
        public string? IntroMarkdown { get; init; }
    }

    private sealed record StoredSource(string FileName, string Text, long Bom);

    private sealed record StoredMedia(long PaperId, string Path, byte[] Bytes);

    private sealed record StoredTopic(string Slug, string Name, string? CitationDate);

    private static readonly string PapersSql = "SELECT " + PaperQueries.RowColumns + """
        , p.id AS Id, r.line AS Line, r.intro_path AS IntroPath, p.intro_markdown AS IntroMarkdown
        FROM papers p JOIN topics t ON t.id = p.topic_id LEFT JOIN list_rows r ON r.paper_id = p.id
        ORDER BY t.position, t.id, p.position, p.id;
        """;

    /// <summary>The list file and every intro and image, list file first, then by path.</summary>
    public async Task<IReadOnlyList<ExportedFile>> ExportAsync(CancellationToken ct)
    {
        const string sourceSql = "SELECT file_name AS FileName, text AS Text, bom AS Bom FROM list_source WHERE id = 1;";
        const string topicsSql = "SELECT slug AS Slug, name AS Name, citation_date AS CitationDate FROM topics ORDER BY position, id;";
        const string titleSql = "SELECT value FROM catalog_info WHERE key = 'title';";
        const string mediaSql = "SELECT paper_id AS PaperId, path AS Path, bytes AS Bytes FROM paper_media ORDER BY paper_id, path;";
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        // One read transaction: an import or an approval that commits meanwhile is either all in the export or not at all.
        await using var tx = await connection.BeginTransactionAsync(ct);
        var source = await connection.QuerySingleOrDefaultAsync<StoredSource>(new CommandDefinition(sourceSql, transaction: tx, cancellationToken: ct));
        var papers = (await connection.QueryAsync<StoredPaper>(new CommandDefinition(PapersSql, transaction: tx, cancellationToken: ct))).ToList();
        var topics = (await connection.QueryAsync<StoredTopic>(new CommandDefinition(topicsSql, transaction: tx, cancellationToken: ct))).ToList();
        var media = (await connection.QueryAsync<StoredMedia>(new CommandDefinition(mediaSql, transaction: tx, cancellationToken: ct))).ToLookup(m => m.PaperId);
        // A store filled before exports existed (or only through the site) has no list text: the list starts as its title.
        source ??= new StoredSource("README.md", "# " + (await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(titleSql, transaction: tx, cancellationToken: ct)) ?? "Papers") + "\n", 0);

        var introPaths = IntroPaths(papers);
        var list = WriteList(source.Text, papers, topics, introPaths);
        var files = new List<ExportedFile> { new(source.FileName, source.Bom != 0 ? [0xEF, 0xBB, 0xBF, .. Utf8.GetBytes(list)] : Utf8.GetBytes(list)) };
        var written = new Dictionary<string, ExportedFile>(StringComparer.Ordinal);
        foreach (var paper in papers)
        {
            if (!introPaths.TryGetValue(paper.Id, out var path)) continue;
            written[path] = new ExportedFile(path, Utf8.GetBytes(paper.IntroMarkdown!));
            var folder = path.Contains('/') ? path[..path.LastIndexOf('/')] + "/" : "";
            foreach (var m in media[paper.Id]) written[folder + m.Path] = new ExportedFile(folder + m.Path, m.Bytes);
        }
        files.AddRange(written.Values.OrderBy(f => f.Path, StringComparer.Ordinal));
        return files;
    }

    /// <summary>The same files as a zip, for a moderator to download; each entry is its path in the list's folder.</summary>
    public async Task WriteZipAsync(Stream output, CancellationToken ct)
    {
        var files = await ExportAsync(ct);
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var file in files)
        {
            var entry = zip.CreateEntry(file.Path, CompressionLevel.Optimal);
            await using var stream = await entry.OpenAsync(ct);
            await stream.WriteAsync(file.Bytes, ct);
        }
    }

    /// <summary>Where each intro is written: where the list had it, or <c>&lt;topic&gt;/&lt;slug&gt;/README.md</c> for one the list did not have.</summary>
    private static Dictionary<long, string> IntroPaths(List<StoredPaper> papers)
    {
        var paths = new Dictionary<long, string>();
        var taken = papers.Where(p => p.IntroPath is not null).Select(p => p.IntroPath!).ToHashSet(StringComparer.Ordinal);
        foreach (var paper in papers.Where(p => p.IntroMarkdown is not null))
        {
            if (paper.IntroPath is not null) { paths[paper.Id] = paper.IntroPath; continue; }
            var folder = paper.TopicSlug + "/" + paper.Slug;
            for (var n = 2; taken.Contains(folder + "/README.md"); n++) folder = $"{paper.TopicSlug}/{paper.Slug}-{n}";
            taken.Add(paths[paper.Id] = folder + "/README.md");
        }
        return paths;
    }

    /// <summary>The list file: the imported text line by line, its paper rows as the store has them now.</summary>
    private static string WriteList(string text, List<StoredPaper> papers, List<StoredTopic> topics, Dictionary<long, string> introPaths)
    {
        var lines = text.Split('\n').ToList();
        var parsed = ListParser.Parse(text, "list");
        var rows = parsed.Topics.SelectMany(t => t.Blocks.SelectMany(b => b.Papers.Select(p => (Topic: t, Block: b, Paper: p)))).ToDictionary(r => r.Paper.Line);
        var byLine = papers.Where(p => p.Line is not null && rows.ContainsKey((int)p.Line.Value)).ToDictionary(p => (int)p.Line!.Value);
        var crlf = lines.Count > 1 && lines[0].EndsWith('\r');

        string? IntroLink(StoredPaper paper, ParsedPaper? row) =>
            paper.IntroMarkdown is null ? paper.IntroUrl
            : paper.IntroPath is not null && row?.IntroLink is { } written && IntroLoader.LooksLocal(written) ? written
            : introPaths[paper.Id];
        RowValues Now(StoredPaper paper, ParsedPaper? row) => new()
        {
            Title = paper.Title, Keywords = paper.Keywords.Select(k => k.Name).ToList(), Venue = Blank(paper.Venue), PdfUrl = Blank(paper.PdfUrl),
            CodeUrl = Blank(paper.CodeUrl), Authors = paper.Authors, Affiliation = Blank(paper.Affiliation), Published = Blank(paper.Published),
            Citations = paper.Citations, IntroLink = IntroLink(paper, row),
        };

        // Rows that stay where they are; papers a moderator moved to another topic join that topic's new rows.
        var output = new List<string>(lines.Count + 16);
        var appended = papers.Where(p => !byLine.ContainsKey((int)(p.Line ?? 0)) || rows[(int)p.Line!.Value].Topic.Slug != p.TopicSlug)
            .GroupBy(p => p.TopicSlug).ToDictionary(g => g.Key, g => g.ToList());
        var lastBlock = parsed.Topics.Where(t => t.Blocks.Count > 0).ToDictionary(t => t.Blocks[^1].LastLine, t => t);
        var template = parsed.Topics.SelectMany(t => t.Blocks).LastOrDefault(b => b.Columns is not null)
                       ?? parsed.Topics.SelectMany(t => t.Blocks).LastOrDefault();
        var listed = parsed.Topics.Select(t => t.Slug).ToHashSet(StringComparer.Ordinal);
        var endOfTopics = parsed.Topics.SelectMany(t => t.Blocks).Select(b => b.LastLine).DefaultIfEmpty(lines.Count - (lines[^1].Length == 0 ? 1 : 0)).Max();
        var headingLines = parsed.Topics.ToDictionary(t => t.Line, t => t);
        // A citation date a moderator set on the site goes into the topic's own "Last update of citation" line.
        var dateLines = parsed.Topics.Where(t => t.CitationDateWritten is not null)
            .Join(topics, t => t.Slug, t => t.Slug, (listed, stored) => (listed, stored.CitationDate))
            .Where(x => x.listed.CitationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) != x.CitationDate)
            .ToDictionary(x => x.listed.CitationDateWritten!.Value.Line, x => (x.listed.CitationDateWritten!.Value.Text, x.CitationDate));

        for (var n = 1; n <= lines.Count; n++)
        {
            var line = lines[n - 1];
            if (rows.TryGetValue(n, out var row))
            {
                if (byLine.TryGetValue(n, out var paper) && paper.TopicSlug == row.Topic.Slug)
                    output.Add(Rewrite(line, row.Block, lines, row.Paper, Now(paper, row.Paper)));
                // else: the paper was deleted on the site, or moved to another topic's table.
            }
            else if (dateLines.TryGetValue(n, out var date))
            {
                if (date.CitationDate is not null) output.Add(CitationLine(line, date.Text, date.CitationDate));
                // else: the date was cleared on the site, and the line goes with it.
            }
            else output.Add(line);

            // A listed topic without any table gets one under its heading for the papers the site added.
            if (headingLines.TryGetValue(n, out var bare) && bare.Blocks.Count == 0 && appended.Remove(bare.Slug, out var loose))
                output.AddRange(NewBlock(template, lines, loose.Select(p => Now(p, null)), crlf, heading: null));
            if (lastBlock.TryGetValue(n, out var topic) && appended.Remove(topic.Slug, out var added))
                output.AddRange(NewRows(topic.Blocks[^1], lines, added.Select(p => Now(p, null)), crlf));
            // Topics made on the site follow the list's last topic, as sections like the list's own.
            if (n == endOfTopics)
            {
                var level = parsed.Topics.Count > 0 ? new string('#', Math.Max(2, lines[parsed.Topics[^1].Line - 1].TrimStart().TakeWhile(c => c == '#').Count())) : "##";
                foreach (var t in topics.Where(t => !listed.Contains(t.Slug)))
                {
                    if (!appended.Remove(t.Slug, out var fresh)) continue;
                    output.AddRange(NewBlock(template, lines, fresh.Select(p => Now(p, null)), crlf, heading: level + " " + t.Name));
                }
            }
        }
        return string.Join('\n', output);
    }

    /// <summary>The line with its date replaced by <paramref name="iso"/>, written as the list writes dates ("28th July, 2024").</summary>
    private static string CitationLine(string line, string written, string iso)
    {
        var date = DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var suffix = date.Day is 1 or 21 or 31 ? "st" : date.Day is 2 or 22 ? "nd" : date.Day is 3 or 23 ? "rd" : "th";
        var text = date.Day.ToString(CultureInfo.InvariantCulture) + suffix + " " + date.ToString("MMMM, yyyy", CultureInfo.InvariantCulture);
        var cr = line.EndsWith('\r') ? "\r" : "";
        return line.Contains(written, StringComparison.Ordinal) ? line.Replace(written, text, StringComparison.Ordinal)
            : "Last update of citation was on " + text + "." + cr;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>A row as it was when nothing it says changed; otherwise with the changed fields written in.</summary>
    private static string Rewrite(string line, ListBlock block, List<string> lines, ParsedPaper row, RowValues now)
    {
        var before = RowValues.Of(row);
        if (before.Expressible(block.Columns).Same(now.Expressible(block.Columns))) return line;
        var cr = line.EndsWith('\r') ? "\r" : "";
        var written = block.Columns is null ? Indent(line) + RowWriter.Bullet(line.Trim(), RowWriter.BulletNumber(line.Trim()) ?? 1, now).TrimStart()
            : RowWriter.EditTableRow(line.TrimEnd('\r'), block, Sample(block, lines), before, now);
        return written + cr;
    }

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];

    /// <summary>The block's first paper row, whose spelling new rows follow.</summary>
    private static string? Sample(ListBlock? block, List<string> lines) =>
        block?.Papers.Count > 0 ? lines[block.Papers[0].Line - 1].TrimEnd('\r') : null;

    private static IEnumerable<string> NewRows(ListBlock block, List<string> lines, IEnumerable<RowValues> papers, bool crlf)
    {
        var sample = Sample(block, lines);
        var number = (block.Papers.Count > 0 ? RowWriter.BulletNumber(lines[block.Papers[^1].Line - 1].Trim()) : null) ?? block.Papers.Count;
        return papers.Select(p => (block.Columns is null ? RowWriter.Bullet(sample, ++number, p) : RowWriter.NewTableRow(block.Columns, sample, p)) + (crlf ? "\r" : ""));
    }

    /// <summary>A new table (the template block's header and alignment rows) or bullet list, under a new heading when given one.</summary>
    private static IEnumerable<string> NewBlock(ListBlock? template, List<string> lines, IEnumerable<RowValues> papers, bool crlf, string? heading)
    {
        var cr = crlf ? "\r" : "";
        var block = new List<string> { cr };
        if (heading is not null) block.AddRange([heading + cr, cr]);
        var columns = template?.Columns;
        if (template is null || columns is not null)
        {
            if (template is null)
            {
                block.Add(DefaultHeader + cr);
                block.Add(DefaultAlignment + cr);
                columns = TableColumns.From(ListParser.SplitCells(DefaultHeader))!;
            }
            else
            {
                block.Add(lines[template.FirstLine - 1].TrimEnd('\r') + cr);
                block.Add(lines[template.FirstLine].TrimEnd('\r') + cr);
            }
            block.AddRange(papers.Select(p => RowWriter.NewTableRow(columns!, Sample(template, lines), p) + cr));
        }
        else
        {
            var number = 0;
            block.AddRange(papers.Select(p => RowWriter.Bullet(Sample(template, lines), ++number, p) + cr));
        }
        return block;
    }

    // The bundled list's columns: what a list that has no table of its own gets.
    private const string DefaultHeader = "| Keywords | Title | Authors | Paper | Code | Affiliation | Date | Citation |";
    private const string DefaultAlignment = "|---|---|---|---|---|---|---|---|";
}
