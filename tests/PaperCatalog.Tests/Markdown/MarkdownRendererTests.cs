using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PaperCatalog.Markdown;

namespace PaperCatalog.Tests.Markdown;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    private IDocument Render(string markdown) =>
        new HtmlParser().ParseDocument("<body>" + _renderer.Render(markdown) + "</body>");

    public static TheoryData<string> Hostile => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](java%0Ascript:alert(1))",
        "[click](<java\tscript:alert(1)>)",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](javascript:alert(1))",
        "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "<javascript:alert(1)>",
        "[ref][1]\n\n[1]: javascript:alert(1)",
        "[x](#){onclick=alert(1)}",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "[x](\"onmouseover=alert(1))",
        "` <script>alert(1)</script> `",
        "<details open ontoggle=alert(1)>",
        "[a](  javascript:alert(1)  )",
        "<form action=\"https://evil.example\"><button>go</button></form>",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileMarkdown_LeavesNoScriptRoute(string markdown)
    {
        var doc = Render(markdown);
        Assert.Empty(doc.QuerySelectorAll("script, iframe, object, embed, style, form, svg, details, button"));
        foreach (var element in doc.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} survived");
                Assert.NotEqual("style", attribute.Name);
                if (attribute.Name is "href" or "src")
                {
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
                    Assert.False(value.StartsWith("javascript:") || value.StartsWith("vbscript:") || value.StartsWith("data:"), $"{attribute.Name}={attribute.Value}");
                    Assert.True(MarkdownRenderer.IsSafeUrl(attribute.Value), attribute.Value);
                }
            }
        }
    }

    [Theory]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData("java&#x0A;script:alert(1)", false)]
    [InlineData("  JAVASCRIPT:alert(1)", false)]
    [InlineData("data:text/html,x", false)]
    [InlineData("vbscript:x", false)]
    [InlineData("https://arxiv.org/abs/2205.14135", true)]
    [InlineData("mailto:curator@example.org", true)]
    [InlineData("/papers/gqa#core-idea", true)]
    [InlineData("../gqa/README.md", true)]
    [InlineData("#results", true)]
    [InlineData("a/b:c", true)]
    public void IsSafeUrl_OnlyAllowsWebAndRelativeUrls(string url, bool safe) => Assert.Equal(safe, MarkdownRenderer.IsSafeUrl(url));

    [Fact]
    public void Render_RawHtml_IsShownAsTextNotPassedThrough()
    {
        var doc = Render("Hello <b>world</b>");
        Assert.Empty(doc.QuerySelectorAll("b"));
        Assert.Contains("<b>world</b>", doc.Body!.TextContent);
    }

    [Fact]
    public void Render_IntroFeatures_HeadingsListsTablesCodeLinksMathCjk()
    {
        var md = """
            ## Core Idea

            - one
            - two

            | Model | Speed-up |
            |---|--:|
            | GPT-2 | 3.0x |

            ```python
            print("hi")
            ```

            See https://arxiv.org/abs/2205.14135 for details.

            Inline $O(N^2)$ and display:

            $$
            m_i = \max(m_{i-1}, \tilde{m}_i)
            $$

            注意力机制（中文）と日本語
            """;
        var doc = Render(md);
        Assert.Equal("intro-core-idea", doc.QuerySelector("h2")!.Id);
        Assert.Equal(2, doc.QuerySelectorAll("ul li").Length);
        Assert.NotNull(doc.QuerySelector("table td.align-right"));
        Assert.Equal("language-python", doc.QuerySelector("pre code")!.ClassName);
        Assert.Equal("https://arxiv.org/abs/2205.14135", doc.QuerySelector("p a")!.GetAttribute("href"));
        Assert.Contains("nofollow", doc.QuerySelector("p a")!.GetAttribute("rel"));
        Assert.NotNull(doc.QuerySelector("span.math"));
        Assert.Contains("\\max", doc.QuerySelector("div.math")!.TextContent);
        Assert.Contains("注意力机制（中文）と日本語", doc.Body!.TextContent);
    }

    [Theory]
    [InlineData("$$m_i = \\max(m_{i-1}, x)$$")]
    [InlineData("  $$ m_i = \\max(m_{i-1}, x) $$  ")]
    [InlineData("$$\nm_i = \\max(m_{i-1}, x)\n$$")]
    public void DisplayMath_OnOneLineOrFenced_RendersTheSameDisplayBlock(string math)
    {
        var doc = Render("Before.\n\n" + math + "\n\nAfter.");
        var block = Assert.Single(doc.QuerySelectorAll("div.math"));
        Assert.Equal("\\[m_i = \\max(m_{i-1}, x)\\]", block.TextContent.Replace("\n", "", StringComparison.Ordinal).Trim());
        Assert.Empty(doc.QuerySelectorAll("span.math"));
        Assert.Equal(2, doc.QuerySelectorAll("p").Length);
    }

    [Fact]
    public void DoubleDollarMath_InsideASentence_StaysInline()
    {
        var doc = Render("The cost is $$O(N^2)$$ in memory.");
        Assert.NotNull(doc.QuerySelector("p span.math"));
        Assert.Empty(doc.QuerySelectorAll("div.math"));
    }

    [Fact]
    public void FencedCodeInfoString_CannotAddClasses_OnlyItsLanguageSurvives()
    {
        var doc = Render("```x&#32;site-header\ncode\n```\n\n```python onclick\nx\n```\n\n```\"><script>\ny\n```");
        var codes = doc.QuerySelectorAll("pre code").ToList();
        Assert.Equal(3, codes.Count);
        Assert.Equal("language-x", codes[0].ClassName);
        Assert.Equal("language-python", codes[1].ClassName);
        Assert.Null(codes[2].GetAttribute("class"));
    }

    [Fact]
    public void OnlyClassesTheSiteDefines_SurviveInRenderedMarkdown()
    {
        var md = "- [x] done\n- [ ] open\n\nA note[^1] and $x$.\n\n$$\ny\n$$\n\n| a | b |\n|:-|-:|\n| c | d |\n\n```c++\nint x;\n```\n\n[^1]: The note.\n";
        var classes = Render(md).QuerySelectorAll("[class]").SelectMany(e => e.ClassList).ToHashSet();
        Assert.Subset(new HashSet<string>
        {
            "contains-task-list", "task-list-item", "footnote-ref", "footnote-back-ref", "footnotes", "math", "align-left", "align-right", "language-c++",
        }, classes);
        Assert.Equal(9, classes.Count);
    }

    [Fact]
    public void HeadingIds_GetTheIntroPrefix_SoTheyCannotTakeTheSitesIds_AndFragmentLinksFollow()
    {
        var doc = Render("# main\n\n## site-search\n\nSee [the top](#main) and a note[^n].\n\n[^n]: Note.");
        Assert.Equal(["intro-main", "intro-site-search"], doc.QuerySelectorAll("h1, h2").Select(h => h.Id ?? "").ToArray());
        Assert.Equal("#intro-main", doc.QuerySelector("p a[href^='#intro-main']")!.GetAttribute("href"));
        Assert.All(doc.QuerySelectorAll("[id]"), e => Assert.StartsWith(MarkdownRenderer.IdPrefix, e.Id, StringComparison.Ordinal));
        Assert.All(doc.QuerySelectorAll("a[href^='#']"), a => Assert.StartsWith("#" + MarkdownRenderer.IdPrefix, a.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public void RepeatedHeadings_AreNumberedAsGitHubDoes()
    {
        var ids = Render("# a\n# a\n# a-1\n# a\n#\n# A").QuerySelectorAll("h1").Select(h => h.Id ?? "").ToArray();
        Assert.Equal(["intro-a", "intro-a-1", "intro-a-1-1", "intro-a-2", "intro-section", "intro-a-3"], ids);
    }

    [Fact]
    public void Render_LeadingTitleHeading_IsDroppedWhenItMatches()
    {
        var html = _renderer.Render("# Mistral 7B\n\n## Core Idea\n\nText.", dropTitle: "Mistral 7B");
        Assert.DoesNotContain("<h1", html);
        Assert.Contains("<h2", html);
    }

    [Fact]
    public void Render_RewriterReturningNull_KeepsTheLinkText()
    {
        var html = _renderer.Render("See [the other paper](../x/README.md) now.", _ => null);
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Empty(doc.QuerySelectorAll("a"));
        Assert.Contains("See the other paper now.", doc.Body!.TextContent);
    }
}
