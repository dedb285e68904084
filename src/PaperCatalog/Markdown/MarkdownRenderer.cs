using Ganss.Xss;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PaperCatalog.Markdown;

/// <summary>A link or image found in Markdown, with its 1-based line.</summary>
public sealed record MarkdownLink(string Url, bool IsImage, int Line);

/// <summary>
/// The one home of Markdown in PaperCatalog: one pipeline, built once, with its extensions listed, raw HTML
/// off, and a sanitiser on the output. Untrusted Markdown (intros from strangers) goes through here and
/// nowhere else.
/// </summary>
public sealed class MarkdownRenderer
{
    /// <summary>Bumped whenever the rendered output for the same Markdown changes, so imports re-render.</summary>
    public const int Version = 1;

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseMathematics()
        .UseFootnotes()
        .UseTaskLists()
        .UseListExtras()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .DisableHtml()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    /// <summary>Every link and image in <paramref name="markdown"/>, in document order.</summary>
    public IReadOnlyList<MarkdownLink> LinksOf(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, _pipeline);
        return document.Descendants<LinkInline>()
            .Where(l => l.Url is not null)
            .Select(l => new MarkdownLink(l.Url!, l.IsImage, l.Line + 1))
            .ToList();
    }

    /// <summary>
    /// Renders Markdown to sanitised HTML. <paramref name="rewrite"/> may map each link or image URL to another
    /// (return the URL unchanged to keep it, null to drop the link and keep its text). A leading level-1
    /// heading equal to <paramref name="dropTitle"/> is left out, since the page shows the title already.
    /// </summary>
    public string Render(string markdown, Func<MarkdownLink, string?>? rewrite = null, string? dropTitle = null)
    {
        var document = Markdig.Markdown.Parse(markdown, _pipeline);

        if (dropTitle is not null && document.FirstOrDefault() is HeadingBlock { Level: 1 } first
            && Normalise(InlineText(first.Inline)) == Normalise(dropTitle))
        {
            document.Remove(first);
        }

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var url = link.Url ?? "";
            var target = rewrite is null ? url : rewrite(new MarkdownLink(url, link.IsImage, link.Line + 1));
            if (target is not null && !IsSafeUrl(target)) target = null;
            if (target is null) Unlink(link);
            else link.Url = target;
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return _sanitizer.Sanitize(writer.ToString());
    }

    /// <summary>Plain text of Markdown (for search and summaries): no markup, no URLs.</summary>
    public string ToPlainText(string markdown) => Markdig.Markdown.ToPlainText(markdown, _pipeline).Trim();

    /// <summary>
    /// True for relative URLs, fragments and http(s)/mailto. Control characters and entities inside a scheme
    /// ("java&#x09;script:") are removed before the check, as browsers do.
    /// </summary>
    public static bool IsSafeUrl(string url)
    {
        var decoded = System.Net.WebUtility.HtmlDecode(System.Net.WebUtility.UrlDecode(url) ?? url);
        var compact = new string(decoded.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':');
        if (colon < 0) return true;
        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon) return true; // "a/b:c" is a relative path, not a scheme
        var scheme = compact[..colon].ToLowerInvariant();
        return SafeSchemes.Contains(scheme);
    }

    private static void Unlink(LinkInline link)
    {
        if (link.IsImage)
        {
            // An image we cannot serve becomes its alt text.
            var alt = InlineText(link);
            link.ReplaceBy(new LiteralInline(alt));
            return;
        }
        var children = link.ToList();
        Inline anchor = link;
        foreach (var child in children)
        {
            child.Remove();
            anchor.InsertAfter(child);
            anchor = child;
        }
        link.Remove();
    }

    private static string InlineText(ContainerInline? container)
    {
        if (container is null) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var inline in container.Descendants<LiteralInline>()) sb.Append(inline.Content.ToString());
        foreach (var code in container.Descendants<CodeInline>()) sb.Append(code.Content);
        return sb.ToString();
    }

    private static string Normalise(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "figcaption", "figure",
                "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p",
                "pre", "s", "section", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "alt", "checked", "class", "colspan", "disabled", "href", "id", "rowspan", "src", "start", "style", "title", "type",
            },
            AllowedSchemes = new HashSet<string>(SafeSchemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "text-align" },
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.PostProcessNode += (_, e) =>
        {
            // Only task-list checkboxes may be inputs, and they are read-only.
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "input" } input)
            {
                if (!string.Equals(input.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase)) input.Remove();
                else input.SetAttribute("disabled", "disabled");
            }
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } a && a.GetAttribute("href") is { } href
                && (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                a.SetAttribute("rel", "nofollow noopener noreferrer");
            }
            // The Content-Security-Policy refuses inline styles: table alignment travels as a class instead.
            if (e.Node is AngleSharp.Dom.IElement styled && styled.GetAttribute("style") is { } style)
            {
                styled.RemoveAttribute("style");
                var align = style.Replace(" ", "").ToLowerInvariant();
                foreach (var side in (string[])["left", "right", "center"])
                {
                    if (align.Contains("text-align:" + side, StringComparison.Ordinal)) styled.ClassList.Add("align-" + side);
                }
            }
        };
        return sanitizer;
    }
}
