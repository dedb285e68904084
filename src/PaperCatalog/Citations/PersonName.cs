namespace PaperCatalog.Citations;

/// <summary>
/// An author's name as the catalog stores it (one line of the authors field: "Ada Lovelace", "Hopper, Grace"), split
/// the way citation formats want it. A name with a comma is "Family, Given"; otherwise the last word is the family
/// name. A single word (a group, a name in a script without spaces) has no given name.
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
        var space = text.LastIndexOf(' ');
        return space > 0 ? new PersonName(text[(space + 1)..], text[..space].TrimEnd()) : new PersonName(text, null);
    }
}
