using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PaperCatalog.Markdown;

namespace PaperCatalog.Submissions;

/// <summary>A reader's intro as the site shows it: rendered once when stored, with a short plain-text excerpt for the queue.</summary>
public sealed record RenderedIntro(string Html, string Excerpt)
{
    /// <summary>Characters of plain text the queue shows of each intro.</summary>
    public const int ExcerptLength = 280;

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "td", "th", "tr", "div", "section", "br", "hr", "figcaption",
    };

    /// <summary>
    /// A submitted intro rendered like every other (web links kept, local links and remote images dropped) with its
    /// excerpt; null when there is no intro.
    /// </summary>
    public static RenderedIntro? Render(MarkdownRenderer markdown, string? intro, string? title) =>
        HtmlOf(markdown, intro, title) is { } html ? new RenderedIntro(html, ExcerptOf(html)) : null;

    /// <summary>The HTML alone (for a preview, which is shown once and not stored); null when there is no intro.</summary>
    public static string? HtmlOf(MarkdownRenderer markdown, string? intro, string? title) =>
        string.IsNullOrWhiteSpace(intro) ? null :
        markdown.Render(intro, link => link.IsImage || !(link.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || link.Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || link.Url.StartsWith('#')) ? null : link.Url, dropTitle: title);

    /// <summary>The first words of <paramref name="html"/> as plain text, blocks separated by spaces, cut at a word.</summary>
    internal static string ExcerptOf(string html)
    {
        var body = new HtmlParser().ParseDocument("<!DOCTYPE html><body>" + html).Body!;
        var text = new StringBuilder();
        Append(body, text);
        var words = string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (words.Length <= ExcerptLength) return words;
        var cut = words.LastIndexOf(' ', ExcerptLength);
        return words[..(cut > ExcerptLength / 2 ? cut : ExcerptLength)] + "…";
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            // Enough text for the excerpt (and a word beyond it): the rest of a long intro is not walked.
            if (text.Length > ExcerptLength * 2) return;
            if (child is IText t) text.Append(t.Data);
            else if (child is IElement e)
            {
                var block = Blocks.Contains(e.LocalName);
                if (block) text.Append(' ');
                Append(e, text);
                if (block) text.Append(' ');
            }
        }
    }
}
