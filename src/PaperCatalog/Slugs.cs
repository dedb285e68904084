using System.Globalization;
using System.Text;

namespace PaperCatalog;

/// <summary>URL slugs for topics, papers and keywords, in any script.</summary>
public static class Slugs
{
    /// <summary>
    /// Lowercases, drops accents, keeps letters and digits of every script, and joins the rest with single
    /// hyphens: <c>"LLM.int8()"</c> becomes <c>llm-int8</c>, <c>"注意力 机制"</c> stays readable.
    /// </summary>
    public static string From(string text, int maxLength = 80)
    {
        // ASCII needs no decomposition; the rest is decomposed so accents can be dropped.
        var decomposed = System.Text.Ascii.IsValid(text) ? text : UnicodeText.Normalize(text, NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingHyphen = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                if (pendingHyphen && sb.Length > 0) sb.Append('-');
                pendingHyphen = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (c != '\'' && c != '\u2019')
            {
                pendingHyphen = true;
            }
        }
        var slug = sb.ToString();
        if (slug.Length > maxLength)
        {
            var cut = slug.LastIndexOf('-', maxLength);
            slug = cut > maxLength / 2 ? slug[..cut] : slug[..maxLength].TrimEnd('-');
        }
        return slug;
    }

    /// <summary>
    /// A paper's slug: the short name before a title's colon when there is one ("GQA: Training …" is
    /// <c>gqa</c>), else the whole title.
    /// </summary>
    public static string ForTitle(string title)
    {
        var colon = title.IndexOf(": ", StringComparison.Ordinal);
        var head = colon >= 2 ? From(title[..colon]) : "";
        var slug = head.Length >= 2 ? head : From(title);
        return slug.Length == 0 ? "paper" : slug;
    }

    /// <summary>A title folded for matching the same paper across imports (case, spacing, punctuation).</summary>
    public static string TitleKey(string title) => From(title, int.MaxValue);
}
