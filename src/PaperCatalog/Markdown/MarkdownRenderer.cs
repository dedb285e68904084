using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Markdig.Helpers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PaperCatalog.Markdown;

/// <summary>A link or image found in Markdown, with its 1-based line.</summary>
public sealed record MarkdownLink(string Url, bool IsImage, int Line);

/// <summary>
/// The one home of Markdown in PaperCatalog: one pipeline, built once, with its extensions listed, raw HTML
/// off, and a sanitiser on the output. Untrusted Markdown (intros from strangers) goes through here and
/// nowhere else, and every render runs under one <see cref="MarkdownBudget"/>. Nothing here throws: a text
/// over the budget (or one Markdig cannot read) comes back as a problem and a short notice in its place.
/// </summary>
public sealed partial class MarkdownRenderer
{
    /// <summary>Bumped whenever the rendered output for the same Markdown changes, so imports re-render.</summary>
    public const int Version = 3;

    /// <summary>
    /// What every id in rendered Markdown starts with, so a heading called "main" or "site-search" cannot take an id
    /// the site's own pages use (no page of the site uses an id that starts with it).
    /// </summary>
    public const string IdPrefix = "intro-";

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseMathematics()
        .UseFootnotes()
        .UseTaskLists()
        .UseListExtras()
        .DisableHtml()
        .Build();

    /// <summary>
    /// The same block parsers without any inline parser: it reads only the block structure, in linear time, so the
    /// budget can be checked before the inline parse (whose cost grows faster than the text).
    /// </summary>
    private readonly MarkdownPipeline _blocksOnly = BlocksOnly();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private readonly TimeProvider _clock;

    /// <summary>
    /// A renderer under <paramref name="budget"/> (default: <see cref="MarkdownBudget.Default"/>); its time limit is read
    /// on <paramref name="clock"/> (default: the rendering thread's processor time, <see cref="ThreadCpuClock"/>).
    /// </summary>
    public MarkdownRenderer(MarkdownBudget? budget = null, TimeProvider? clock = null)
    {
        Budget = budget ?? MarkdownBudget.Default;
        _clock = clock ?? ThreadCpuClock.Instance;
    }

    /// <summary>The limits every render of this renderer works within.</summary>
    public MarkdownBudget Budget { get; }

    /// <summary>
    /// Reads <paramref name="markdown"/> as a render would (the same budget checks, no HTML): every link and image in
    /// document order, or the problem that would stop a render.
    /// </summary>
    public MarkdownInspection Inspect(string markdown)
    {
        var (document, problem) = Parse(markdown);
        if (document is null) return new([], problem);
        var links = document.Descendants<LinkInline>()
            .Where(l => l.Url is not null)
            .Select(l => new MarkdownLink(l.Url!, l.IsImage, l.Line + 1))
            .ToList();
        return new(links, null);
    }

    /// <summary>
    /// Renders Markdown to sanitised HTML, or says why not. <paramref name="rewrite"/> may map each link or image URL
    /// to another (return the URL unchanged to keep it, null to drop the link and keep its text). A leading level-1
    /// heading equal to <paramref name="dropTitle"/> is left out, since the page shows the title already. Heading
    /// ids and same-page links get <see cref="IdPrefix"/>.
    /// </summary>
    public RenderedMarkdown RenderChecked(string markdown, Func<MarkdownLink, string?>? rewrite = null, string? dropTitle = null)
    {
        var start = _clock.GetTimestamp();
        var (document, problem) = Parse(markdown);
        if (document is null) return Refused(problem!);
        try
        {
            if (dropTitle is not null && document.FirstOrDefault() is HeadingBlock { Level: 1 } first
                && Normalise(InlineText(first.Inline)) == Normalise(dropTitle))
            {
                document.Remove(first);
            }
            SetHeadingIds(document);
            PromoteDisplayMath(document);

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
            var html = writer.GetStringBuilder();
            if (html.Length > Budget.MaxOutputChars) return Refused(MarkdownCost.TooMuchHtml(Budget));
            // The sanitiser is the costliest step: it only runs while the render is within its time.
            if (_clock.GetElapsedTime(start) > Budget.MaxTime) return Refused(MarkdownCost.TooLong(Budget));
            return new RenderedMarkdown(_sanitizer.Sanitize(html.ToString()));
        }
        catch (Exception e)
        {
            return Refused(Unreadable(e));
        }
    }

    /// <summary>
    /// <see cref="RenderChecked"/>'s HTML: the rendered text, or a short notice saying why it is not shown. Never throws,
    /// so a page that shows stored Markdown always renders.
    /// </summary>
    public string Render(string markdown, Func<MarkdownLink, string?>? rewrite = null, string? dropTitle = null) =>
        RenderChecked(markdown, rewrite, dropTitle).Html;

    /// <summary>
    /// Plain text of Markdown (for search, snippets and summaries): no markup, no URLs, and no TeX source ("\mathrm{x}"
    /// is no text a reader sees): inline math as its plain reading (<see cref="MathText"/>) or left out, display math
    /// left out. Empty when over the budget.
    /// </summary>
    public string ToPlainText(string markdown)
    {
        var (document, _) = Parse(markdown);
        if (document is null) return "";
        try
        {
            foreach (var math in document.Descendants<Markdig.Extensions.Mathematics.MathInline>().ToList())
            {
                if (MathText.Plain(math.Content.ToString()) is { } plain) math.ReplaceBy(new LiteralInline(plain));
                else math.Remove();
            }
            foreach (var math in document.Descendants<Markdig.Extensions.Mathematics.MathBlock>().ToList()) math.Parent?.Remove(math);
            using var writer = new StringWriter();
            var renderer = new HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
            _pipeline.Setup(renderer);
            renderer.Render(document);
            // Math left out leaves its spaces behind ("the matrix , then"): fold them.
            return LeftOutSpace().Replace(writer.ToString(), m => m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : " ").Trim();
        }
        catch (Exception)
        {
            return "";
        }
    }

    [GeneratedRegex(@"[ \t]+([,.;:)])|[ \t]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex LeftOutSpace();

    /// <summary>
    /// The notice shown in place of a text that cannot be rendered: one paragraph, the reason encoded, nothing from
    /// the text itself.
    /// </summary>
    public static string Notice(MarkdownProblem problem) =>
        "<p class=\"render-refused\">This text cannot be shown: " + System.Net.WebUtility.HtmlEncode(problem.Message) + "</p>";

    /// <summary>A same-page fragment ("#core-idea") as rendered Markdown names it ("#intro-core-idea").</summary>
    public static string Fragment(string fragment) =>
        fragment.StartsWith('#') && fragment.Length > 1 ? "#" + IdPrefix + fragment[1..] : fragment;

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

    /// <summary>
    /// The budget's checks in order of cost, each before the step it protects, then the full parse. Markdig's own
    /// limits (it throws on nesting past 128) and any other failure of a third-party parser fed a stranger's text come
    /// back as a problem, not an exception.
    /// </summary>
    private (MarkdownDocument? Document, MarkdownProblem? Problem) Parse(string markdown)
    {
        var start = _clock.GetTimestamp();
        try
        {
            var problem = MarkdownCost.Size(markdown, Budget) ?? MarkdownCost.Lines(markdown, Budget)
                          ?? MarkdownCost.Blocks(Markdig.Markdown.Parse(markdown, _blocksOnly), markdown, Budget);
            if (problem is not null) return (null, problem);
            var document = Markdig.Markdown.Parse(markdown, _pipeline);
            problem = MarkdownCost.Document(document, Budget);
            if (problem is null && _clock.GetElapsedTime(start) > Budget.MaxTime) problem = MarkdownCost.TooLong(Budget);
            return problem is null ? (document, null) : (null, problem);
        }
        catch (Exception e)
        {
            return (null, Unreadable(e));
        }
    }

    private static MarkdownProblem Unreadable(Exception e) => new(e is ArgumentException && e.Message.Contains("depth limit", StringComparison.Ordinal)
        ? "It is nested too deeply to be read."
        : "It could not be read as Markdown (" + e.GetType().Name + ").", 1);

    private static RenderedMarkdown Refused(MarkdownProblem problem) => new(Notice(problem), problem);

    /// <summary>
    /// A paragraph that is only <c>$$…$$</c> on one line is display math, as in LaTeX and on GitHub; Markdig reads
    /// <c>$$</c> as a block only when it stands on lines of its own, and renders the one-line form inline.
    /// </summary>
    private static void PromoteDisplayMath(MarkdownDocument document)
    {
        foreach (var paragraph in document.Descendants<ParagraphBlock>().ToList())
        {
            if (paragraph.Inline is not { } inline || paragraph.Parent is not { } parent) continue;
            var parts = inline.Where(i => i is not LiteralInline literal || !literal.Content.IsEmptyOrWhitespace()).ToList();
            if (parts is not [Markdig.Extensions.Mathematics.MathInline { DelimiterCount: 2 } math]) continue;
            var block = new Markdig.Extensions.Mathematics.MathBlock(null!)
            {
                FencedChar = '$', OpeningFencedCharCount = 2, ClosingFencedCharCount = 2, Line = paragraph.Line, Span = paragraph.Span,
            };
            block.GetAttributes().AddClass("math"); // as Markdig's own math block parser marks its blocks
            var content = new StringSlice(math.Content.ToString().Trim());
            block.AppendLine(ref content, 0, paragraph.Line, 0, false);
            parent.Insert(parent.IndexOf(paragraph), block);
            parent.Remove(paragraph);
        }
    }

    /// <summary>
    /// GitHub's heading ids (the same as Markdig's AutoIdentifiers with its GitHub option), numbered on repeats in
    /// linear time: Markdig's own numbering retries -1, -2, ... from the start for every repeat, which makes 16,000
    /// equal headings cost 9 GB.
    /// </summary>
    private static void SetHeadingIds(MarkdownDocument document)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        using var writer = new StringWriter();
        var plain = new HtmlRenderer(writer) { EnableHtmlForInline = false, EnableHtmlEscape = false };
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            writer.GetStringBuilder().Clear();
            if (heading.Inline is not null) plain.Render(heading.Inline);
            var baseId = LinkHelper.UrilizeAsGfm(writer.ToString()) is { Length: > 0 } slug ? slug : "section";
            var id = baseId;
            if (!taken.Add(id))
            {
                var n = next.GetValueOrDefault(baseId);
                do id = baseId + "-" + ++n; while (!taken.Add(id));
                next[baseId] = n;
            }
            heading.GetAttributes().Id = id;
        }
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

    private static MarkdownPipeline BlocksOnly()
    {
        var builder = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseMathematics()
            .UseFootnotes()
            .UseListExtras()
            .DisableHtml();
        // Registered last, so it runs after the extensions that add inline parsers. Markdig's own nesting limit is
        // raised here because the budget's count on this structure is the one that decides (with its own message).
        builder.Extensions.Add(new WithoutInlines());
        builder.MaximumNestingDepth = 10_000;
        return builder.Build();
    }

    private sealed class WithoutInlines : IMarkdownExtension
    {
        public void Setup(MarkdownPipelineBuilder pipeline) => pipeline.InlineParsers.Clear();

        public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
        {
        }
    }

    /// <summary>
    /// The classes the site defines for rendered Markdown (site.css, math.js): math, table alignment, code languages,
    /// task lists and footnotes. Any other class (a fenced code block's info string can carry several) is dropped.
    /// </summary>
    private static bool IsSiteClass(string name) =>
        name is "math" or "align-left" or "align-right" or "align-center" or "contains-task-list" or "task-list-item"
            or "footnotes" or "footnote-ref" or "footnote-back-ref"
        || LanguageClassRegex().IsMatch(name);

    [GeneratedRegex("^language-[a-z0-9][a-z0-9_+#.-]{0,31}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LanguageClassRegex();

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
            if (e.Node is not AngleSharp.Dom.IElement element) return;
            // Only task-list checkboxes may be inputs, and they are read-only.
            if (element.LocalName == "input")
            {
                if (!string.Equals(element.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase)) element.Remove();
                else element.SetAttribute("disabled", "disabled");
            }
            if (element.LocalName == "a" && element.GetAttribute("href") is { } href)
            {
                if (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    element.SetAttribute("rel", "nofollow noopener noreferrer");
                else if (href.StartsWith('#')) element.SetAttribute("href", Fragment(href));
            }
            if (element.Id is { Length: > 0 } id) element.Id = IdPrefix + id;
            // The Content-Security-Policy refuses inline styles: table alignment travels as a class instead.
            if (element.GetAttribute("style") is { } style)
            {
                element.RemoveAttribute("style");
                var align = style.Replace(" ", "").ToLowerInvariant();
                foreach (var side in (string[])["left", "right", "center"])
                {
                    if (align.Contains("text-align:" + side, StringComparison.Ordinal)) element.ClassList.Add("align-" + side);
                }
            }
            if (element.ClassList.Length > 0)
            {
                foreach (var name in element.ClassList.Where(c => !IsSiteClass(c)).ToList()) element.ClassList.Remove(name);
                if (element.ClassList.Length == 0) element.RemoveAttribute("class");
            }
        };
        return sanitizer;
    }
}
