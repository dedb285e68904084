using Dapper;
using Microsoft.Data.Sqlite;

namespace PaperCatalog.Search;

/// <summary>
/// One paper in relevance order: its tier (0: the query is in its title, keywords or aliases, or its authors hold the
/// name typed; 1: only in its venue, affiliation or intro) and its bm25 score within the tier (lower is better, as
/// FTS5 gives it). A ranked page is a list of these, so another ranking (vectors) can be fused with it by id.
/// </summary>
public readonly record struct RankedPaper(long Id, int Tier, double Score);

/// <summary>Tier 0 of one query, best first: paper ids and their bm25 scores on the heading index.</summary>
internal sealed record HeadingTier(int[] Ids, double[] Scores)
{
    /// <summary>Memory held, for the cache's size limit (twice as much once <see cref="ById"/> is made).</summary>
    public long Bytes => (HasById ? 2L : 1L) * Ids.Length * (sizeof(int) + sizeof(double)) + 64;

    /// <summary>A tier's papers in id order with their scores (a class, so a reader sees it whole or not at all).</summary>
    internal sealed record IdOrder(int[] Ids, double[] Scores);

    private IdOrder? _byId;

    /// <summary>Whether <see cref="ById"/> has been made (only a word's tier that several-word queries composed from has it).</summary>
    public bool HasById => _byId is not null;

    /// <summary>The same papers and scores in id order, made once (a race makes it twice, the same), for <see cref="SearchRanking.Compose"/>.</summary>
    public IdOrder ById => _byId ??= SortById();

    private IdOrder SortById()
    {
        var ids = (int[])Ids.Clone();
        var scores = (double[])Scores.Clone();
        Array.Sort(ids, scores);
        return new IdOrder(ids, scores);
    }
}

/// <summary>
/// Relevance ranking, top k at a time. Tier 0 is ranked on the heading index (paper_headings: title, keywords, aliases,
/// affiliation), whose lists hold no intro positions, so a word in half the intros costs what its few titles cost.
/// Tier 1 is ranked on the full index and only read when tier 0 cannot fill the page: the intro matches of a common
/// word are never scored for its first pages.
/// </summary>
internal static class SearchRanking
{
    /// <summary>bm25 weights in paper_headings' column order (title, keywords, aliases, affiliation).</summary>
    private const string HeadingRank = "bm25(paper_headings, 100.0, 100.0, 80.0, 10.0)";

    /// <summary>bm25 weights in paper_search's column order (title, keywords, aliases, venue, affiliation, intro).</summary>
    private const string FullRank = "bm25(paper_search, 100.0, 100.0, 80.0, 10.0, 10.0, 1.0)";

    /// <summary>The tier-0 expression for <paramref name="match"/>: in a heading column, or the name typed among the authors.</summary>
    public static string Heading(string match, string? namePhrase)
    {
        var heading = "{title keywords aliases} : (" + match + ")";
        return namePhrase is null ? heading : "(" + heading + ") OR ({affiliation} : " + namePhrase + ")";
    }

    /// <summary>
    /// Tier 0 ranked whole: every paper with the query in a heading column, best first. Scoring them all is what an
    /// ORDER BY … LIMIT costs anyway; kept, it serves every page and every filter of the query without the index.
    /// </summary>
    public static HeadingTier ReadHeadingTier(SqliteConnection connection, SearchQuery query) => ReadTier(connection, Heading(query.Match!, query.NamePhrase));

    /// <summary>The papers whose authors hold <paramref name="namePhrase"/>, ranked as the name's phrase alone scores them.</summary>
    public static HeadingTier ReadNameTier(SqliteConnection connection, string namePhrase) => ReadTier(connection, "{affiliation} : " + namePhrase);

    /// <summary>
    /// Tier 0 of several words from each word's own tier (and the name's, when the words could be one), without the
    /// index: FTS5's bm25 is a sum over the query's phrases, each term from that phrase's own counts (a phrase that does
    /// not match a row adds nothing), and the sum runs in the phrases' order from 0. Summed here in the same order, each
    /// score is the very double the index gives, so order and ties are the same. Only for parts that are one phrase each
    /// (a CamelCase word's OR of two would group its own terms first); null otherwise.
    /// </summary>
    public static HeadingTier? Compose(IReadOnlyList<string> parts, IReadOnlyList<HeadingTier> tiers, HeadingTier? name)
    {
        if (parts.Any(p => p.Contains(" OR ", StringComparison.Ordinal))) return null;
        // The papers in every word's tier, walked in id order over each tier's id-ordered copy (kept with the tier, so a
        // new pair of held words costs a merge, not a dictionary of each word's thousands of rows), each with its sum.
        var lists = tiers.Select(t => t.ById).ToList();
        var smallest = lists.MinBy(l => l.Ids.Length)!;
        var at = new int[lists.Count];
        var inAll = new Dictionary<int, double>();
        foreach (var id in smallest.Ids)
        {
            // FTS5 gives -1.0 × the sum, so each tier's score is minus its phrase's term.
            var sum = 0.0;
            var all = true;
            for (var l = 0; l < lists.Count && all; l++)
            {
                var ids = lists[l].Ids;
                while (at[l] < ids.Length && ids[at[l]] < id) at[l]++;
                if (at[l] < ids.Length && ids[at[l]] == id) sum += -lists[l].Scores[at[l]];
                else all = false;
            }
            if (all) inAll[id] = sum;
        }
        var nameScores = new Dictionary<int, double>();
        if (name is not null)
            for (var i = 0; i < name.Ids.Length; i++) nameScores[name.Ids[i]] = name.Scores[i];
        var rows = new List<(int Id, double Score)>(inAll.Count + nameScores.Count);
        foreach (var (id, words) in inAll)
        {
            var sum = words;
            if (nameScores.TryGetValue(id, out var named)) sum += -named;
            rows.Add((id, -1.0 * sum));
        }
        foreach (var (id, named) in nameScores)
            if (!inAll.ContainsKey(id)) rows.Add((id, -1.0 * (0.0 + -named)));
        rows.Sort((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Id.CompareTo(b.Id));
        return new HeadingTier(rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Score).ToArray());
    }

    private static HeadingTier ReadTier(SqliteConnection connection, string match)
    {
        const string sql = "SELECT rowid, " + HeadingRank + " AS score FROM paper_headings WHERE paper_headings MATCH $match ORDER BY score, rowid;";
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$match", match);
        var ids = new List<int>();
        var scores = new List<double>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add((int)reader.GetInt64(0));
            scores.Add(reader.GetDouble(1));
        }
        return new HeadingTier([.. ids], [.. scores]);
    }

    /// <summary>
    /// The page <paramref name="offset"/>..+<paramref name="limit"/> of the ranking: tier 0 from <paramref name="tier0"/>
    /// (the papers <paramref name="keep"/> keeps, all when it is null), then tier 1 from the full index, read only when
    /// tier 0 ends before the page does. <paramref name="args"/> carries the filters as <see cref="SearchQueries"/>
    /// binds them; <paramref name="filters"/> is their SQL (a constant).
    /// </summary>
    public static async Task<List<RankedPaper>> PageAsync(SqliteConnection connection, DynamicParameters args, SearchQuery query, HeadingTier tier0, Func<int, bool>? keep, string filters, long offset, int limit, CancellationToken ct)
    {
        var ranked = new List<RankedPaper>(limit);
        long inHeading = 0;
        for (var i = 0; i < tier0.Ids.Length; i++)
        {
            if (keep is not null && !keep(tier0.Ids[i])) continue;
            if (inHeading++ < offset) continue;
            ranked.Add(new RankedPaper(tier0.Ids[i], 0, tier0.Scores[i]));
            if (ranked.Count == limit) return ranked;
        }
        // Tier 0 ended before the page did (the loop counted all of it): the rest comes from tier 1.
        offset = Math.Max(0, offset - inHeading);
        // The heading columns have the same text and tokenizer in both indexes, so NOT takes out exactly tier 0.
        var restSql = keep is not null
            ? "SELECT p.id AS Id, 1 AS Tier, " + FullRank + " AS Score FROM paper_search JOIN papers p ON p.id = paper_search.rowid JOIN topics t ON t.id = p.topic_id WHERE paper_search MATCH @match " + filters + " ORDER BY Score, p.id LIMIT @limit OFFSET @offset;"
            : "SELECT rowid AS Id, 1 AS Tier, " + FullRank + " AS Score FROM paper_search WHERE paper_search MATCH @match ORDER BY Score, rowid LIMIT @limit OFFSET @offset;";
        ranked.AddRange(await QueryAsync(connection, restSql, args, "(" + query.Match + ") NOT (" + Heading(query.Match!, query.NamePhrase) + ")", limit - ranked.Count, offset, ct));
        return ranked;
    }

    private static async Task<IEnumerable<RankedPaper>> QueryAsync(SqliteConnection connection, string sql, DynamicParameters args, string match, int limit, long offset, CancellationToken ct)
    {
        var tierArgs = new DynamicParameters(args);
        tierArgs.Add("match", match);
        tierArgs.Add("limit", limit);
        tierArgs.Add("offset", offset);
        return (await connection.QueryAsync<RankedRow>(new CommandDefinition(sql, tierArgs, cancellationToken: ct)))
            .Select(r => new RankedPaper(r.Id, (int)r.Tier, r.Score));
    }

    private sealed record RankedRow
    {
        public long Id { get; init; }
        public long Tier { get; init; }
        public double Score { get; init; }
    }
}
