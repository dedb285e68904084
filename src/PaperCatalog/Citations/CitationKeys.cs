using System.Text;

namespace PaperCatalog.Citations;

/// <summary>
/// Citation keys in the usual "surname, year, first word of the title" shape (<c>dao2022flashattention</c>), from stored
/// fields only, so a re-import of the same list gives every paper the same key. Papers that share a key are told apart
/// in the order they joined the catalog (then by slug): the first keeps the plain key, later ones get b, c, ... so a
/// paper added later never takes an existing paper's key.
/// </summary>
public static class CitationKeys
{
    /// <summary>What a paper's key is made from.</summary>
    public sealed record Basis
    {
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Authors { get; init; }
        public string? Published { get; init; }
        public string AddedAt { get; init; } = "";
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "by", "is", "are", "at", "from", "towards", "toward",
    };

    /// <summary>The key of every paper, by slug.</summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<Basis> papers) =>
        Assign(papers.Select(p => new Stored(p.Slug, Of(p), p.AddedAt)));

    /// <summary>A paper's key before it is told apart (<see cref="Of(Basis)"/>, stored with the paper) and when it joined.</summary>
    public sealed record Stored(string Slug, string Base, string AddedAt);

    /// <summary>
    /// The key of every paper given, by slug, from the keys before they are told apart. Groups are told apart in the
    /// order of their plain keys, so the answer does not depend on the order papers are given in; and given only the
    /// papers whose plain key starts with one paper's (what <c>CitationQueries</c> reads), that paper gets the key the
    /// whole catalog gives it, because its suffixed key can only meet a key that starts with the same letters. (Only a
    /// shorter plain key shared by more than 25 papers could reach it, through its two-letter suffixes "zb", "zc"...)
    /// </summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<Stored> papers)
    {
        var bases = papers as IReadOnlyCollection<Stored> ?? papers.ToList();
        var taken = new HashSet<string>(bases.Select(b => b.Base), StringComparer.Ordinal);
        var keys = new Dictionary<string, string>(bases.Count, StringComparer.Ordinal);
        foreach (var group in bases.GroupBy(b => b.Base, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var suffix = 'a';
            var first = true;
            foreach (var paper in group.OrderBy(b => b.AddedAt, StringComparer.Ordinal).ThenBy(b => b.Slug, StringComparer.Ordinal))
            {
                if (first)
                {
                    keys[paper.Slug] = paper.Base;
                    first = false;
                    continue;
                }
                string candidate;
                do candidate = paper.Base + Letters(++suffix); while (!taken.Add(candidate));
                keys[paper.Slug] = candidate;
            }
        }
        return keys;
    }

    // b..z, then ba, bb, ... (a is the plain key's place), so a key never runs out of suffixes.
    private static string Letters(char n) => n <= 'z' ? n.ToString() : "z" + Letters((char)(n - 25));

    /// <summary>The key before duplicates are told apart: ASCII letters and digits only, so every BibTeX tool reads it.</summary>
    public static string Of(Basis paper) =>
        Of(paper.Title, paper.Authors?.Split('\n') ?? [], paper.Published);

    /// <summary>The key before duplicates are told apart, from a paper's title, authors and date.</summary>
    public static string Of(string title, IEnumerable<string> authors, string? published)
    {
        var firstAuthor = authors.Select(a => a.Trim()).FirstOrDefault(a => a.Length > 0);
        var surname = firstAuthor is null ? "" : Ascii(PersonName.Parse(firstAuthor).Family);
        var year = PaperDates.MonthStart(published)?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        var words = Slugs.ForTitle(title).Split('-').Select(Ascii).Where(w => w.Length > 0).ToList();
        var word = words.FirstOrDefault(w => !StopWords.Contains(w)) ?? words.FirstOrDefault() ?? "";
        if (surname.Length + word.Length > 0) return surname + year + word;
        // A title and authors in a script without ASCII letters: "paper" and the year.
        return "paper" + year;
    }

    private static string Ascii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in Slugs.From(text, int.MaxValue))
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
        return sb.ToString();
    }
}
