namespace PaperCatalog.Citations;

/// <summary>
/// An author's name as the catalog stores it (one line of the authors field: "Ada Lovelace", "Hopper, Grace"), split
/// the way citation formats want it. A name with a comma is "Family, Given"; otherwise the family name is the last
/// word, with any lowercase particles before it ("Michiel de Jong" is "de Jong"). A single word (a group, a name in a
/// script without spaces) has no given name.
/// </summary>
public readonly record struct PersonName(string Family, string? Given)
{
    public static PersonName Parse(string name)
    {
        var text = name.Trim();
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            var given = text[(comma + 1)..].Trim();
            return new PersonName(text[..comma].Trim(), given.Length == 0 ? null : given);
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2) return new PersonName(text, null);
        var family = words.Length - 1;
        while (family > 1 && words[family - 1] is [var c, ..] && char.IsLower(c)) family--;
        return new PersonName(string.Join(' ', words[family..]), string.Join(' ', words[..family]));
    }
}
