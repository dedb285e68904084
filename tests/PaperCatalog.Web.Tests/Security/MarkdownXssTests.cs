using PaperCatalog.Markdown;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>Every vector through the one Markdown renderer, alone and as part of a longer intro.</summary>
public sealed class MarkdownXssTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void EveryVector_RendersToHtmlWithNoScriptRoute()
    {
        var failures = new List<string>();
        foreach (var vector in XssVectors.All)
        {
            foreach (var markdown in new[] { vector, "Some text\n\n" + vector + "\n\nMore *text*.", "- " + vector, "> " + vector, "| a |\n|---|\n| " + vector.Replace("\n", " ") + " |" })
            {
                // With no rewrite, and with a rewrite that keeps every URL (as the site does for links it does not know).
                foreach (var html in new[] { _renderer.Render(markdown), _renderer.Render(markdown, link => link.Url) })
                {
                    failures.AddRange(HtmlSafety.Problems(html, wholePage: false).Select(p => $"{Show(markdown)} -> {p}"));
                }
            }
        }
        HtmlSafety.AssertNone(failures, "script routes in rendered Markdown");
    }

    [Fact]
    public void AllVectorsInOneDocument_RenderWithNoScriptRoute()
    {
        var html = _renderer.Render(string.Join("\n\n", XssVectors.All));
        HtmlSafety.AssertNone(HtmlSafety.Problems(html, wholePage: false), "script routes in the whole corpus rendered as one document");
    }

    [Fact]
    public void EveryVector_IsNeverASafeUrl_WhenItIsAScriptUrl()
    {
        foreach (var vector in XssVectors.All.Where(v => !v.Contains('<') && !v.Contains('[') && !v.Contains('\n')))
        {
            if (HtmlSafety.IsDangerousUrl(vector)) Assert.False(MarkdownRenderer.IsSafeUrl(vector), vector);
        }
    }

    private static string Show(string s) => (s.Length > 100 ? s[..100] + "…" : s).Replace("\n", "\\n");
}
