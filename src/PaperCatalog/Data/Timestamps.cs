using System.Globalization;

namespace PaperCatalog.Data;

/// <summary>How the store writes a moment: UTC, ISO 8601, to the second ("2026-11-28T21:06:40Z"); sorts as text.</summary>
public static class Timestamps
{
    public static string Now(TimeProvider clock) => Of(clock.GetUtcNow());

    public static string Of(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string stored) =>
        DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
