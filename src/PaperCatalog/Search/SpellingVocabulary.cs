using System.Numerics;

namespace PaperCatalog.Search;

/// <summary>
/// The catalog's own words (keyword names and title words) for "did you mean": a misspelt word is matched to
/// the nearest of them by edit distance, shown in the catalog's spelling ("FlashAttention").
/// </summary>
public sealed class SpellingVocabulary
{
    private readonly Dictionary<string, Entry> _words = new(StringComparer.Ordinal);

    private sealed class Entry(string display)
    {
        public string Display = display;
        public int Uses;
        public bool FromKeyword;
    }

    /// <summary>Builds the vocabulary from keyword names and titles.</summary>
    public SpellingVocabulary(IEnumerable<string> keywords, IEnumerable<string> titles)
    {
        foreach (var keyword in keywords) Add(keyword.Trim(), fromKeyword: true);
        foreach (var title in titles)
        {
            foreach (var raw in title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var word = raw.Trim(SearchText.WordEdges);
                Add(word, fromKeyword: false);
                if (word.Contains('-', StringComparison.Ordinal))
                    foreach (var part in word.Split('-', StringSplitOptions.RemoveEmptyEntries)) Add(part, fromKeyword: false);
            }
        }
    }

    /// <summary>How many distinct words are known.</summary>
    public int Count => _words.Count;

    private void Add(string word, bool fromKeyword)
    {
        if (word.Length < 3 || !word.Any(char.IsLetter)) return;
        var key = SearchText.Fold(word);
        if (!_words.TryGetValue(key, out var entry)) _words[key] = entry = new Entry(word) { FromKeyword = fromKeyword };
        else if (fromKeyword && !entry.FromKeyword) { entry.Display = word; entry.FromKeyword = true; }
        entry.Uses++;
    }

    /// <summary>True when the catalog uses <paramref name="word"/> as it is (any case or accent).</summary>
    public bool Knows(string word) => _words.ContainsKey(SearchText.Fold(word));

    /// <summary>The nearest known words to <paramref name="word"/>, closest and most used first; none for short words.</summary>
    public IReadOnlyList<string> Nearest(string word, int count)
    {
        var folded = SearchText.Fold(word);
        var limit = folded.Length switch { < 4 => 0, < 6 => 1, < 9 => 2, _ => 3 };
        if (limit == 0) return [];
        var key = (folded, count);
        if (_nearest.TryGetValue(key, out var known)) return known;
        var keys = _keys ??= Index();
        var signature = Signature(folded);
        var found = new List<(string Display, int Distance, int Uses)>();
        for (var i = 0; i < keys.Length; i++)
        {
            var (candidate, candidateSignature, entry) = keys[i];
            if (Math.Abs(candidate.Length - folded.Length) > limit) continue;
            // Each edit changes at most two of the signature's bits (see Signature), so more differing bits than twice
            // the limit cannot be near: most of the vocabulary is passed over without computing a distance.
            if (BitOperations.PopCount(signature ^ candidateSignature) > 2 * limit) continue;
            var distance = Distance(folded, candidate, limit);
            if (distance > 0 && distance <= limit) found.Add((entry.Display, distance, entry.Uses));
        }
        var nearest = found.OrderBy(f => f.Distance).ThenByDescending(f => f.Uses).ThenBy(f => f.Display, StringComparer.Ordinal)
            .Select(f => f.Display).Take(count).ToList();
        // Kept for the vocabulary's life (a catalog version): a typo searched again, or paged, is not scanned again.
        // Bounded, so a stream of made-up words cannot grow it.
        if (_nearest.Count < MaxKept) _nearest.TryAdd(key, nearest);
        return nearest;
    }

    private const int MaxKept = 4_096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int), IReadOnlyList<string>> _nearest = new();
    private (string Key, ulong Signature, Entry Entry)[]? _keys;

    private (string, ulong, Entry)[] Index() => _words.Select(kv => (kv.Key, Signature(kv.Key), kv.Value)).ToArray();

    /// <summary>
    /// Which characters a word holds, one bit each (letters and digits their own bit, the rest shared by a hash): an
    /// insertion or deletion changes at most one bit, a substitution two, a transposition none.
    /// </summary>
    private static ulong Signature(string word)
    {
        ulong bits = 0;
        foreach (var c in word)
            bits |= 1UL << (c is >= 'a' and <= 'z' ? c - 'a' : c is >= '0' and <= '9' ? 26 + c - '0' : 36 + c % 28);
        return bits;
    }

    /// <summary>Edit distance with transpositions (optimal string alignment), giving up above <paramref name="limit"/>.</summary>
    internal static int Distance(string a, string b, int limit)
    {
        // Three rows on the stack for words of normal length (this runs for every candidate a typo keeps).
        var width = b.Length + 1;
        Span<int> rows = width <= 128 ? stackalloc int[3 * width] : new int[3 * width];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(2 * width, width);
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > limit) return limit + 1;
            var oldest = previous2;
            previous2 = previous;
            previous = current;
            current = oldest;
        }
        return previous[b.Length];
    }
}
