using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// The property every served document must have: no event-handler attribute, no script-capable URL in a URL
/// attribute, no element that runs or embeds code or styles (the site's own same-origin scripts and stylesheets
/// excepted when a whole page is checked).
/// </summary>
public static class HtmlSafety
{
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "xlink:href", "action", "formaction", "data", "poster", "background", "srcset", "ping",
        "codebase", "cite", "dynsrc", "lowsrc", "manifest", "icon", "longdesc", "usemap", "srcdoc",
    };

    private static readonly string[] DangerousSchemes = ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"];

    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "iframe", "object", "embed", "style", "base", "frame", "frameset", "applet",
    };

    public static List<string> Problems(string html, bool wholePage)
    {
        var document = new HtmlParser().ParseDocument(wholePage ? html : "<body>" + html + "</body>");
        return Problems(document, wholePage);
    }

    public static List<string> Problems(IDocument document, bool wholePage)
    {
        var problems = new List<string>();
        foreach (var element in document.All)
        {
            var name = element.LocalName;
            foreach (var attribute in element.Attributes)
            {
                var attr = attribute.Name;
                if (attr.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                    problems.Add($"<{name} {attr}=\"{Cut(attribute.Value)}\">: event handler attribute");
                else if ((UrlAttributes.Contains(attr) || attr.EndsWith(":href", StringComparison.OrdinalIgnoreCase)) && IsDangerousUrl(attribute.Value, attr))
                    problems.Add($"<{name} {attr}=\"{Cut(attribute.Value)}\">: script-capable URL");
                else if (attr.Equals("style", StringComparison.OrdinalIgnoreCase) && IsDangerousStyle(attribute.Value))
                    problems.Add($"<{name} style=\"{Cut(attribute.Value)}\">: script in a style");
            }
            if (name == "script")
            {
                var src = element.GetAttribute("src");
                var own = wholePage && src is not null && IsSameOrigin(src) && string.IsNullOrWhiteSpace(element.TextContent);
                if (!own && !IsOwnDataBlock(element, wholePage)) problems.Add($"<script>{Cut(element.TextContent)}</script>: script element");
            }
            else if (name == "link")
            {
                if (!wholePage || !IsSameOrigin(element.GetAttribute("href") ?? "") && !IsCanonical(element)) problems.Add($"<link href=\"{element.GetAttribute("href")}\">: foreign link element");
            }
            else if (name == "meta" && element.HasAttribute("http-equiv"))
            {
                problems.Add($"<meta http-equiv=\"{element.GetAttribute("http-equiv")}\">: meta directive");
            }
            else if (ForbiddenElements.Contains(name))
            {
                problems.Add($"<{name}>: forbidden element");
            }
        }
        return problems;
    }

    public static bool IsDangerousUrl(string value, string attribute = "href")
    {
        IEnumerable<string> candidates = attribute.Equals("srcset", StringComparison.OrdinalIgnoreCase)
            ? value.Split(',').Select(part => part.Trim().Split(' ')[0])
            : [value];
        foreach (var candidate in candidates)
        {
            foreach (var form in new[] { candidate, System.Net.WebUtility.HtmlDecode(Uri.UnescapeDataString(candidate)) })
            {
                var compact = new string(form.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
                if (DangerousSchemes.Any(s => compact.StartsWith(s, StringComparison.Ordinal))) return true;
            }
        }
        return false;
    }

    private static bool IsDangerousStyle(string style)
    {
        var compact = new string(style.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
        return compact.Contains("javascript:") || compact.Contains("expression(") || compact.Contains("url(") || compact.Contains("behavior:") || compact.Contains("binding:") || compact.Contains('\\');
    }

    /// <summary>
    /// The paper page's schema.org JSON-LD: a data block in the head (never run, whatever the CSP says), with no src,
    /// whose whole text is one JSON object. Anything that broke out of it would leave text that is not JSON.
    /// </summary>
    private static bool IsOwnDataBlock(IElement script, bool wholePage)
    {
        if (!wholePage || script.GetAttribute("type") != "application/ld+json" || script.HasAttribute("src") || script.ParentElement?.LocalName != "head") return false;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(script.TextContent);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A page's canonical address: an absolute http(s) URL that nothing loads (it only names the page).</summary>
    private static bool IsCanonical(IElement link) =>
        link.GetAttribute("rel") == "canonical" && link.ParentElement?.LocalName == "head"
        && Uri.TryCreate(link.GetAttribute("href"), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsSameOrigin(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static string Cut(string s) => s.Length > 120 ? s[..120] + "…" : s;

    /// <summary>Fails with every problem of every input, so one run shows all the holes at once.</summary>
    public static void AssertNone(List<string> failures, string what)
    {
        Assert.True(failures.Count == 0, $"{failures.Count} {what}:\n" + string.Join("\n", failures.Take(40)));
    }
}
