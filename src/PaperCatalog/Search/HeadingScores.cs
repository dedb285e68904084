using Microsoft.Data.Sqlite;

namespace PaperCatalog.Search;

/// <summary>
/// The heading tier of a one-word part (a word or a prefix, as <see cref="SearchQuery"/> writes it) scored here, not by
/// FTS5's bm25(): bm25() asks the index for each row's size (a lookup in paper_headings_docsize per row) and walks its
/// instances, some 3 µs a row, so a prefix found in 7,000 titles took 25 ms of one core to rank. Here the word's
/// instances are read from the index's own terms (fts5vocab, in term order, no scoring) and each row's size from an
/// array held per catalog version (<see cref="HeadingSizes"/>), and bm25 is computed as FTS5 computes it, in the same
/// order of the same double operations, so scores and ties are the index's to the bit (HeadingScoresTests compares
/// both). Only for parts of one ASCII term; anything else (phrases, CamelCase ORs, other scripts) is ranked by FTS5.
/// </summary>
internal static class HeadingScores
{
    /// <summary>The tier-0 columns' bm25 weights (<see cref="SearchRanking"/>'s HeadingRank); affiliation is not in tier 0.</summary>
    private static double Weight(string column) => column switch
    {
        "title" or "keywords" => 100.0,
        "aliases" => 80.0,
        _ => 0.0,
    };

    /// <summary>The term (stemmed as the index stems it) and whether it is a prefix, or null when the part is not one ASCII term.</summary>
    public static (string Term, bool Prefix)? Term(string part)
    {
        if (part.Contains(" OR ", StringComparison.Ordinal)) return null;
        var phrases = SearchMarks.For(part).Phrases;
        if (phrases.Count != 1 || phrases[0].Terms.Length != 1) return null;
        var term = phrases[0].Terms[0];
        return term.Length > 0 && IsAsciiTerm(term) ? (term, phrases[0].Prefix) : null;
    }

    /// <summary>Whether <paramref name="term"/> is made of what the index's ASCII terms are: lower-case letters and digits.</summary>
    public static bool IsAsciiTerm(string term) => term.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    /// <summary>
    /// The first string past every term that starts with <paramref name="prefix"/> ('deco' to 'decp'): a prefix's terms are
    /// those from it up to this one, for a prefix that ends in a-z or 0-9.
    /// </summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>
    /// Makes the temporary fts5vocab table <paramref name="name"/> over <paramref name="index"/> on this connection, when it
    /// has none yet (pooled connections keep it): the catalog's schema stays as it is.
    /// </summary>
    public static void EnsureVocabulary(SqliteConnection connection, string name, string index, string kind)
    {
        using var create = connection.CreateCommand();
        create.CommandText = $"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {index}, {kind});";
        create.ExecuteNonQuery();
    }

    /// <summary>
    /// The tier of <paramref name="part"/>, best first, as <see cref="SearchRanking.ReadHeadingTier"/> would rank it; null
    /// when the part is not one ASCII term, or a row is newer than <paramref name="sizes"/> (another process wrote since).
    /// </summary>
    public static HeadingTier? Rank(SqliteConnection connection, string part, HeadingSizes sizes)
    {
        if (Term(part) is not var (term, prefix)) return null;
        const string termSql = "SELECT doc, col FROM temp.heading_terms WHERE term = $term;";
        const string prefixSql = "SELECT doc, col FROM temp.heading_terms WHERE term >= $term AND term < $next;";
        EnsureVocabulary(connection, "heading_terms", "paper_headings", "instance");
        using var command = connection.CreateCommand();
        command.CommandText = prefix ? prefixSql : termSql;
        command.Parameters.AddWithValue("$term", term);
        if (prefix) command.Parameters.AddWithValue("$next", PrefixEnd(term));
        // Each row's phrase frequency: the sum of its instances' column weights (whole numbers, so any order sums the same).
        var frequency = new Dictionary<int, double>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var weight = Weight(reader.GetString(1));
                if (weight == 0.0) continue;
                var id = reader.GetInt64(0);
                if (id < 0 || id >= sizes.Tokens.Length || sizes.Tokens[id] < 0) return null;
                frequency[(int)id] = frequency.GetValueOrDefault((int)id) + weight;
            }
        }
        // fts5Bm25Function in SQLite's fts5_aux.c, for one phrase: the IDF from the rows the phrase matches in these
        // columns (what xQueryPhrase counts), avgdl from the index's totals, D the row's size over every column.
        const double k1 = 1.2;
        const double b = 0.75;
        long nRow = sizes.Rows, nHit = frequency.Count;
        var idf = Math.Log((nRow - nHit + 0.5) / (nHit + 0.5));
        if (idf <= 0.0) idf = 1e-6;
        var avgdl = (double)sizes.TotalTokens / (double)nRow;
        var ids = new int[frequency.Count];
        var scores = new double[frequency.Count];
        var i = 0;
        foreach (var (id, f) in frequency)
        {
            double d = sizes.Tokens[id];
            var score = 0.0;
            score += idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * d / avgdl)));
            ids[i] = id;
            scores[i++] = -1.0 * score;
        }
        // ORDER BY score, rowid.
        var order = Enumerable.Range(0, ids.Length).ToArray();
        Array.Sort(order, (x, y) => scores[x] != scores[y] ? scores[x].CompareTo(scores[y]) : ids[x].CompareTo(ids[y]));
        return new HeadingTier(order.Select(o => ids[o]).ToArray(), order.Select(o => scores[o]).ToArray());
    }
}

/// <summary>
/// What bm25 needs of the heading index besides a word's instances: each row's size in tokens over every column (by
/// paper id, -1 for no row), the number of rows and the tokens in all of them, as FTS5 stores them (its docsize table
/// and its averages record). Read once per catalog version: 100,000 rows in some 40 ms.
/// </summary>
internal sealed record HeadingSizes(int[] Tokens, long Rows, long TotalTokens)
{
    public static HeadingSizes Read(SqliteConnection connection, int capacity)
    {
        const string sizesSql = "SELECT id, sz FROM paper_headings_docsize;";
        // Row 1 of the index's data is its averages record: the row count, then each column's token total.
        const string totalsSql = "SELECT block FROM paper_headings_data WHERE id = 1;";
        using var transaction = connection.BeginTransaction();
        var tokens = new int[capacity];
        Array.Fill(tokens, -1);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = sizesSql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (id < 0 || id >= capacity) continue;
                var blob = (byte[])reader.GetValue(1);
                var total = 0L;
                for (var at = 0; at < blob.Length;) total += Varint(blob, ref at);
                tokens[id] = (int)total;
            }
        }
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = totalsSql;
            var block = command.ExecuteScalar() as byte[] ?? [];
            var at = 0;
            var rows = block.Length == 0 ? 0 : Varint(block, ref at);
            var all = 0L;
            while (at < block.Length) all += Varint(block, ref at);
            return new HeadingSizes(tokens, Math.Max(rows, 1), all);
        }
    }

    /// <summary>SQLite's varint (FTS5 writes its records with it): big-endian 7-bit groups, the ninth byte whole.</summary>
    private static long Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var n = 0; n < 9 && at < bytes.Length; n++)
        {
            var c = bytes[at++];
            if (n == 8) return (long)((value << 8) | c);
            value = (value << 7) | (uint)(c & 0x7F);
            if ((c & 0x80) == 0) break;
        }
        return (long)value;
    }
}
