using System.Globalization;
using System.Text;

namespace PaperCatalog.Shape;

/// <summary>
/// Affiliation cells as the lists write them ("UC Berkeley, Stanford etc") read as names, and names that differ only in
/// case, spacing, accents or punctuation ("UC-Berkeley", "uc  berkeley") counted as one.
/// </summary>
public static class Affiliations
{
    private static readonly char[] Separators = [',', ';', '\n', '|'];

    /// <summary>What curators append to say the list of names goes on; it names nobody.</summary>
    private static readonly string[] Trailers = ["etc.", "etc", "et al.", "et al", "and others"];

    /// <summary>The names in one cell, in order, each once (by <see cref="Key"/>), without "etc".</summary>
    public static IReadOnlyList<string> Split(string? cell)
    {
        if (string.IsNullOrWhiteSpace(cell)) return [];
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in cell.Split(Separators))
        {
            var name = string.Join(' ', part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            foreach (var trailer in Trailers)
            {
                if (name.Equals(trailer, StringComparison.OrdinalIgnoreCase)) name = "";
                else if (name.EndsWith(" " + trailer, StringComparison.OrdinalIgnoreCase)) name = name[..^(trailer.Length + 1)].TrimEnd();
            }
            name = name.Trim().TrimEnd('.').Trim();
            if (Key(name) is { Length: > 0 } key && seen.Add(key)) names.Add(name);
        }
        return names;
    }

    /// <summary>
    /// The name folded for counting: lower case, accents and punctuation gone, spaces collapsed. "Université Paris-Saclay"
    /// and "universite paris saclay" are one, so are "Meta FAIR" and "Meta F.A.I.R."; "Texas A&amp;M" keeps its letters
    /// ("texas a m").
    /// </summary>
    public static string Key(string name)
    {
        var sb = new StringBuilder(name.Length);
        var space = false;
        foreach (var c in UnicodeText.Normalize(name, NormalizationForm.FormKD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            // Dots and apostrophes join ("F.A.I.R.", "King's"); any other mark separates words ("UC-Berkeley").
            if (c is '.' or '\'' or '\u2019') continue;
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else space = true;
        }
        return sb.ToString();
    }
}
