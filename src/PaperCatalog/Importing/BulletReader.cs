using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>
/// Reads one bullet of a list kept as bullets under topic headings, in the shapes curators use:
/// <c>- Title &lt;br&gt; ICLR 2024 [[Paper]](url) [[Code]](url)</c>, <c>- [Short](url): rest of the title | Venue or Org</c>,
/// <c>- **Title**, Venue. [paper](url)</c>. A bullet is a paper candidate when it links a paper (arXiv, DOI, a PDF, a
/// venue's page, a blog or docs page); other bullets (contents, notes, contributing) are not papers and are passed over.
/// </summary>
internal static partial class BulletReader
{
    /// <summary>A bullet's text without its marker, or null when the line is no bullet.</summary>
    public static string? BulletText(string trimmed)
    {
        var m = MarkerRegex().Match(trimmed);
        return m.Success ? trimmed[m.Length..] : null;
    }

    /// <summary>
    /// The paper a bullet describes; <c>Candidate</c> is false for bullets that link no paper at all, and true with a
    /// null paper for a bullet that looks like one but cannot be read into a title and a link.
    /// </summary>
    public static (bool Candidate, ParsedPaper? Paper) Read(string bullet, int line)
    {
        var text = ListDecorations.Strip(BreakRegex().Replace(bullet, " | "));
        var links = ListLinks.In(text);
        // A blog or docs page makes a paper only as a tag ("[[Blog]](url)"), not as prose ("our blog has notes").
        var external = links.Where(l => l.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            && (l.Kind == RowLinkKind.Paper || l.Kind is RowLinkKind.Blog or RowLinkKind.Docs && TagLabels.Contains(l.Label))).ToList();
        if (external.Count == 0) return (false, null);

        string titleText, rest;
        var lead = LeadingLinkRegex().Match(text);
        if (lead.Success)
        {
            // "[Short](url): rest of the title | Venue": the link's words start the title.
            var after = text[lead.Length..];
            var cut = SeparatorIndex(after);
            titleText = lead.Groups["label"].Value + (cut < 0 ? after : after[..cut]);
            rest = cut < 0 ? "" : after[cut..];
        }
        else
        {
            var firstLink = FirstLinkRegex().Match(text);
            var end = firstLink.Success ? firstLink.Index : text.Length;
            var cut = SeparatorIndex(text[..end]);
            if (cut >= 0) end = cut;
            titleText = text[..end];
            rest = text[end..];
        }
        var parts = RowReader.ReadTitle(titleText.Trim().TrimEnd(':', '.', ',', '-', '–', '—').Trim());
        string? venue = parts.Venue, affiliation = parts.Affiliation;
        foreach (var segment in ListLinks.Without(rest).Split(['|', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = ListParser.CleanInline(segment.Replace("**", "").Replace("__", "").Trim('(', ')', '[', ']', '.', ',', ' '));
            if (!words.Any(char.IsLetter)) continue;
            if (venue is null && Venues.Looks(words)) venue = words;
            else affiliation ??= words;
        }
        var (paper, intro, code) = RowReader.Pick(links);
        if (parts.Title.Length == 0 || paper is null) return (true, null);
        return (true, new ParsedPaper
        {
            Line = line,
            Title = parts.Title,
            Venue = venue,
            Keywords = parts.Keyword is null ? [] : [parts.Keyword],
            PdfUrl = paper,
            IntroLink = intro,
            CodeUrl = code,
            ArxivId = Identifiers.ArxivId(paper),
            Affiliation = affiliation,
            Published = Identifiers.ArxivMonth(Identifiers.ArxivId(paper)),
        });
    }

    private static readonly HashSet<string> TagLabels = new(StringComparer.OrdinalIgnoreCase) { "blog", "docs", "doc", "project", "project page", "website", "page" };

    private static int SeparatorIndex(string text)
    {
        var m = SeparatorRegex().Match(text);
        return m.Success ? m.Index : -1;
    }

    [GeneratedRegex(@"^(?:[-*+]|[0-9]{1,4}[.)])\s+")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakRegex();

    [GeneratedRegex(@"^\s*(?:\*\*|__)?\[(?<label>[^\[\]]+)\]\((?<url>[^)\s]+)\)(?:\*\*|__)?")]
    private static partial Regex LeadingLinkRegex();

    [GeneratedRegex(@"!?\[\[?[^\]]*\]?\]\(")]
    private static partial Regex FirstLinkRegex();

    [GeneratedRegex(@"\s\|\s|\s[–—]\s")]
    private static partial Regex SeparatorRegex();
}
