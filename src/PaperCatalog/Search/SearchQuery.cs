using System.Text;

namespace PaperCatalog.Search;

/// <summary>
/// A reader's query turned into FTS5 syntax by this code, never passed through: every word becomes quoted
/// tokens, so quotes, <c>AND OR NOT NEAR</c>, <c>*</c>, <c>^</c>, parentheses, colons and column names are
/// only ever words to look for.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>Longest query read; the rest is cut with a notice.</summary>
    public const int MaxLength = 200;

    /// <summary>Most words read; the rest are ignored with a notice.</summary>
    public const int MaxTerms = 12;

    /// <summary>The query as it was read (trimmed, cut, cleaned), for the search box.</summary>
    public string Text { get; init; } = "";

    /// <summary>The FTS5 MATCH expression, or null when nothing searchable was typed.</summary>
    public string? Match { get; init; }

    /// <summary>
    /// <see cref="Match"/> as its AND-ed parts, one a word or phrase typed: a paper matches when it matches every
    /// part, so the set of papers a part matches can be kept and shared by every query that has it.
    /// </summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>The words and phrases read, each as the reader typed it (for "did you mean").</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>What the reader should know about how the query was read, if anything.</summary>
    public string? Notice { get; init; }

    /// <summary>
    /// The whole query as one FTS5 phrase when it could be a person's name (two to four words, "Tri Dao"), else null:
    /// a paper whose authors hold that phrase ranks with title matches.
    /// </summary>
    public string? NamePhrase { get; init; }

    /// <summary>
    /// Reads <paramref name="input"/>: quoted phrases, words in any order, punctuated tokens as phrases.
    /// <paramref name="camelWords"/> (<see cref="SearchText.CamelWords"/>) gives the catalog's CamelCase spelling of
    /// a word typed in another case, so <c>flashattention</c> also finds "Flash|Attention" as the index split it.
    /// </summary>
    public static SearchQuery Parse(string? input, IReadOnlyDictionary<string, string>? camelWords = null)
    {
        var text = Clean(input ?? "");
        string? notice = null;
        if (text.Length > MaxLength)
        {
            var cut = text.LastIndexOf(' ', MaxLength);
            text = (cut > MaxLength / 2 ? text[..cut] : text[..MaxLength]).TrimEnd();
            if (char.IsHighSurrogate(text[^1])) text = text[..^1];
            notice = $"Your search was long, so only its first {text.Length} characters were used.";
        }

        var terms = new List<(string Raw, List<string> Tokens, bool Quoted)>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            string raw;
            bool quoted;
            if (text[i] is '"' or '\u201C' or '\u201D')
            {
                var end = text.IndexOfAny(['"', '\u201C', '\u201D'], i + 1);
                if (end < 0) end = text.Length;
                raw = text[(i + 1)..end];
                quoted = true;
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '"') end++;
                raw = text[i..end];
                quoted = false;
                i = end;
            }
            var tokens = Tokens(raw);
            if (tokens.Count > 0) terms.Add((raw.Trim(), tokens, quoted));
        }

        if (terms.Count > MaxTerms)
        {
            terms.RemoveRange(MaxTerms, terms.Count - MaxTerms);
            notice ??= $"Only the first {MaxTerms} words of your search were used.";
        }
        if (terms.Count == 0) return new SearchQuery { Text = text, Notice = notice };

        var parts = new List<string>();
        for (var t = 0; t < terms.Count; t++)
        {
            var (raw, tokens, quoted) = terms[t];
            var match = new StringBuilder();
            // The word being typed (the last) matches as a prefix: results follow typing, and "quant" finds quantization.
            // Words before it are whole (stemmed) words: a prefix on every word made multi-word queries merge many
            // expansions. A quoted phrase is exact, and so is a single character or a no-space script's character.
            var last = tokens[^1];
            var prefix = t == terms.Count - 1 && !quoted && last.Length >= 2 && !SearchText.IsNoSpaceScript(last, 0) ? "*" : "";
            // A word typed in CamelCase also matches its parts, so the title's own words are found and marked.
            var split = Tokens(SearchText.ForIndex(SearchText.Respell(raw, camelWords)));
            if (split.Count > tokens.Count)
                match.Append("(\"").AppendJoin(' ', tokens).Append('"').Append(prefix).Append(" OR \"").AppendJoin(' ', split).Append('"').Append(prefix).Append(')');
            else
                match.Append('"').AppendJoin(' ', tokens).Append('"').Append(prefix);
            if (!parts.Contains(match.ToString())) parts.Add(match.ToString());
        }
        var words = terms.SelectMany(t => t.Tokens).ToList();
        var name = words.Count is >= 2 and <= 4 && words.All(w => w.Any(char.IsLetter)) ? "\"" + string.Join(' ', words) + "\"" : null;
        // An explicit AND: FTS5 has no implicit AND next to a parenthesised group (a CamelCase word's).
        return new SearchQuery { Text = text, Match = string.Join(" AND ", parts), Parts = parts, Terms = terms.Select(t => t.Raw).ToList(), Notice = notice, NamePhrase = name };
    }

    /// <summary>
    /// The tokens of a word as the index sees them: letters and digits of any script, split at everything else,
    /// with characters of no-space scripts each their own token (so they match as a substring).
    /// </summary>
    internal static List<string> Tokens(string word)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0) tokens.Add(current.ToString());
            current.Clear();
        }
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (SearchText.IsNoSpaceScript(word, i))
            {
                Flush();
                current.Append(c);
                if (char.IsHighSurrogate(c)) current.Append(word[++i]);
                Flush();
            }
            else if (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                current.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < word.Length && char.IsLetterOrDigit(word, i))
            {
                current.Append(c).Append(word[++i]);
            }
            else
            {
                Flush();
            }
        }
        Flush();
        return tokens;
    }

    /// <summary>Drops control characters, lone surrogates and replacement characters; folds runs of spaces.</summary>
    private static string Clean(string input)
    {
        var sb = new StringBuilder(Math.Min(input.Length, MaxLength * 4));
        for (var i = 0; i < input.Length && sb.Length <= MaxLength * 2; i++)
        {
            var c = input[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < input.Length && char.IsLowSurrogate(input[i + 1])) { sb.Append(c).Append(input[++i]); }
                continue;
            }
            if (char.IsLowSurrogate(c) || c == '\uFFFD' || c == SearchText.Split) continue;
            sb.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
        }
        var text = sb.ToString().Trim();
        while (text.Contains("  ", StringComparison.Ordinal)) text = text.Replace("  ", " ", StringComparison.Ordinal);
        return text;
    }
}
