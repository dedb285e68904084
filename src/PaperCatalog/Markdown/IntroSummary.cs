using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PaperCatalog.Markdown;

/// <summary>
/// A rendered intro's first paragraph as plain text, for what other sites show of a page (description meta tags,
/// link previews, feed summaries). Math (Markdig's <c>class="math"</c> spans) is written as text, not left as TeX:
/// <c>\(O(\sqrt{n})\)</c> becomes "O(√n)", a command it does not know loses its backslash.
/// </summary>
public static partial class IntroSummary
{
    /// <summary>Summaries longer than this are cut at a word and end with an ellipsis (search engines show ~160).</summary>
    public const int MaxLength = 300;

    private static readonly HtmlParser Parser = new();

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["sqrt"] = "√", ["times"] = "×", ["cdot"] = "·", ["leq"] = "≤", ["le"] = "≤", ["geq"] = "≥", ["ge"] = "≥",
        ["neq"] = "≠", ["approx"] = "≈", ["sim"] = "~", ["infty"] = "∞", ["to"] = "→", ["rightarrow"] = "→",
        ["leftarrow"] = "←", ["in"] = "∈", ["sum"] = "∑", ["prod"] = "∏", ["log"] = "log", ["exp"] = "exp",
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["theta"] = "θ",
        ["lambda"] = "λ", ["mu"] = "μ", ["pi"] = "π", ["sigma"] = "σ", ["tau"] = "τ", ["phi"] = "φ", ["omega"] = "ω",
        ["Delta"] = "Δ", ["Sigma"] = "Σ", ["Omega"] = "Ω", ["ldots"] = "…", ["dots"] = "…", ["cdots"] = "⋯",
        ["pm"] = "±", ["mid"] = "|", ["left"] = "", ["right"] = "", ["mathcal"] = "", ["mathbf"] = "", ["mathrm"] = "",
        ["text"] = "", ["operatorname"] = "", [","] = " ", [";"] = " ", ["quad"] = " ", ["%"] = "%", ["{"] = "{", ["}"] = "}",
    };

    /// <summary>The first paragraph of <paramref name="introHtml"/> as text, or null when the intro has none.</summary>
    public static string? FirstParagraph(string? introHtml)
    {
        if (string.IsNullOrWhiteSpace(introHtml)) return null;
        var doc = Parser.ParseDocument("<body>" + introHtml + "</body>");
        var paragraph = doc.Body!.QuerySelectorAll("p").FirstOrDefault(p => !string.IsNullOrWhiteSpace(p.TextContent));
        if (paragraph is null) return null;
        foreach (var math in paragraph.QuerySelectorAll(".math").ToList()) math.Replace(doc.CreateTextNode(MathText(math.TextContent)));
        var text = Whitespace().Replace(paragraph.TextContent, " ").Trim();
        if (text.Length <= MaxLength) return text.Length == 0 ? null : text;
        var cut = text.LastIndexOf(' ', MaxLength - 1);
        return text[..(cut > MaxLength / 2 ? cut : MaxLength - 1)].TrimEnd(',', ';', ':', ' ') + "…";
    }

    /// <summary>TeX as a reader would say it in plain text: delimiters dropped, known commands as symbols, braces gone.</summary>
    public static string MathText(string tex)
    {
        var body = tex.Trim();
        if (body.StartsWith(@"\(", StringComparison.Ordinal) || body.StartsWith(@"\[", StringComparison.Ordinal)) body = body[2..];
        if (body.EndsWith(@"\)", StringComparison.Ordinal) || body.EndsWith(@"\]", StringComparison.Ordinal)) body = body[..^2];
        body = body.Trim('$');
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length)
            {
                var start = i + 1;
                var end = start;
                while (end < body.Length && char.IsAsciiLetter(body[end])) end++;
                if (end == start) end++; // a one-symbol command: \, \% \{
                var name = body[start..end];
                sb.Append(Symbols.TryGetValue(name, out var symbol) ? symbol : name);
                i = end - 1;
            }
            else if (c is not ('{' or '}'))
            {
                sb.Append(c);
            }
        }
        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
