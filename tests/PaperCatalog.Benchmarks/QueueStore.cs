using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog;
using PaperCatalog.Data;
using PaperCatalog.Moderation;

/// <summary>
/// A store with a long moderation queue, for measuring the queue pages with wrk (queue-bench.sh): N pending
/// submissions written straight into SQLite, of which the first B have 64 KB intros and the rest a 2 KB one, plus
/// a moderator account. Intros are stored unrendered, as rows from before the rendered-intro column were; the site
/// renders a page's worth the first time it is read (the script warms each page first). Titles come from a small
/// vocabulary, so similar-title lookups have real work, and every tenth one repeats an earlier title exactly.
/// </summary>
internal static class QueueStore
{
    public const string Moderator = "bench";
    public const string Password = "a long enough bench passphrase";

    public static async Task<int> BuildAsync(string path, int pending, int big)
    {
        var database = new CatalogDatabase(path);
        await database.MigrateAsync(CancellationToken.None);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            // Only the columns of the first submissions schema, so the same file also serves an older build.
            insert.CommandText = """
                INSERT INTO submissions (token, idempotency_key, title, title_key, link, arxiv_id, topic_slug, keywords, affiliation,
                    published, intro_markdown, submitter_name, submitter_email, created_at)
                VALUES ($token, $key, $title, $titleKey, $link, $arxiv, 'attention', 'Bench, queue', 'Bench Lab', '2024.05', $intro, 'Bench', 'bench@example.org', $created);
                """;
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in (string[])["$token", "$key", "$title", "$titleKey", "$link", "$arxiv", "$intro", "$created"])
                p[name] = insert.Parameters.Add(name, SqliteType.Text);
            var bigIntro = Intro(64 * 1024 - 64);
            var smallIntro = Intro(2 * 1024);
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < pending; i++)
            {
                var title = Title(i % 10 == 9 ? i - 9 : i);
                p["$token"].Value = i.ToString("x32", CultureInfo.InvariantCulture);
                p["$key"].Value = "bench-" + i.ToString(CultureInfo.InvariantCulture);
                p["$title"].Value = title;
                p["$titleKey"].Value = Slugs.TitleKey(title);
                var arxiv = $"2501.{i % 100_000:D5}";
                p["$link"].Value = "https://arxiv.org/abs/" + arxiv;
                p["$arxiv"].Value = arxiv;
                p["$intro"].Value = i < big ? bigIntro : smallIntro;
                p["$created"].Value = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        var problem = await new ModeratorAccounts(database, TimeProvider.System).AddAsync(Moderator, Password, CancellationToken.None);
        if (problem is not null) throw new InvalidOperationException(problem);
        SqliteConnection.ClearAllPools();
        Console.WriteLine($"{path}: {pending:N0} pending submissions ({Math.Min(big, pending):N0} with 64 KB intros), moderator {Moderator}; {new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB");
        return 0;
    }

    private static readonly string[] Words =
    [
        "efficient", "sparse", "attention", "speculative", "decoding", "quantized", "serving", "memory", "cache", "kernels",
        "batching", "parallel", "inference", "transformer", "models", "tokens", "pruning", "adaptive", "streaming", "latency",
    ];

    private static string Title(int i)
    {
        var sb = new StringBuilder();
        for (var w = 0; w < 6; w++) sb.Append(w == 0 ? "" : " ").Append(Words[(i / (int)Math.Pow(7, w) + w * 3) % Words.Length]);
        sb[0] = char.ToUpperInvariant(sb[0]);
        return sb.Append(' ').Append(i.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>An ordinary intro's shapes (headings, emphasis, links, lists, a table, math) repeated to about <paramref name="bytes"/>.</summary>
    private static string Intro(int bytes)
    {
        const string block = """
            ## Method

            The drafter proposes **several tokens** at once; the target model checks them in *one* forward pass, see
            [the paper](https://arxiv.org/abs/2401.00001) and `verify()`. The cost is $O(n \log n)$ per step.

            - fewer passes over the weights
            - the same output distribution
            - works with [paged caches](https://example.org/paged)

            | model | speed-up | accepted |
            |---|---:|---:|
            | 7B | 2.1x | 0.71 |
            | 70B | 2.8x | 0.64 |


            """;
        var sb = new StringBuilder("# A submitted paper\n\n", bytes + block.Length);
        while (sb.Length + block.Length < bytes) sb.Append(block);
        return sb.ToString();
    }
}
