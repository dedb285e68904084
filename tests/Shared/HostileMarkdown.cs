using System.Globalization;
using System.Text;

namespace PaperCatalog.Testing;

/// <summary>One hostile Markdown input: a name for reports and the text.</summary>
public sealed record HostileShape(string Name, string Markdown)
{
    public override string ToString() => Name;
}

/// <summary>
/// Markdown shaped to make a renderer do the most work per byte, each at the intro limit (64 KB of UTF-8):
/// tables that multiply into cells, one long reference URL used again and again, nesting, runs of emphasis that
/// never close, long lists, many links, long lines, many headings, footnotes, math. The benchmark renders each
/// one, the renderer tests require each to be accepted or refused within the budget, and the importer and HTTP
/// fuzz tests send them as intros. This file is linked into every project that uses it (tests/Shared).
/// </summary>
public static class HostileMarkdown
{
    /// <summary>The size every shape is filled to: the intro limit.</summary>
    public const int Bytes = 64 * 1024;

    /// <summary>The reproductions, at their original sizes.</summary>
    public static IReadOnlyList<HostileShape> Reproductions { get; } =
    [
        // A header of 1,000 cells, then 1,000 lines of "|": Markdig pads every row to a million cells.
        new("table bomb (issue)", "|" + Repeat("a|", 1000) + "\n|" + Repeat("-|", 1000) + "\n" + Repeat("|\n", 1000)),
        // One 8 KB reference URL used 5,000 times: a 40 MB answer.
        new("reference bomb (issue)", "[r]: https://example.org/" + new string('a', 8 * 1024) + "\n\n" + Repeat("[r] ", 5000)),
        new("128 nested quotes (issue)", new string('>', 128) + " deep"),
        new("128 nested brackets (issue)", new string('[', 128) + "deep"),
        new("255 stars (issue)", new string('*', 255) + "deep" + new string('*', 255)),
    ];

    /// <summary>Every shape, each filled to <see cref="Bytes"/>.</summary>
    public static IReadOnlyList<HostileShape> All { get; } = Build();

    private static List<HostileShape> Build() =>
    [
        new("table: wide header, empty rows", Table(columns: 1000, "|\n")),
        new("table: 4 columns, many rows", Table(columns: 4, "| a | b | c | d |\n")),
        new("table: 64 columns, many rows", Table(columns: 64, Repeat("|a", 64) + "|\n")),
        new("tables: many small", Fill("| a | b |\n|---|---|\n| c | d |\n\n")),
        new("reference: long URL used again and again", ReferenceBomb()),
        new("references: many definitions", Fill(i => $"[r{i}]: https://example.org/{i}\n")),
        new("nesting: quotes", Fill(new string('>', 200) + " x\n")),
        new("nesting: one deep quote", new string('>', Bytes - 2) + " x"),
        new("nesting: lists", Fill(i => new string(' ', i % 64 * 2) + "- x\n")),
        new("nesting: brackets", Fill("[")),
        new("nesting: images in links", Fill("[![")),
        new("nesting: parentheses in link destinations", Fill("[a](")),
        new("emphasis: openers that never close", Fill("*a ")),
        new("emphasis: closers that never open", Fill("a* ")),
        new("emphasis: underscores", Fill("_a_b ")),
        new("emphasis: mixed extras", Fill("~~a ==b ^c ++d ~e ")),
        new("emphasis: balanced runs", Fill("*a* **b** ")),
        new("emphasis: open marks over many lines", Repeat("*a ", 390) + "\n" + Fill("b\n", Bytes - 1200)),
        new("emphasis: paragraphs at the mark limit", Repeat(Repeat("*a ", 390) + "\n\n", 20) + Fill("plain words and more plain words\n\n", Bytes - 20 * 1172)),
        new("emphasis: one run of stars", new string('*', Bytes / 2) + "x" + new string('*', Bytes / 2 - 1)),
        new("list: many items", Fill("- a\n")),
        new("list: many ordered items", Fill(i => $"{i % 1000000}. a\n")),
        new("list: task items", Fill("- [x] a\n")),
        new("links: many inline", Fill("[a](https://example.org/) ")),
        new("links: many autolinks", Fill("www.example.org ")),
        new("links: many angle autolinks", Fill("<https://example.org> ")),
        new("links: many fragment links", Fill("[a](#core-idea) ")),
        new("images: many", Fill("![a](x.png) ")),
        new("line: one long line", Fill("abcdefgh ")),
        new("line: one long word", new string('w', Bytes)),
        new("headings: all the same", Fill("# a\n")),
        new("headings: all different", Fill(i => $"## h{i}\n")),
        new("headings: setext", Fill("a\n=\n")),
        new("footnotes: one note referenced again and again", "[^1]: a note\n\n" + Fill("[^1] ", Bytes - 16)),
        new("footnotes: many notes", Fill(i => $"[^{i}] [^{i}]: n\n\n")),
        new("math: many inline formulas", Fill("$a$ ")),
        new("math: one long block", "$$\n" + Fill("x^2 + ", Bytes - 8) + "\n$$"),
        new("code: many backticks", Fill("`a ")),
        new("code: many fences", Fill("```x\ny\n```\n")),
        new("code: info strings with classes", Fill("```x&#32;site-header\ny\n```\n")),
        new("entities: many", Fill("&amp;&#123;&#x41;")),
        new("escapes: many", Fill("\\*\\[")),
        new("breaks: hard line breaks", Fill("a  \n")),
        new("thematic breaks", Fill("---\n\n")),
        new("pipes in a paragraph", Fill("a | ")),
        new("wide characters", Fill("注意力机制と日本語 ")),
    ];

    private static string Table(int columns, string row) =>
        Fill("|" + Repeat("a|", columns) + "\n|" + Repeat("-|", columns) + "\n", row);

    private static string ReferenceBomb()
    {
        var definition = "[r]: https://example.org/" + new string('a', 8 * 1024) + "\n\n";
        return definition + Fill("[r] ", Bytes - definition.Length);
    }

    /// <summary><paramref name="unit"/> repeated until <paramref name="bytes"/> of UTF-8 are reached, never past it.</summary>
    private static string Fill(string unit, int bytes = Bytes) => Fill(_ => unit, "", bytes);

    /// <summary><paramref name="head"/>, then <paramref name="unit"/> repeated up to <see cref="Bytes"/>.</summary>
    private static string Fill(string head, string unit) => Fill(_ => unit, head, Bytes);

    private static string Fill(Func<int, string> unit, string head = "", int bytes = Bytes)
    {
        var sb = new StringBuilder(head, bytes);
        var size = Encoding.UTF8.GetByteCount(head);
        for (var i = 0; ; i++)
        {
            var next = unit(i);
            var length = Encoding.UTF8.GetByteCount(next);
            if (size + length > bytes) return sb.ToString();
            sb.Append(next);
            size += length;
        }
    }

    private static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();

    /// <summary>A short description of a shape's size, for test output.</summary>
    public static string Describe(HostileShape shape) =>
        string.Create(CultureInfo.InvariantCulture, $"{shape.Name} ({Encoding.UTF8.GetByteCount(shape.Markdown):N0} bytes)");
}
