using System.Text.RegularExpressions;

namespace PaperCatalog;

/// <summary>
/// The catalog's one rule for a paper's identity, for list rows and submissions alike, normalised so the same paper is
/// found however it was linked: arXiv ids (from /abs/, /pdf/ and /html/ links, with or without a version, new-style
/// 2305.13245 and old-style cs/0112017, and arXiv's DOIs 10.48550/arXiv.…), DOIs (any case, with doi: or https://doi.org/ in front) and titles (case,
/// punctuation, accents, spacing).
/// </summary>
public static partial class Identifiers
{
    // [0-9], not \d: \d also matches other scripts' digits. A query or fragment after the id ("?context=cs") is ignored.
    // arXiv's own DOIs (10.48550/arXiv.2205.14135) name the same paper as its id.
    [GeneratedRegex(@"^(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*|(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.)?(?<id>(?:[0-9]{4}\.[0-9]{4,5})|(?:[a-z][a-z.\-]*/[0-9]{7}))(?:v[0-9]+)?(?:\.pdf)?/?(?:[?#].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivPattern();

    [GeneratedRegex(@"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(?<doi>10\.[0-9]{4,9}/\S+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoiPattern();

    /// <summary>The arXiv id in a link or id as typed ("https://arxiv.org/pdf/2305.13245v2.pdf" is 2305.13245), or null.</summary>
    public static string? ArxivId(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = ArxivPattern().Match(text.Trim());
        return m.Success ? m.Groups["id"].Value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// The month an arXiv id was first posted, as <c>YYYY.MM</c>: <c>2205.14135</c> is 2022.05, <c>cs/0112017</c> 2001.12
    /// (old-style ids run from 1991 to 2007); null for anything else.
    /// </summary>
    public static string? ArxivMonth(string? id)
    {
        if (ArxivId(id) is not { } normalised) return null;
        var digits = normalised.Contains('/', StringComparison.Ordinal) ? normalised[(normalised.IndexOf('/', StringComparison.Ordinal) + 1)..] : normalised;
        var yy = int.Parse(digits.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture);
        var mm = int.Parse(digits.AsSpan(2, 2), System.Globalization.CultureInfo.InvariantCulture);
        if (mm is < 1 or > 12) return null;
        return $"{(yy >= 91 ? 1900 + yy : 2000 + yy):D4}.{mm:D2}";
    }

    /// <summary>The DOI in a link or id as typed, lowercased ("doi:10.1145/ABC" and "https://doi.org/10.1145/abc" agree), or null.</summary>
    public static string? Doi(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = DoiPattern().Match(Uri.UnescapeDataString(text.Trim()));
        return m.Success ? m.Groups["doi"].Value.TrimEnd('.', '/').ToLowerInvariant() : null;
    }

    /// <summary>
    /// The paper link for what a submitter typed: a bare arXiv id (<c>2305.13245</c>, <c>arXiv:2305.13245v2</c>,
    /// old-style <c>hep-th/9901001</c>) becomes its abstract page, a bare DOI (<c>10.1145/3600006.3613165</c>,
    /// <c>doi:…</c>) its doi.org address; a web address or anything else comes back as typed (trimmed), for the
    /// form's own rules to judge.
    /// </summary>
    public static string? PaperLink(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return typed;
        var text = typed.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return text;
        if (ArxivId(text) is { } arxiv) return PaperUrls.Arxiv(arxiv);
        // Case kept as typed (DOIs are case-insensitive, the address reads as the publisher wrote it); the match
        // above lowercases only the comparison key.
        var doi = DoiPattern().Match(text);
        if (doi.Success && Doi(text) is not null)
            return "https://doi.org/" + string.Join('/', doi.Groups["doi"].Value.TrimEnd('.', '/').Split('/').Select(Uri.EscapeDataString));
        return text;
    }

    /// <summary>A title folded for exact matching: the importer's own key, so list papers and submissions agree.</summary>
    public static string TitleKey(string title) => Slugs.TitleKey(title);

    /// <summary>The title's words, folded ("same words, another order or spelling of spaces" are the same set).</summary>
    public static IReadOnlySet<string> TitleWords(string title) =>
        TitleKey(title).Split('-', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when two titles share nearly all their words (Jaccard similarity of at least 0.8).</summary>
    public static bool NearTitles(string a, string b) => NearTitles(TitleWords(a), TitleWords(b));

    /// <summary>The same for word sets already made (a page of the queue compares each title with many).</summary>
    public static bool NearTitles(IReadOnlySet<string> x, IReadOnlySet<string> y)
    {
        if (x.Count == 0 || y.Count == 0) return false;
        var common = x.Count(y.Contains);
        return common / (double)(x.Count + y.Count - common) >= 0.8;
    }
}
