using System.Text;

namespace PaperCatalog;

/// <summary>Unicode normalization that takes any string a reader, a form or a list can carry.</summary>
public static class UnicodeText
{
    /// <summary>
    /// <paramref name="text"/> in <paramref name="form"/>. .NET's normalization throws on a lone surrogate and on U+FFFE,
    /// both of which a query string, a form field or a list file can hold; those become U+FFFD (the replacement
    /// character) first. Text that normalization still refuses is returned mended but not normalized, never an error.
    /// </summary>
    public static string Normalize(string text, NormalizationForm form)
    {
        try
        {
            return text.Normalize(form);
        }
        catch (ArgumentException)
        {
            var mended = Mend(text);
            try
            {
                return mended.Normalize(form);
            }
            catch (ArgumentException)
            {
                return mended;
            }
        }
    }

    /// <summary>Lone surrogates and the noncharacters U+FFFE and U+FFFF replaced by U+FFFD.</summary>
    public static string Mend(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }
            sb.Append(char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' ? '\uFFFD' : c);
        }
        return sb.ToString();
    }
}
