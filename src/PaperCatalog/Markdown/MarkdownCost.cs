using System.Globalization;
using System.Text;
using Markdig.Extensions.Footnotes;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PaperCatalog.Markdown;

/// <summary>
/// The counts that <see cref="MarkdownBudget"/> limits, each taken before the step it protects: the size and the
/// nesting written at the start of each line (before any parsing), the marks per paragraph and the table cells
/// (from the block structure, before the inline parse), and the exact depth, elements, cells and link addresses
/// (from the parsed document, before the HTML and the sanitiser).
/// </summary>
internal static class MarkdownCost
{
    /// <summary>Characters that start emphasis, links, code, math, an angle-bracket link, an entity or an escape.</summary>
    private static readonly System.Buffers.SearchValues<char> Marks = System.Buffers.SearchValues.Create("*_~^+=[]`$<&\\");

    private static readonly string[] BareLinkStarts = ["://", "www.", "mailto:"];

    public static MarkdownProblem? Size(string text, MarkdownBudget budget)
    {
        // Cheaper than counting: UTF-8 never takes fewer bytes than UTF-16 code units, nor more than three per unit.
        if (text.Length * 3L <= budget.MaxInputBytes) return null;
        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= budget.MaxInputBytes ? null : Problem(1,
            $"It is {Kb(bytes)} long; at most {Kb(budget.MaxInputBytes)} fit.");
    }

    /// <summary>
    /// One pass over the lines, before any parsing: the quote and list markers that open each line (Markdig's block
    /// parser takes time in the square of the containers one line opens, so a line of 60,000 "&gt;" must be refused
    /// before it runs), the blocks the lines start at the least (so 16,000 list items are refused without being
    /// parsed), and the two shapes Markdig's block parser handles in quadratic time: reference definitions (it reads
    /// each with a copy of the rest of its paragraph) and underlined headings (it removes the paragraph each replaces
    /// by searching its parent from the start). Those two and the markers are counted in fenced code too, so a fence
    /// this pass misreads cannot hide them; blocks are only counted outside it.
    /// </summary>
    public static MarkdownProblem? Lines(string text, MarkdownBudget budget)
    {
        int line = 1, blocks = 0, references = 0, underlines = 0;
        var ended = true; // the previous line ended a block (or there was none): this one starts another
        string? fence = null;
        for (var i = 0; i < text.Length; line++)
        {
            int depth = 0, items = 0;
            var j = i;
            while (j < text.Length)
            {
                var c = text[j];
                if (c is ' ' or '\t') j++;
                else if (c == '>') { depth++; j++; }
                else if (c is '-' or '*' or '+' && IsSpaceAt(text, j + 1)) { depth++; items++; j += 2; }
                else if (char.IsAsciiDigit(c) && OrderedMarkerEnd(text, j) is var end and > 0) { depth++; items++; j = end; }
                else break;
            }
            if (depth > budget.MaxDepth) return TooDeep(line, depth, budget);
            var next = text.IndexOf('\n', j);
            var rest = text.AsSpan(j, (next < 0 ? text.Length : next) - j).TrimEnd();
            if (rest.Length > 0 && rest[0] == '[' && rest.Contains("]:", StringComparison.Ordinal) && ++references > budget.MaxReferences)
                return Problem(line, $"It has more than {budget.MaxReferences:N0} reference definitions ([label]: address); at most {budget.MaxReferences:N0} fit.");
            if (rest.Length > 0 && rest[0] is '=' or '-' && !rest.ContainsAnyExcept(rest[0]) && ++underlines > budget.MaxUnderlinedHeadings)
                return Problem(line, $"It has more than {budget.MaxUnderlinedHeadings:N0} lines of only \"=\" or \"-\" (underlined headings); at most {budget.MaxUnderlinedHeadings:N0} fit. Write headings as \"# Heading\".");
            if (fence is not null)
            {
                if (rest.StartsWith(fence, StringComparison.Ordinal)) { fence = null; ended = true; }
            }
            else if (rest.IsEmpty) ended = true;
            else
            {
                var isFence = rest.StartsWith("```", StringComparison.Ordinal) || rest.StartsWith("~~~", StringComparison.Ordinal);
                if (isFence) fence = rest[..3].ToString();
                // A code block is two elements (pre and code); a list item, a fence or a heading starts a block anywhere.
                if (ended || items > 0 || isFence || rest[0] == '#') blocks += isFence ? 2 : 1;
                if (blocks > budget.MaxElements) return TooManyElements(line, budget);
                // After a heading, a rule or an underline ("===", "---") the next line starts a block again.
                ended = rest[0] == '#' || !rest.ContainsAnyExcept("=- *_\t");
            }
            if (next < 0) break;
            i = next + 1;
        }
        return null;
    }

    /// <summary>
    /// Counts on the block structure alone (a parse without inline parsers, which is linear): nesting, blocks, the
    /// marks of each paragraph and heading, and the cells each table would have.
    /// </summary>
    public static MarkdownProblem? Blocks(MarkdownDocument blocks, string text, MarkdownBudget budget)
    {
        int count = 0, marks = 0, cells = 0;
        var stack = new Stack<(Block Block, int Depth)>();
        for (var k = blocks.Count - 1; k >= 0; k--) stack.Push((blocks[k], 0));
        while (stack.Count > 0)
        {
            var (block, depth) = stack.Pop();
            depth += Levels(block);
            if (depth > budget.MaxDepth) return TooDeep(block.Line + 1, depth, budget);
            if ((count += block is CodeBlock ? 2 : 1) > budget.MaxElements) return TooManyElements(block.Line + 1, budget);
            if (block is ContainerBlock container)
            {
                for (var k = container.Count - 1; k >= 0; k--) stack.Push((container[k], depth));
                continue;
            }
            if (block is not LeafBlock { ProcessInlines: true } || block.Span.IsEmpty) continue;
            var source = text.AsSpan(block.Span.Start, Math.Min(block.Span.Length, text.Length - block.Span.Start));
            var tableCells = TableCells(source);
            var own = CountMarks(source, tableCells > 0);
            if (own > budget.MaxMarksPerParagraph)
                return Problem(block.Line + 1, $"This paragraph has {own:N0} pieces of markup (emphasis, link, code and math marks, entities, line breaks); at most {budget.MaxMarksPerParagraph:N0} fit in one paragraph. Split it into shorter ones, or put code in a code block.");
            if ((marks += own) > budget.MaxMarks)
                return Problem(block.Line + 1, $"It has more than {budget.MaxMarks:N0} pieces of markup (emphasis, link, code and math marks, entities, line breaks); at most {budget.MaxMarks:N0} fit.");
            if ((cells += tableCells) > budget.MaxTableCells) return TooManyCells(block.Line + 1, cells, budget);
        }
        return null;
    }

    /// <summary>The exact counts on the parsed document: nesting, elements, table cells and link addresses.</summary>
    public static MarkdownProblem? Document(MarkdownDocument document, MarkdownBudget budget)
    {
        int elements = 0, cells = 0;
        long urls = 0;
        var blocks = new Stack<(Block Block, int Depth)>();
        var inlines = new Stack<(Inline Inline, int Depth)>();
        for (var k = document.Count - 1; k >= 0; k--) blocks.Push((document[k], 0));
        while (blocks.Count > 0)
        {
            var (block, depth) = blocks.Pop();
            depth += Levels(block);
            if (depth > budget.MaxDepth) return TooDeep(block.Line + 1, depth, budget);
            if (block is TableCell && ++cells > budget.MaxTableCells) return TooManyCells(block.Line + 1, cells, budget);
            if (block is not (LinkReferenceDefinitionGroup or LinkReferenceDefinition or BlankLineBlock)
                && (elements += block is CodeBlock ? 2 : 1) > budget.MaxElements)
                return TooManyElements(block.Line + 1, budget);
            if (block is ContainerBlock container)
            {
                for (var k = container.Count - 1; k >= 0; k--) blocks.Push((container[k], depth));
                continue;
            }
            if (block is not LeafBlock { Inline: { } root }) continue;
            for (var inline = root.LastChild; inline is not null; inline = inline.PreviousSibling) inlines.Push((inline, depth));
            while (inlines.Count > 0)
            {
                var (node, level) = inlines.Pop();
                if (node is ContainerInline && ++level > budget.MaxDepth) return TooDeep(node.Line + 1, level, budget);
                if (node is not (LiteralInline or HtmlEntityInline or LineBreakInline { IsHard: false }) && ++elements > budget.MaxElements)
                    return TooManyElements(node.Line + 1, budget);
                urls += node switch
                {
                    LinkInline link => (link.Url?.Length ?? 0) + (link.Title?.Length ?? 0),
                    AutolinkInline auto => auto.Url.Length,
                    _ => 0,
                };
                if (urls > budget.MaxUrlChars)
                    return Problem(node.Line + 1, $"Its link and image addresses add up to more than {Kb(budget.MaxUrlChars)} (an address used again counts again); at most {Kb(budget.MaxUrlChars)} fit.");
                if (node is ContainerInline children)
                    for (var inline = children.LastChild; inline is not null; inline = inline.PreviousSibling) inlines.Push((inline, level));
            }
        }
        return null;
    }

    public static MarkdownProblem TooLong(MarkdownBudget budget) =>
        Problem(1, $"It took more than {budget.MaxTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s of processor time to render; make it shorter or simpler.");

    public static MarkdownProblem TooMuchHtml(MarkdownBudget budget) =>
        Problem(1, $"It would become more than {Kb(budget.MaxOutputChars)} of HTML; at most {Kb(budget.MaxOutputChars)} fit.");

    /// <summary>Nesting as a writer sees it: a quote, a list (with its items), a footnote or a table is one level.</summary>
    private static int Levels(Block block) => block is QuoteBlock or ListBlock or Footnote or Table ? 1 : 0;

    /// <summary>
    /// The marks of one paragraph. Outside a table its line breaks and pipes count too: each is a piece Markdig adds
    /// below every mark still open (in a table the cell limit bounds them).
    /// </summary>
    private static int CountMarks(ReadOnlySpan<char> source, bool table)
    {
        var count = table ? 0 : source.Count('\n') + source.Count('|');
        for (var rest = source; ;)
        {
            var at = rest.IndexOfAny(Marks);
            if (at < 0) break;
            count++;
            rest = rest[(at + 1)..];
        }
        // Bare addresses become links only after Markdig has looked back over the whole paragraph.
        foreach (var start in BareLinkStarts)
        {
            for (var rest = source; rest.IndexOf(start, StringComparison.Ordinal) is var at and >= 0; rest = rest[(at + start.Length)..]) count++;
        }
        return count;
    }

    /// <summary>
    /// The cells a pipe table in <paramref name="source"/> would get: Markdig pads every row to the widest, so it is
    /// the widest line's cells times the lines. Zero without a header separator line ("|---|:-:|").
    /// </summary>
    private static int TableCells(ReadOnlySpan<char> source)
    {
        if (!source.Contains('|')) return 0;
        int lines = 0, widest = 0;
        var separator = false;
        foreach (var range in source.Split('\n'))
        {
            var line = source[range];
            lines++;
            widest = Math.Max(widest, line.Count('|') + 1);
            separator |= line.Contains('-') && line.Contains('|') && !line.ContainsAnyExcept("|-: \t\r");
        }
        return separator ? lines * widest : 0;
    }

    private static bool IsSpaceAt(string text, int i) => i >= text.Length || text[i] is ' ' or '\t' or '\n' or '\r';

    /// <summary>The index after an ordered-list marker ("12. " or "3) ") at <paramref name="start"/>, or 0.</summary>
    private static int OrderedMarkerEnd(string text, int start)
    {
        var i = start;
        while (i < text.Length && i - start < 9 && char.IsAsciiDigit(text[i])) i++;
        return i < text.Length && text[i] is '.' or ')' && IsSpaceAt(text, i + 1) ? i + 2 : 0;
    }

    private static MarkdownProblem TooDeep(int line, int depth, MarkdownBudget budget) =>
        Problem(line, $"Quotes, lists, links or emphasis are nested {depth:N0} levels deep; at most {budget.MaxDepth} fit.");

    private static MarkdownProblem TooManyElements(int line, MarkdownBudget budget) =>
        Problem(line, $"It has more than {budget.MaxElements:N0} parts (paragraphs, list items, links, emphasis, table cells); at most {budget.MaxElements:N0} fit.");

    private static MarkdownProblem TooManyCells(int line, int cells, MarkdownBudget budget) =>
        Problem(line, $"Its tables have {cells:N0} cells or more (every row counts as wide as the widest); at most {budget.MaxTableCells:N0} fit.");

    private static MarkdownProblem Problem(int line, string message) => new(message, line);

    private static string Kb(long size) => (size / 1024.0).ToString(size % 1024 == 0 ? "N0" : "N1", CultureInfo.InvariantCulture) + " KB";
}
