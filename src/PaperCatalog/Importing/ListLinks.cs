using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>What a link in a list row points at.</summary>
public enum RowLinkKind { Paper, Code, Intro, Blog, Docs, Anchor, Other }

/// <summary>A link found in a cell or bullet: its label as written, its URL, and what it is.</summary>
public sealed record ListLink(string Label, string Url, RowLinkKind Kind);

/// <summary>
/// Finds the links of a list row in every shape curators write them (<c>[pdf](url)</c>, <c>[[pdf]](url)</c>,
/// <c>[[pdf](url)]</c>) and classifies each by where it points and by its label: arXiv, DOI, a venue's page or a PDF is
/// the paper; GitHub or GitLab is code; "intro", "blog" and "docs" are what they say. Badge images are not links.
/// </summary>
public static partial class ListLinks
{
    private static readonly string[] PaperHosts =
    [
        "arxiv.org", "doi.org", "openreview.net", "aclanthology.org", "usenix.org", "dl.acm.org", "proceedings.neurips.cc",
        "papers.nips.cc", "proceedings.mlr.press", "proceedings.mlsys.org", "ieeexplore.ieee.org", "link.springer.com",
        "sciencedirect.com", "openaccess.thecvf.com", "semanticscholar.org", "huggingface.co/papers", "papers.cool",
        "ojs.aaai.org", "jmlr.org",
    ];

    private static readonly string[] CodeHosts = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co/spaces"];

    /// <summary>Every link in <paramref name="text"/>, in order; <paramref name="column"/> decides a label-less link's kind.</summary>
    public static IReadOnlyList<ListLink> In(string text, RowLinkKind column = RowLinkKind.Paper)
    {
        if (!text.Contains("](", StringComparison.Ordinal)) return [];
        var links = new List<ListLink>();
        foreach (Match m in LinkRegex().Matches(text))
        {
            if (m.Groups["bang"].Success) continue; // ![](badge.svg): decoration
            var url = m.Groups["url"].Value.Trim();
            if (url.Length == 0) continue;
            var label = ListParser.CleanInline(m.Groups["label"].Value.Trim('[', ']', ' ', '*', '_'));
            links.Add(new ListLink(label, url, Classify(label, url, column)));
        }
        return links;
    }

    /// <summary>The text with every link and image taken out (the words around them stay).</summary>
    public static string Without(string text) => text.Contains("](", StringComparison.Ordinal) ? LinkRegex().Replace(text, " ") : text;

    /// <summary>What a link with <paramref name="label"/> and <paramref name="url"/> is, when found in a <paramref name="column"/> cell.</summary>
    public static RowLinkKind Classify(string label, string url, RowLinkKind column = RowLinkKind.Paper)
    {
        var l = label.ToLowerInvariant();
        if (url.StartsWith('#')) return RowLinkKind.Anchor;
        if (l.Contains("intro", StringComparison.Ordinal) || l.Contains("note", StringComparison.Ordinal)) return RowLinkKind.Intro;
        var host = HostAndPath(url);
        var isPdf = url.Split('?', '#')[0].EndsWith(".pdf", StringComparison.OrdinalIgnoreCase);
        var paperLabel = l is "pdf" or "paper" or "arxiv" or "abs" or "doi" or "acm" or "openreview" or "link" or "url" || l.StartsWith("paper", StringComparison.Ordinal);
        if (host is not null && PaperHosts.Any(h => host.StartsWith(h, StringComparison.Ordinal) || host.Contains("." + h, StringComparison.Ordinal))) return RowLinkKind.Paper;
        if (isPdf) return RowLinkKind.Paper;
        if (l.Contains("blog", StringComparison.Ordinal)) return RowLinkKind.Blog;
        if (l.Contains("doc", StringComparison.Ordinal) || l.Contains("website", StringComparison.Ordinal) || l.Contains("project", StringComparison.Ordinal)) return RowLinkKind.Docs;
        if (host is not null && CodeHosts.Any(h => host.StartsWith(h, StringComparison.Ordinal) || host.StartsWith("www." + h, StringComparison.Ordinal))) return paperLabel ? RowLinkKind.Paper : RowLinkKind.Code;
        if (l is "code" or "repo" or "github" or "gitlab" || l.Contains("code", StringComparison.Ordinal)) return RowLinkKind.Code;
        if (paperLabel) return RowLinkKind.Paper;
        if (host is null) return column == RowLinkKind.Paper ? RowLinkKind.Intro : RowLinkKind.Other; // a relative link in the paper cell: an intro page
        return column is RowLinkKind.Code ? RowLinkKind.Code : column == RowLinkKind.Paper ? RowLinkKind.Paper : RowLinkKind.Other;
    }

    /// <summary>"arxiv.org/abs/..." for an absolute http(s) URL (without "www."), or null for a relative one.</summary>
    private static string? HostAndPath(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        return host + uri.AbsolutePath.ToLowerInvariant();
    }

    // [label](url), [[label]](url), [[label](url)], ![alt](src); the label may hold one level of brackets.
    [GeneratedRegex(@"(?<bang>!)?\[(?<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?(?<url>[^)\s>]*)>?(?:\s+""[^""]*"")?\s*\)\]?")]
    private static partial Regex LinkRegex();
}
