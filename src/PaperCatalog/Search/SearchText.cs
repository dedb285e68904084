using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperCatalog.Search;

/// <summary>
/// Text as the search index reads it, and back as a reader sees it. The FTS5 tokenizer (unicode61) splits on
/// spaces and punctuation only, so two things are split here before indexing, with U+200B (a separator to the
/// tokenizer, invisible to a reader): CamelCase words ("Smooth|Quant", so <c>quant</c> finds SmoothQuant) and
/// every character of scripts written without spaces (Chinese, Japanese, Thai, …), so a phrase of characters is
/// a substring search.
/// </summary>
public static partial class SearchText
{
    /// <summary>Punctuation that sticks to a word's edges in running text ("(SmoothQuant)," is SmoothQuant).</summary>
    public static readonly char[] WordEdges = [',', '.', ':', ';', '(', ')', '[', ']', '!', '?', '"', '\'', '*'];

    /// <summary>The invisible separator inserted before indexing and removed before display.</summary>
    public const char Split = '\u200B';

    /// <summary>Marks put around matches by FTS5's highlight() and snippet(); control characters, never stored.</summary>
    public const char MarkStart = '\u0002', MarkEnd = '\u0003';

    /// <summary>The text with control characters dropped and CamelCase and no-space scripts split.</summary>
    public static string ForIndex(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                sb.Append(' ');
                continue;
            }
            // Split before and after each character of a no-space script, a character being a code point: never between
            // the halves of a surrogate pair (an astral ideograph split there was indexed as two U+FFFDs).
            if (i > 0 && !(char.IsLowSurrogate(c) && char.IsHighSurrogate(text[i - 1])) &&
                (IsCamelBoundary(text, i) || IsNoSpaceScript(text, i) || IsNoSpaceScript(text, StartOfCharBefore(text, i))))
                sb.Append(Split);
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The space-separated chunks of <paramref name="texts"/> that hold a CamelCase word, unsplit
    /// ("FlashAttention-2"), so the word typed whole (<c>flashattention-2</c>) matches as well as its parts.
    /// </summary>
    public static string Aliases(IEnumerable<string?> texts)
    {
        var chunks = new List<string>();
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text)) continue;
            foreach (var raw in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var chunk = raw.Trim(WordEdges);
                for (var j = 1; j < chunk.Length; j++)
                {
                    if (!IsCamelBoundary(chunk, j)) continue;
                    chunks.Add(chunk);
                    break;
                }
            }
        }
        return string.Join(", ", chunks.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"[\p{L}\p{M}\p{Nd}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRun();

    /// <summary>
    /// The CamelCase words among <paramref name="aliases"/> (the index's alias column), by their folded spelling:
    /// "flashattention" is FlashAttention. The index splits a CamelCase word by its capitals, which a query typed in
    /// lowercase does not have; this gives them back.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CamelWords(IEnumerable<string> aliases)
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var alias in aliases)
            foreach (Match run in WordRun().Matches(alias))
                if (IsCamelCase(run.Value)) words.TryAdd(Fold(run.Value), run.Value);
        return words;
    }

    /// <summary>A typed word with each run of letters the catalog writes in CamelCase in the catalog's spelling.</summary>
    public static string Respell(string word, IReadOnlyDictionary<string, string>? camelWords) =>
        camelWords is null || camelWords.Count == 0 ? word :
            WordRun().Replace(word, m => camelWords.TryGetValue(Fold(m.Value), out var spelled) ? spelled : m.Value);

    /// <summary>True when <paramref name="word"/> has a CamelCase step ("SmoothQuant", not "LoRA").</summary>
    public static bool IsCamelCase(string word)
    {
        for (var j = 1; j < word.Length; j++)
            if (IsCamelBoundary(word, j)) return true;
        return false;
    }

    /// <summary>
    /// A lowercase-to-uppercase step that starts a capitalised word ("SmoothQuant", "HydraLoRA" at "Lo"), or the
    /// last capital of an acronym before one ("LLMInference" at "In"); not inside acronyms such as "LoRA" or "vLLM".
    /// </summary>
    private static bool IsCamelBoundary(string text, int i)
    {
        if (i + 1 >= text.Length || !char.IsUpper(text[i]) || !char.IsLower(text[i + 1])) return false;
        var before = text[i - 1];
        return char.IsLower(before) || (char.IsUpper(before) && i >= 2 && char.IsUpper(text[i - 2]));
    }

    /// <summary>Where the character that ends just before <paramref name="i"/> starts (one back, or two for a surrogate pair).</summary>
    private static int StartOfCharBefore(string text, int i) =>
        i >= 2 && char.IsLowSurrogate(text[i - 1]) && char.IsHighSurrogate(text[i - 2]) ? i - 2 : i - 1;

    /// <summary>True for characters of scripts written without spaces between words.</summary>
    public static bool IsNoSpaceScript(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            var cp = char.ConvertToUtf32(c, text[i + 1]);
            return cp is >= 0x20000 and <= 0x3FFFF; // CJK extension planes
        }
        if (char.IsLowSurrogate(c)) return false;
        return c is >= '\u3040' and <= '\u30FF' // Hiragana, Katakana
            or >= '\u3400' and <= '\u4DBF' // CJK extension A
            or >= '\u4E00' and <= '\u9FFF' // CJK unified ideographs
            or >= '\uF900' and <= '\uFAFF' // CJK compatibility ideographs
            or >= '\u31F0' and <= '\u31FF' // Katakana phonetic extensions
            or >= '\uFF66' and <= '\uFF9F' // half-width Katakana
            or >= '\u0E00' and <= '\u0EFF' // Thai, Lao
            or >= '\u1000' and <= '\u109F' // Myanmar
            or >= '\u1780' and <= '\u17FF'; // Khmer
    }

    /// <summary>
    /// HTML for text that FTS5 marked with <see cref="MarkStart"/>/<see cref="MarkEnd"/>: everything encoded,
    /// matches in <c>&lt;mark&gt;</c>, the index's separators removed.
    /// </summary>
    public static string ToMarkedHtml(string marked)
    {
        var sb = new StringBuilder(marked.Length + 32);
        var plain = new StringBuilder();
        var open = false;
        foreach (var c in marked)
        {
            if (c is MarkStart or MarkEnd)
            {
                sb.Append(WebUtility.HtmlEncode(plain.ToString()));
                plain.Clear();
                if (c == MarkStart && !open) { sb.Append("<mark>"); open = true; }
                else if (c == MarkEnd && open) { sb.Append("</mark>"); open = false; }
                continue;
            }
            if (c == Split) continue;
            plain.Append(c);
        }
        sb.Append(WebUtility.HtmlEncode(plain.ToString()));
        if (open) sb.Append("</mark>");
        // Adjacent marks (each CJK character is its own token) read better as one.
        return sb.Replace("</mark><mark>", "").ToString();
    }

    /// <summary>
    /// The opening of indexed text (an intro as plain text, math left out) as a reader sees it, spaces folded, cut at a
    /// word to at most <paramref name="max"/> characters with an ellipsis for the rest.
    /// </summary>
    public static string Excerpt(string indexed, int max)
    {
        var text = string.Join(' ', ToPlain(indexed).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        if (cut < max / 2) cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..cut].TrimEnd(WordEdges).TrimEnd() + "…";
    }

    /// <summary>Text with the index's separators and marks removed.</summary>
    public static string ToPlain(string text) =>
        text.Replace(Split.ToString(), "", StringComparison.Ordinal)
            .Replace(MarkStart.ToString(), "", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "", StringComparison.Ordinal);

    /// <summary>Folds a word for comparing spellings: lowercase, no accents.</summary>
    public static string Fold(string word)
    {
        var decomposed = UnicodeText.Normalize(word, NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
