using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace PaperCatalog.Web.Pages;

/// <summary>
/// How dates, long texts and links read on the site. Each kind of date has one human format, always inside a
/// <c>&lt;time datetime&gt;</c> a machine reads: a paper's month ("Nov 2022"), a day ("28 Jul 2024") and a moment
/// ("1 Dec 2026, 09:51 UTC").
/// </summary>
public static class Format
{
    private const string DayFormat = "d MMM yyyy";

    /// <summary>"2024-07-28" reads as "28 Jul 2024".</summary>
    public static string Date(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString(DayFormat, CultureInfo.InvariantCulture)
            : iso ?? "";

    /// <summary>A day (<c>YYYY-MM-DD</c>, a topic's citation date) as a <c>&lt;time&gt;</c>; empty for none.</summary>
    public static IHtmlContent DayTime(string? iso) => iso is null ? HtmlString.Empty : Time(iso, Date(iso));

    /// <summary>"2022.11" (a paper's month, <see cref="PaperDates"/>) reads as "Nov 2022".</summary>
    public static string Month(string? published) =>
        PaperDates.MonthStart(published) is { } d ? d.ToString("MMM yyyy", CultureInfo.InvariantCulture) : published ?? "";

    /// <summary>A paper's month as a <c>&lt;time datetime="2022-11"&gt;</c>; empty for none.</summary>
    public static IHtmlContent MonthTime(string? published) =>
        published is null ? HtmlString.Empty
        : PaperDates.MonthStart(published) is { } d ? Time(d.ToString("yyyy-MM", CultureInfo.InvariantCulture), Month(published))
        : new HtmlString(HtmlEncoder.Default.Encode(published));

    /// <summary>A stored moment (ISO 8601 UTC, "2026-12-01T09:51:00Z") as "1 Dec 2026, 09:51 UTC" in a <c>&lt;time&gt;</c>.</summary>
    public static IHtmlContent MomentTime(string? iso) =>
        iso is null ? HtmlString.Empty
        : DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Time(iso, at.ToUniversalTime().ToString(DayFormat + ", HH:mm 'UTC'", CultureInfo.InvariantCulture))
            : new HtmlString(HtmlEncoder.Default.Encode(iso));

    private static HtmlString Time(string machine, string human) =>
        new($"<time datetime=\"{HtmlEncoder.Default.Encode(machine)}\">{HtmlEncoder.Default.Encode(human)}</time>");

    /// <summary>At most <paramref name="max"/> characters, an ellipsis standing for the rest (lists stay small however long a field is).</summary>
    public static string Clip(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] + "…";

    /// <summary>A link as a list shows it: without its scheme, clipped.</summary>
    public static string ShortLink(string link) =>
        Clip(link.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? link[8..] : link.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? link[7..] : link, 80);
}
