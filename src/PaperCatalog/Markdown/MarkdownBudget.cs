namespace PaperCatalog.Markdown;

/// <summary>
/// The work one Markdown render may cost: every render (list import, preview, submission, approval, moderator edit,
/// search indexing) runs under the same budget, so what a preview accepts the importer and the moderators accept too.
/// Markdig cannot be cancelled once it runs, so the budget is enforced before each expensive step, from cheap
/// counts: the size first, then one pass over the lines, then the block structure (Markdig's block parser alone, which
/// is linear), and only then the full parse, the HTML and the sanitiser. The limits leave two to four times what the
/// bundled intros (<c>data/</c>) need at the same size, and they bound the worst shapes found so far (see
/// tests/Shared/HostileMarkdown.cs and the <c>markdown</c> benchmark) to tens of milliseconds and a few megabytes.
/// </summary>
public sealed record MarkdownBudget
{
    /// <summary>The budget every caller uses.</summary>
    public static MarkdownBudget Default { get; } = new();

    /// <summary>The size limit, as a constant for messages and form attributes.</summary>
    public const int DefaultMaxInputBytes = 64 * 1024;

    /// <summary>Largest input, in UTF-8 bytes.</summary>
    public int MaxInputBytes { get; init; } = DefaultMaxInputBytes;

    /// <summary>
    /// Deepest nesting of quotes, lists, links and emphasis together. Markdig itself gives up at 128 with an exception,
    /// and its work grows with the square of the depth before that.
    /// </summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>
    /// Most marks in one paragraph or heading: the characters that start emphasis, links, code, math, entities and
    /// escapes (<c>* _ ~ ^ + = [ ] ` $ &lt; &amp; \</c>), bare web addresses, and outside tables its line breaks and
    /// pipes. Markdig keeps every mark of a paragraph open until the paragraph ends and walks them for each new piece
    /// of text, so one paragraph's cost grows with the square of its marks. The busiest paragraph of the bundled intros
    /// has about 60.
    /// </summary>
    public int MaxMarksPerParagraph { get; init; } = 256;

    /// <summary>Most marks in the whole text (the sum over its paragraphs); the bundled intros joined to 64 KB have about 3,600.</summary>
    public int MaxMarks { get; init; } = 8_000;

    /// <summary>
    /// Most HTML elements the text may become (paragraphs, list items, links, emphasis, table cells, ...). The
    /// sanitiser costs about 10–20 µs per element, so this bounds its time. The bundled intros joined to 64 KB make
    /// about 900.
    /// </summary>
    public int MaxElements { get; init; } = 2_000;

    /// <summary>
    /// Most reference definitions (<c>[label]: address</c>). Markdig reads each one with a copy of the rest of its
    /// paragraph, so their cost grows with the square of their number.
    /// </summary>
    public int MaxReferences { get; init; } = 500;

    /// <summary>
    /// Most lines of only "=" or "-" (underlined headings, and rules): Markdig removes the paragraph each underline
    /// turns into a heading by searching the parent's blocks from the start, so their cost grows with their square.
    /// </summary>
    public int MaxUnderlinedHeadings { get; init; } = 500;

    /// <summary>
    /// Most table cells, counted as Markdig makes them: every row gets as many cells as the widest row, so a wide header
    /// over many short rows multiplies (1,000 header cells over 1,000 rows of "|" are a million cells).
    /// </summary>
    public int MaxTableCells { get; init; } = 2_000;

    /// <summary>
    /// Most characters of link and image addresses (and titles), counted once per use: one long reference definition
    /// used thousands of times would otherwise repeat its address in every link.
    /// </summary>
    public int MaxUrlChars { get; init; } = 128 * 1024;

    /// <summary>Largest HTML a render may produce (before sanitising), in UTF-16 characters.</summary>
    public int MaxOutputChars { get; init; } = 1024 * 1024;

    /// <summary>
    /// Most processor time a render may take on its thread, checked between its steps (a step that has started is never
    /// interrupted; the limits above keep each step short). A last resort for shapes the counts do not foresee. Processor
    /// time, not wall time (see <see cref="ThreadCpuClock"/>): time spent waiting for a core on a loaded machine does not
    /// count, so a list that imports on a quiet machine imports on a busy one.
    /// </summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(2);
}
