using System.Text;

namespace PaperCatalog.Testing;

/// <summary>A BibTeX entry as read back: type, key and fields (names lowercased, values as written).</summary>
public sealed record BibEntry(string Type, string Key, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// A small, strict BibTeX reader for the tests: entries <c>@type{key, name = {value} | "value" | number | macro, ...}</c>
/// with nested braces, and the reverse of LaTeX's escapes, so an exported field can be compared with what was stored.
/// Anything it does not expect (unbalanced braces, a missing comma or equals sign) throws, naming the place.
/// </summary>
public static class BibTexParser
{
    public static List<BibEntry> Parse(string text)
    {
        var entries = new List<BibEntry>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] != '@')
            {
                if (!char.IsWhiteSpace(text[i])) throw new FormatException($"text outside an entry at {i}: '{text[i]}'");
                i++;
            }
            if (i >= text.Length) return entries;
            i++;
            var type = Word(text, ref i).ToLowerInvariant();
            Expect(text, ref i, '{');
            var key = Word(text, ref i);
            if (key.Length == 0) throw new FormatException($"entry without a key at {i}");
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace(text, ref i);
                if (text[i] == '}') { i++; break; }
                Expect(text, ref i, ',');
                SkipSpace(text, ref i);
                if (text[i] == '}') { i++; break; }
                var name = Word(text, ref i).ToLowerInvariant();
                Expect(text, ref i, '=');
                SkipSpace(text, ref i);
                var value = text[i] switch
                {
                    '{' => Braced(text, ref i),
                    '"' => Quoted(text, ref i),
                    _ => Word(text, ref i),
                };
                if (!fields.TryAdd(name, value)) throw new FormatException($"field '{name}' twice in {key}");
            }
            entries.Add(new BibEntry(type, key, fields));
        }
    }

    private static string Word(string text, ref int i)
    {
        SkipSpace(text, ref i);
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' or ':' or '.')) i++;
        return text[start..i];
    }

    private static string Braced(string text, ref int i)
    {
        var depth = 0;
        var start = i + 1;
        for (; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[start..i++];
        }
        throw new FormatException($"unbalanced braces from {start}");
    }

    private static string Quoted(string text, ref int i)
    {
        var start = ++i;
        var depth = 0;
        for (; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '{') depth++;
            else if (text[i] == '}') depth--;
            else if (text[i] == '"' && depth == 0) return text[start..i++];
        }
        throw new FormatException($"unterminated string from {start}");
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
    }

    private static void Expect(string text, ref int i, char c)
    {
        SkipSpace(text, ref i);
        if (i >= text.Length || text[i] != c) throw new FormatException($"expected '{c}' at {i}, found '{(i < text.Length ? text[i] : '∅')}'");
        i++;
    }

    /// <summary>A field's value as text: LaTeX's escapes undone and grouping braces dropped.</summary>
    public static string Text(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                var rest = value[(i + 1)..];
                var named = new[] { ("textbackslash{}", '\\'), ("textasciitilde{}", '~'), ("textasciicircum{}", '^') }
                    .FirstOrDefault(n => rest.StartsWith(n.Item1, StringComparison.Ordinal));
                if (named.Item1 is not null)
                {
                    sb.Append(named.Item2);
                    i += named.Item1.Length;
                }
                else if (rest.Length > 0 && "&%$#_{}".Contains(rest[0]))
                {
                    sb.Append(rest[0]);
                    i++;
                }
                else throw new FormatException($"unknown escape at {i} in '{value}'");
            }
            else if (c is '{' or '}') { }
            else if (c is '&' or '%' or '$' or '#' or '_' or '~' or '^') throw new FormatException($"unescaped '{c}' at {i} in '{value}'");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
