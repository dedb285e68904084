using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>
/// Takes away what curators decorate rows and headings with: emoji (🔥, ⭐️, 📖, ⚠️ and their modifiers), badge images
/// (<c>![](https://img.shields.io/...)</c>, <c>&lt;img&gt;</c>) and "back to top" links. The words stay.
/// </summary>
public static partial class ListDecorations
{
    public static string Strip(string text)
    {
        if (IsPlainAscii(text)) return text.Contains("![", StringComparison.Ordinal) ? ImageRegex().Replace(text, "") : text;
        var noImages = ImageRegex().Replace(text, "");
        var sb = new StringBuilder(noImages.Length);
        for (var i = 0; i < noImages.Length; i++)
        {
            var c = noImages[i];
            var category = CharUnicodeInfo.GetUnicodeCategory(noImages, i);
            var width = char.IsHighSurrogate(c) && i + 1 < noImages.Length ? 2 : 1;
            var decoration = category == UnicodeCategory.OtherSymbol
                             || (category == UnicodeCategory.ModifierSymbol && c > 127)
                             || c is '\uFE0F' or '\uFE0E' or '\u200D' or '\u20E3';
            if (!decoration) sb.Append(noImages, i, width);
            i += width - 1;
        }
        return sb.ToString();
    }

    private static bool IsPlainAscii(string text)
    {
        foreach (var c in text) if (c > 127) return false;
        return true;
    }

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex ImageRegex();
}
