using System.Globalization;

namespace PaperCatalog.Web.Pages;

/// <summary>How dates read on the site.</summary>
public static class Format
{
    /// <summary>"2024-07-28" reads as "28 July 2024".</summary>
    public static string Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
            : iso ?? "";
}
