using Microsoft.Data.Sqlite;

namespace PaperCatalog.Importing;

/// <summary>
/// The importer's hot path: prepared commands reused for every row, because a list of 100,000 papers should
/// import in seconds (Dapper builds a command per call, which costs more than the insert itself here).
/// </summary>
internal sealed class PaperWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _tx;
    private readonly RawStatement _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _clearKeywords;
    private readonly RawStatement _addKeyword;
    private readonly SqliteCommand _newKeyword;
    private readonly SqliteCommand _clearMedia;
    private readonly SqliteCommand _addMedia;
    private readonly Dictionary<string, string> _keywordSlugs = new(StringComparer.Ordinal);

    private const string PaperColumns = "slug, topic_id, position, title, title_key, venue, pdf_url, intro_url, arxiv_id, affiliation, published, citations, intro_markdown, intro_html, content_hash";

    public PaperWriter(SqliteConnection connection, SqliteTransaction tx)
    {
        _connection = connection;
        _tx = tx;
        // Positional parameters, in PaperColumns order, then the time stamp.
        const string insertSql = "INSERT INTO papers (" + PaperColumns + ", origin, added_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'list', ?16, ?16);";
        const string updateSql = """
            UPDATE papers SET slug = $slug, topic_id = $topic, position = $position, title = $title, title_key = $title_key, venue = $venue,
                pdf_url = $pdf, intro_url = $intro_url, arxiv_id = $arxiv, affiliation = $affiliation, published = $published,
                citations = $citations, intro_markdown = $md, intro_html = $html, content_hash = $hash, updated_at = $now
            WHERE id = $id;
            """;
        _insert = new RawStatement(connection, insertSql);
        _update = Prepare(updateSql, "$slug", "$topic", "$position", "$title", "$title_key", "$venue", "$pdf", "$intro_url", "$arxiv", "$affiliation", "$published", "$citations", "$md", "$html", "$hash", "$now", "$id");
        _clearKeywords = Prepare("DELETE FROM paper_keywords WHERE paper_id = $paper;", "$paper");
        _addKeyword = new RawStatement(connection, "INSERT OR IGNORE INTO paper_keywords (paper_id, keyword_id, position) VALUES (?1, ?2, ?3);");
        _newKeyword = Prepare("INSERT INTO keywords (slug, name) VALUES ($slug, $name) RETURNING id;", "$slug", "$name");
        _clearMedia = Prepare("DELETE FROM paper_media WHERE paper_id = $paper;", "$paper");
        _addMedia = Prepare("INSERT INTO paper_media (paper_id, path, content_type, bytes) VALUES ($paper, $path, $type, $bytes);", "$paper", "$path", "$type", "$bytes");
    }

    public long Insert(CatalogImporter.PaperRecord row, string hash, string now)
    {
        _insert.Bind(1, row.Slug).Bind(2, row.TopicId).Bind(3, row.Position).Bind(4, row.Title).Bind(5, row.TitleKey)
            .Bind(6, row.Venue).Bind(7, row.PdfUrl).Bind(8, row.IntroUrl).Bind(9, row.ArxivId).Bind(10, row.Affiliation)
            .Bind(11, row.Published).Bind(12, row.Citations).Bind(13, row.IntroMarkdown).Bind(14, row.IntroHtml)
            .Bind(15, hash).Bind(16, now)
            .Run();
        return _insert.LastInsertRowId;
    }

    public void Update(long id, CatalogImporter.PaperRecord row, string hash, string now)
    {
        Bind(_update, row, hash, now);
        _update.Parameters["$id"].Value = id;
        _update.ExecuteNonQuery();
    }

    /// <summary>Writes a paper's keywords and images; <paramref name="isNew"/> skips clearing rows that cannot exist yet.</summary>
    public void ReplaceChildren(long paperId, CatalogImporter.PaperRecord row, Dictionary<string, long> keywordIds, bool isNew)
    {
        if (!isNew)
        {
            _clearKeywords.Parameters["$paper"].Value = paperId;
            _clearKeywords.ExecuteNonQuery();
            _clearMedia.Parameters["$paper"].Value = paperId;
            _clearMedia.ExecuteNonQuery();
        }
        for (var i = 0; i < row.Keywords.Count; i++)
        {
            var name = row.Keywords[i];
            if (!_keywordSlugs.TryGetValue(name, out var slug)) _keywordSlugs[name] = slug = Slugs.From(name);
            if (!keywordIds.TryGetValue(slug, out var keywordId))
            {
                _newKeyword.Parameters["$slug"].Value = slug;
                _newKeyword.Parameters["$name"].Value = name;
                keywordId = (long)_newKeyword.ExecuteScalar()!;
                keywordIds[slug] = keywordId;
            }
            _addKeyword.Bind(1, paperId).Bind(2, keywordId).Bind(3, i).Run();
        }
        foreach (var media in row.Media)
        {
            _addMedia.Parameters["$paper"].Value = paperId;
            _addMedia.Parameters["$path"].Value = media.Path;
            _addMedia.Parameters["$type"].Value = media.ContentType;
            _addMedia.Parameters["$bytes"].Value = media.Bytes;
            _addMedia.ExecuteNonQuery();
        }
    }

    private static void Bind(SqliteCommand command, CatalogImporter.PaperRecord row, string hash, string now)
    {
        var p = command.Parameters;
        p["$slug"].Value = row.Slug;
        p["$topic"].Value = row.TopicId;
        p["$position"].Value = row.Position;
        p["$title"].Value = row.Title;
        p["$title_key"].Value = row.TitleKey;
        p["$venue"].Value = (object?)row.Venue ?? DBNull.Value;
        p["$pdf"].Value = (object?)row.PdfUrl ?? DBNull.Value;
        p["$intro_url"].Value = (object?)row.IntroUrl ?? DBNull.Value;
        p["$arxiv"].Value = (object?)row.ArxivId ?? DBNull.Value;
        p["$affiliation"].Value = (object?)row.Affiliation ?? DBNull.Value;
        p["$published"].Value = (object?)row.Published ?? DBNull.Value;
        p["$citations"].Value = (object?)row.Citations ?? DBNull.Value;
        p["$md"].Value = (object?)row.IntroMarkdown ?? DBNull.Value;
        p["$html"].Value = (object?)row.IntroHtml ?? DBNull.Value;
        p["$hash"].Value = hash;
        p["$now"].Value = now;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _tx;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, null));
        return command;
    }

    public void Dispose()
    {
        foreach (var c in new[] { _update, _clearKeywords, _newKeyword, _clearMedia, _addMedia }) c.Dispose();
        _insert.Dispose();
        _addKeyword.Dispose();
    }
}
