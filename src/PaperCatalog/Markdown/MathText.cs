using System.Text;
using System.Text.RegularExpressions;

namespace PaperCatalog.Markdown;

/// <summary>
/// Inline TeX as plain text, for text that cannot render math (search snippets, summaries): simple math reads as it
/// would rendered ("N \times N" is "N × N", "\mathrm{softmax}" is "softmax"); math with more structure (fractions,
/// roots, matrices) has no plain reading and is null, to be left out. Never TeX source.
/// </summary>
internal static partial class MathText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["times"] = "×", ["cdot"] = "·", ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["approx"] = "≈",
        ["neq"] = "≠", ["ne"] = "≠", ["to"] = "→", ["rightarrow"] = "→", ["leftarrow"] = "←", ["in"] = "∈", ["sim"] = "~",
        ["sum"] = "Σ", ["prod"] = "Π", ["infty"] = "∞", ["ldots"] = "…", ["dots"] = "…", ["cdots"] = "⋯", ["pm"] = "±",
        ["top"] = "ᵀ", ["log"] = "log", ["exp"] = "exp", ["max"] = "max", ["min"] = "min", ["ll"] = "≪", ["gg"] = "≫",
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε",
        ["eta"] = "η", ["theta"] = "θ", ["lambda"] = "λ", ["mu"] = "μ", ["pi"] = "π", ["rho"] = "ρ", ["sigma"] = "σ",
        ["tau"] = "τ", ["phi"] = "φ", ["psi"] = "ψ", ["omega"] = "ω", ["Delta"] = "Δ", ["Theta"] = "Θ", ["Sigma"] = "Σ",
        ["Omega"] = "Ω", ["quad"] = " ", ["qquad"] = " ", [","] = " ", [";"] = " ", ["!"] = "", ["%"] = "%", ["_"] = "_",
    };

    // \mathrm{x}, \text{x}, ... around plain letters: the letters are what a reader sees.
    [GeneratedRegex(@"\\(?:mathrm|text|textrm|mathbf|mathit|mathsf|mathtt|mathcal|operatorname|boldsymbol)\s*\{([^{}\\]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Wrapper();

    [GeneratedRegex(@"\\([A-Za-z]+|[,;!%_])", RegexOptions.CultureInvariant)]
    private static partial Regex Command();

    // A group of plain characters after ^ or _ ("W_{q}", "n^{2}") needs no braces to read.
    [GeneratedRegex(@"([\^_])\{([^{}\\]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Group();

    /// <summary>The plain reading of <paramref name="tex"/>, or null when it has none.</summary>
    public static string? Plain(string tex)
    {
        if (tex.Length > 200) return null;
        var text = Wrapper().Replace(tex, m => m.Groups[1].Value);
        var unknown = false;
        text = Command().Replace(text, m =>
        {
            if (Symbols.TryGetValue(m.Groups[1].Value, out var symbol)) return symbol;
            unknown = true;
            return "";
        });
        if (unknown) return null;
        text = Group().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value);
        if (text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal) || text.Contains('&', StringComparison.Ordinal)) return null;
        var sb = new StringBuilder(text.Length);
        foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) sb.Append(sb.Length == 0 ? "" : " ").Append(part);
        return sb.Length == 0 ? null : sb.ToString();
    }
}
