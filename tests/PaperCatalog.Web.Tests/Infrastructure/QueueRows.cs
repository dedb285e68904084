using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>
/// Fills a running site's queue straight in its SQLite file, in one transaction: thousands of submissions in a second,
/// as thousands of strangers would have sent them. Intros are stored unrendered, as rows from before intros were
/// rendered at storage, so the site renders them when a moderator first reads them.
/// </summary>
public static class QueueRows
{
    public sealed record Row(string Title, string Link, string? Intro = null, string? Name = null);

    /// <summary>Inserts <paramref name="count"/> pending submissions, one second apart in age (row 0 the oldest), and returns their ids.</summary>
    public static IReadOnlyList<long> Insert(CatalogFactory site, int count, Func<int, Row> row, DateTime? oldest = null)
    {
        _ = site.Services; // the site has started, so its store exists and is migrated
        var start = oldest ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var ids = new List<long>(count);
        using var connection = new SqliteConnection($"Data Source={site.DatabasePath};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO submissions (token, idempotency_key, title, title_key, link, arxiv_id, doi, topic_slug, keywords, affiliation,
                published, intro_markdown, submitter_name, submitter_email, created_at)
            VALUES ($token, $key, $title, $titleKey, $link, $arxiv, $doi, 'llm-inference', 'bulk', 'Somewhere', '2024.05', $intro, $name, 'x@example.org', $created)
            RETURNING id;
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in (string[])["$token", "$key", "$title", "$titleKey", "$link", "$arxiv", "$doi", "$intro", "$name", "$created"])
            p[name] = insert.Parameters.Add(name, SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            var r = row(i);
            p["$token"].Value = Guid.NewGuid().ToString("N");
            p["$key"].Value = Guid.NewGuid().ToString("N");
            p["$title"].Value = r.Title;
            p["$titleKey"].Value = PaperCatalog.Identifiers.TitleKey(r.Title);
            p["$link"].Value = r.Link;
            p["$arxiv"].Value = (object?)PaperCatalog.Identifiers.ArxivId(r.Link) ?? DBNull.Value;
            p["$doi"].Value = (object?)PaperCatalog.Identifiers.Doi(r.Link) ?? DBNull.Value;
            p["$intro"].Value = (object?)r.Intro ?? DBNull.Value;
            p["$name"].Value = (object?)r.Name ?? DBNull.Value;
            p["$created"].Value = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            ids.Add((long)insert.ExecuteScalar()!);
        }
        tx.Commit();
        return ids;
    }

    /// <summary>An intro of about <paramref name="bytes"/> UTF-8 bytes (under the 64 KB limit) in the shapes real intros have.</summary>
    public static string Intro(int bytes)
    {
        const string block = """
            ## Method

            The drafter proposes **several tokens** at once; the target model checks them in *one* pass, see
            [the paper](https://arxiv.org/abs/2401.00001). The cost is $O(n \log n)$ per step.

            Long intros are mostly prose: the setting, the baseline, what was measured and on which hardware, what the
            authors left out, and how the method compares with the ones before it. A paragraph like this one carries many
            words and few elements, which is what keeps a 64 KB intro inside the render budget's element count while it
            still weighs what the queue test needs it to weigh. The queue must show only its first words, never all of it.

            - fewer passes over the weights
            - the same output distribution


            """;
        // One table, not one per block: a table in every block would exceed the render budget's table cells.
        var sb = new System.Text.StringBuilder("Opening words of this intro.\n\n| model | speed-up |\n|---|---:|\n| 7B | 2.1x |\n\n", bytes + block.Length);
        while (sb.Length + block.Length < bytes) sb.Append(block);
        return sb.ToString();
    }
}
