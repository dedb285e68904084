using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperCatalog;

/// <summary>
/// The catalog's one rule for dates. A paper's month is written <c>YYYY.MM</c> (read also as <c>YYYY-MM</c>, <c>YYYY/M</c>);
/// every year the catalog accepts, in a list, a form, a topic's citation date or a search filter, lies between
/// <see cref="FirstYear"/> and <see cref="LastYear"/>. Forms, which know today's date, also refuse the future.
/// </summary>
public static partial class PaperDates
{
    /// <summary>No paper in any list is older; an earlier year is a typo ("1024.07").</summary>
    public const int FirstYear = 1900;

    /// <summary>The latest year text read without a clock (a list) may carry; a later one is a typo ("2204.07").</summary>
    public const int LastYear = 2200;

    /// <summary>True when <paramref name="year"/> is one the catalog accepts.</summary>
    public static bool InRange(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>The month in <paramref name="text"/> normalised to <c>YYYY.MM</c>, or null when it is none (or out of range).</summary>
    public static string? Month(string? text) =>
        MonthStart(text) is { } d ? d.ToString("yyyy.MM", CultureInfo.InvariantCulture) : null;

    /// <summary>The first day of the month in <paramref name="text"/>, or null.</summary>
    public static DateOnly? MonthStart(string? text)
    {
        var m = MonthRegex().Match((text ?? "").Trim());
        if (!m.Success) return null;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && InRange(year) ? new DateOnly(year, month, 1) : null;
    }

    /// <summary>What is wrong with a paper's month as typed into a form on <paramref name="today"/>, or null when it is fine.</summary>
    public static string? MonthProblem(string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text)) return "Enter the date the paper came out, as YYYY.MM (for example 2024.07).";
        var m = MonthRegex().Match(text.Trim());
        if (!m.Success || int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is < 1 or > 12) return "Write the date as YYYY.MM, for example 2024.07.";
        var date = MonthStart(text);
        return date is null || date > new DateOnly(today.Year, today.Month, 1)
            ? $"The date must be between {FirstYear}.01 and this month ({today:yyyy.MM})."
            : null;
    }

    /// <summary>A day written <c>YYYY-MM-DD</c> in the catalog's years and not after <paramref name="today"/>, or null.</summary>
    public static DateOnly? PastDay(string? text, DateOnly today) =>
        DateOnly.TryParseExact((text ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && InRange(d.Year) && d <= today
            ? d : null;

    // [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٣"), which int.Parse does not read.
    [GeneratedRegex(@"^([0-9]{4})[.\-/]([0-9]{1,2})$")]
    private static partial Regex MonthRegex();
}
