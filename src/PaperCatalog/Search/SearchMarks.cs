using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperCatalog.Search;

/// <summary>
/// Marked titles and intro snippets for the page shown, cut here from each row's indexed text instead of by FTS5's
/// highlight() and snippet(). Those need a cursor of the MATCH positioned on the row, and over the catalog's index that
/// cursor loads each term's whole list (a common word's tens of thousands of rows) for every id asked, or walks every
/// match between the page's lowest and highest id. Here the query's phrases are read from its MATCH expression (which
/// <see cref="SearchQuery"/> writes: quoted phrases, an optional * on each) and looked for in the row's tokens, read the
/// way the index reads them: unicode61 (letters, digits and private-use characters make tokens, marks and everything
/// else part them; case and accents folded), then the Porter stemmer (<see cref="PorterStemmer"/>). The result is FTS5's
/// to the character (SearchMarksTests compares both on every script); only this page's rows are read, by primary key.
/// </summary>
internal sealed partial class SearchMarks
{
    /// <summary>Tokens in a snippet, as the site asked FTS5's snippet() for.</summary>
    public const int SnippetTokens = 24;

    private readonly List<(string[] Terms, bool Prefix)> _phrases;

    /// <summary>The first letters of the phrases' terms: a token that starts otherwise matches none (stemming keeps a word's first letter).</summary>
    private readonly string _initials;

    private SearchMarks(List<(string[] Terms, bool Prefix)> phrases)
    {
        _phrases = phrases;
        _initials = new string(phrases.SelectMany(p => p.Terms).Select(t => t[0]).Distinct().ToArray());
    }

    /// <summary>The query's phrases, each as the index's terms, and whether its last term is a prefix.</summary>
    public IReadOnlyList<(string[] Terms, bool Prefix)> Phrases => _phrases;

    [GeneratedRegex("\"([^\"]*)\"(\\*?)", RegexOptions.CultureInvariant)]
    private static partial Regex Phrase();

    /// <summary>The phrases of <paramref name="match"/> (an expression <see cref="SearchQuery"/> wrote), each as stemmed terms.</summary>
    public static SearchMarks For(string match)
    {
        var phrases = new List<(string[], bool)>();
        foreach (Match m in Phrase().Matches(match))
        {
            var terms = Tokenize(m.Groups[1].Value, null).Select(t => t.Term!).ToArray();
            if (terms.Length > 0) phrases.Add((terms, m.Groups[2].Length > 0));
        }
        return new SearchMarks(phrases);
    }

    /// <summary>
    /// A token: where it is in the text (UTF-16 offsets, end exclusive) and its term as the index holds it, or null when
    /// it cannot be any query term (its first letter is none of theirs), so most tokens are never folded or stemmed.
    /// </summary>
    internal readonly record struct Token(int Start, int End, string? Term);

    /// <summary>
    /// The text's tokens, as FTS5's <c>porter unicode61 remove_diacritics 2</c> reads them; terms only for tokens that
    /// start with one of <paramref name="initials"/> (every token's when it is null).
    /// </summary>
    internal static List<Token> Tokenize(string text, string? initials)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var width = TokenCharWidth(text, i);
            if (width == 0) { i++; continue; }
            var start = i;
            var ascii = true;
            while (i < text.Length && (width = TokenCharWidth(text, i)) > 0)
            {
                ascii &= text[i] < 0x80;
                i += width;
            }
            string? term = null;
            if (initials is null || !ascii || initials.Contains(char.ToLowerInvariant(text[start]), StringComparison.Ordinal))
            {
                var folded = Fold(text.AsSpan(start, i - start));
                if (initials is null || folded.Length > 0 && initials.Contains(folded[0], StringComparison.Ordinal)) term = PorterStemmer.Stem(folded);
            }
            tokens.Add(new Token(start, i, term));
        }
        return tokens;
    }

    /// <summary>How many UTF-16 units the token character at <paramref name="i"/> takes, or 0 for a separator.</summary>
    private static int TokenCharWidth(string text, int i)
    {
        var c = text[i];
        if (c < 0x80) return char.IsAsciiLetterOrDigit(c) ? 1 : 0;
        if (char.IsHighSurrogate(c))
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) && IsTokenCategory(CharUnicodeInfo.GetUnicodeCategory(text, i)) ? 2 : 0;
        return IsTokenCategory(CharUnicodeInfo.GetUnicodeCategory(c)) ? 1 : 0;
    }

    private static bool IsTokenCategory(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.PrivateUse;

    /// <summary>Lowercase without accents (remove_diacritics 2: every mark on a letter goes).</summary>
    private static string Fold(ReadOnlySpan<char> token)
    {
        var ascii = true;
        foreach (var c in token)
            if (c >= 0x80) { ascii = false; break; }
        if (ascii)
        {
            return string.Create(token.Length, token.ToString(), (span, t) =>
            {
                for (var j = 0; j < span.Length; j++) span[j] = char.ToLowerInvariant(t[j]);
            });
        }
        var decomposed = UnicodeText.Normalize(token.ToString(), NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    /// <summary>Every phrase instance in <paramref name="tokens"/>, as token ranges [First, Last], merged where they overlap, in order.</summary>
    private List<(int First, int Last, int Phrase)> Instances(List<Token> tokens)
    {
        var found = new List<(int First, int Last, int Phrase)>();
        for (var p = 0; p < _phrases.Count; p++)
        {
            var (terms, prefix) = _phrases[p];
            for (var i = 0; i + terms.Length <= tokens.Count; i++)
            {
                var all = true;
                for (var k = 0; k < terms.Length && all; k++)
                {
                    var term = tokens[i + k].Term;
                    all = term is not null && (prefix && k == terms.Length - 1 ? term.StartsWith(terms[k], StringComparison.Ordinal) : term == terms[k]);
                }
                if (all) found.Add((i, i + terms.Length - 1, p));
            }
        }
        found.Sort((a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
        return found;
    }

    /// <summary><paramref name="text"/> with every match between <see cref="SearchText.MarkStart"/> and <see cref="SearchText.MarkEnd"/>.</summary>
    public string Highlight(string text)
    {
        var tokens = Tokenize(text, _initials);
        return Marked(text, tokens, Instances(tokens), 0, tokens.Count, 0, text.Length);
    }

    /// <summary>
    /// A passage of <paramref name="text"/> of at most <see cref="SnippetTokens"/> tokens with its matches marked and '…'
    /// where text was left out, chosen as FTS5's snippet() chooses it: each match scores a window (1,000 for each phrase
    /// it holds, 1 for each repeat), its matches centred in it; a window that starts the sentence before the match instead
    /// gains 100 (120 at the text's start); the best window wins, the earliest among equals. The opening tokens when
    /// nothing matches.
    /// </summary>
    public string Snippet(string text)
    {
        var tokens = Tokenize(text, _initials);
        if (tokens.Count == 0) return "";
        var instances = Instances(tokens);
        instances.Sort((a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Phrase.CompareTo(b.Phrase));
        var sentences = SentenceStarts(text, tokens);
        int bestScore = 0, bestStart = 0;
        var seen = new HashSet<int>();
        (int Score, int Start) Score(int from)
        {
            seen.Clear();
            int score = 0, firstHit = -1, lastHit = 0;
            foreach (var x in instances)
            {
                if (x.First < from || x.First >= from + SnippetTokens) continue;
                score += seen.Add(x.Phrase) ? 1000 : 1;
                if (firstHit < 0) firstHit = x.First;
                lastHit = x.Last + 1;
            }
            var start = firstHit - (SnippetTokens - (lastHit - firstHit)) / 2;
            if (start + SnippetTokens > tokens.Count) start = tokens.Count - SnippetTokens;
            return (score, Math.Max(0, start));
        }
        foreach (var x in instances)
        {
            var (score, start) = Score(x.First);
            if (score > bestScore) (bestScore, bestStart) = (score, start);
            if (tokens.Count <= SnippetTokens) continue;
            var s = 0;
            while (s < sentences.Count - 1 && sentences[s + 1] <= x.First) s++;
            if (sentences[s] >= x.First) continue;
            score = Score(sentences[s]).Score + (sentences[s] == 0 ? 120 : 100);
            if (score > bestScore) (bestScore, bestStart) = (score, sentences[s]);
        }
        var end = Math.Min(tokens.Count, bestStart + SnippetTokens);
        var from = bestStart == 0 ? 0 : tokens[bestStart].Start;
        var to = end == tokens.Count ? text.Length : tokens[end - 1].End;
        // A match that starts before the window is left unmarked; one that runs past its end is marked to the end.
        var body = Marked(text, tokens, instances.Where(x => x.First >= bestStart).OrderBy(x => x.First).ThenBy(x => x.Last).ToList(), bestStart, end, from, to);
        return (bestStart > 0 ? "…" : "") + body + (end < tokens.Count ? "…" : "");
    }

    /// <summary>The tokens that start a sentence: the first, and each after a '.' or ':' and white space.</summary>
    private static List<int> SentenceStarts(string text, List<Token> tokens)
    {
        var starts = new List<int> { 0 };
        for (var t = 1; t < tokens.Count; t++)
        {
            var i = tokens[t].Start - 1;
            while (i >= 0 && text[i] is ' ' or '\t' or '\n' or '\r') i--;
            if (i >= 0 && i != tokens[t].Start - 1 && text[i] is '.' or ':') starts.Add(t);
        }
        return starts;
    }

    /// <summary>text[from..to) with the instances inside tokens [first, end) marked (an instance crossing an edge is cut at it).</summary>
    private static string Marked(string text, List<Token> tokens, List<(int First, int Last, int Phrase)> instances, int first, int end, int from, int to)
    {
        var sb = new StringBuilder(to - from + 16);
        var at = from;
        var i = 0;
        while (i < instances.Count)
        {
            var a = Math.Max(first, instances[i].First);
            var b = Math.Min(end - 1, instances[i].Last);
            // Overlapping or touching instances are one mark, as FTS5 gives them.
            while (++i < instances.Count && instances[i].First <= b) b = Math.Max(b, Math.Min(end - 1, instances[i].Last));
            if (a > b) continue;
            sb.Append(text, at, tokens[a].Start - at).Append(SearchText.MarkStart)
              .Append(text, tokens[a].Start, tokens[b].End - tokens[a].Start).Append(SearchText.MarkEnd);
            at = tokens[b].End;
        }
        sb.Append(text, at, to - at);
        return sb.ToString();
    }
}
