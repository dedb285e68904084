namespace PaperCatalog.Markdown;

/// <summary>Why a text cannot be rendered: a sentence for the person who wrote it, and the 1-based line it is about.</summary>
public sealed record MarkdownProblem(string Message, int Line);

/// <summary>
/// A render's outcome: the sanitised HTML, or (when <see cref="Problem"/> is set) a short safe notice in its place,
/// which a page may show as it is.
/// </summary>
public sealed record RenderedMarkdown(string Html, MarkdownProblem? Problem = null)
{
    /// <summary>The problem's sentence, or null when the text rendered.</summary>
    public string? Error => Problem?.Message;
}

/// <summary>What reading a text found: its links and images in document order, or the problem that stopped the reading.</summary>
public sealed record MarkdownInspection(IReadOnlyList<MarkdownLink> Links, MarkdownProblem? Problem);
