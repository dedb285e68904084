using System.Globalization;

namespace PaperCatalog.Web.Pages;

/// <summary>How dates, long texts and links read on the site.</summary>
public static class Format
{
    /// <summary>"2024-07-28" reads as "28 July 2024".</summary>
    public static string Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
            : iso ?? "";

    /// <summary>At most <paramref name="max"/> characters, an ellipsis standing for the rest (lists stay small however long a field is).</summary>
    public static string Clip(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] + "…";

    /// <summary>A link as a list shows it: without its scheme, clipped.</summary>
    public static string ShortLink(string link) =>
        Clip(link.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? link[8..] : link.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? link[7..] : link, 80);
}
