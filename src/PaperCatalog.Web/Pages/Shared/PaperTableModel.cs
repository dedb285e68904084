using Microsoft.AspNetCore.Html;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>
/// A paper's links, the same in a table row and on its page, each named by where it goes and shown once: the paper
/// (arXiv, PDF, DOI), its code, on its page its arXiv entry when the paper link is another address, and an intro
/// elsewhere. An intro on this site is the paper's page itself, which the title already links.
/// <para>
/// Written here rather than by a partial view: a table page repeats it for every row, and a partial costs a view
/// lookup, a page activation and a buffer each time, which was about a fifth of rendering a topic page (README,
/// Benchmarks). Every value goes through the page's encoder, as Razor's <c>@</c> would.
/// </para>
/// </summary>
public sealed record PaperLinks(PaperRow Paper, bool OnPaperPage) : IHtmlContent
{
    /// <summary>Links on one line, a space after each but the intro link, no indentation.</summary>
    public void WriteTo(TextWriter writer, System.Text.Encodings.Web.HtmlEncoder encoder)
    {
        var paper = Paper;
        if (paper.PdfUrl is not null)
            Link(writer, encoder, paper.PdfUrl, OnPaperPage && PaperLabel == "arXiv" ? "arXiv:" + paper.ArxivId : PaperLabel, " ");
        if (paper.CodeUrl is not null) Link(writer, encoder, paper.CodeUrl, "code", " ");
        if (ShowArxiv) Link(writer, encoder, PaperUrls.Arxiv(paper.ArxivId!), "arXiv:" + paper.ArxivId, " ");
        if (!paper.HasIntro && paper.IntroUrl is not null) Link(writer, encoder, paper.IntroUrl, "intro", "");
    }

    private static void Link(TextWriter writer, System.Text.Encodings.Web.HtmlEncoder encoder, string href, string text, string after)
    {
        writer.Write("<a href=\"");
        encoder.Encode(writer, href);
        writer.Write("\" rel=\"noopener noreferrer\">");
        encoder.Encode(writer, text);
        writer.Write("</a>");
        writer.Write(after);
    }

    /// <summary>The paper link's name: "PDF" for a PDF file, "arXiv" for an arXiv page, "DOI" for a DOI, else "paper".</summary>
    public string PaperLabel => Paper.PdfUrl is not { } url ? ""
        : IsPdf(url) ? "PDF"
        : Paper.ArxivId is not null ? "arXiv"
        : Identifiers.Doi(url) is not null ? "DOI"
        : "paper";

    /// <summary>The arXiv entry as its own link: on the paper's page, when the paper link is not that page already.</summary>
    public bool ShowArxiv => OnPaperPage && Paper.ArxivId is not null && PaperLabel != "arXiv";

    private static bool IsPdf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.AbsolutePath.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.StartsWith("/pdf/", StringComparison.OrdinalIgnoreCase));
}

/// <summary>What the shared paper table needs: rows, and (on topic pages) the current sort for header links.</summary>
public sealed class PaperTableModel
{
    public required IReadOnlyList<PaperRow> Papers { get; init; }
    public required string Caption { get; init; }
    public bool ShowTopic { get; init; }
    /// <summary>Base path for sort links; null when the table is not sortable.</summary>
    public string? SortPath { get; init; }
    public string Sort { get; init; } = "list";
    public bool Descending { get; init; }

    public string? AriaSort(string column) =>
        SortPath is null || Sort != column ? null : Descending ? "descending" : "ascending";

    /// <summary>A header cell's content: a link that sorts by the column (toggling direction when already sorted by it).</summary>
    public IHtmlContent Header(string column, string label)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        if (SortPath is null) return new HtmlString(encoder.Encode(label));
        var defaultDescending = column != "title";
        var descending = Sort == column ? !Descending : defaultDescending;
        var href = $"{SortPath}?sort={column}&dir={(descending ? "desc" : "asc")}";
        var arrow = Sort == column ? (Descending ? " ↓" : " ↑") : "";
        var hint = $"Sort by {label.ToLowerInvariant()}, {(descending ? "highest or newest first" : "lowest or oldest first")}";
        if (column == "title") hint = $"Sort by title, {(descending ? "Z to A" : "A to Z")}";
        return new HtmlString($"<a class=\"sort\" href=\"{encoder.Encode(href)}\" title=\"{encoder.Encode(hint)}\">{encoder.Encode(label)}<span class=\"arrow\" aria-hidden=\"true\">{arrow}</span></a>");
    }
}

/// <summary>
/// Page links under a long table (<c>_Pager</c>): first, previous, a window of numbered pages around the current one,
/// next and last, each a plain link that keeps the table's sort, so paging works without script and can be shared.
/// </summary>
public sealed record PagerModel(Paging Paging, Func<int, string> Link, string Label)
{
    /// <summary>The numbered pages shown: the first, the last, and two on either side of the current one.</summary>
    public IEnumerable<int?> Window()
    {
        var shown = new[] { 1, Paging.Pages }
            .Concat(Enumerable.Range(Paging.Number - 2, 5))
            .Where(n => n >= 1 && n <= Paging.Pages)
            .Distinct().Order();
        var last = 0;
        foreach (var page in shown)
        {
            if (page > last + 1) yield return null; // a gap, shown as an ellipsis
            yield return last = page;
        }
    }
}

/// <summary>
/// A table's order as its URL gives it (<c>?sort=date&amp;dir=asc</c>), for the sort bar and the page links.
/// Unknown values fall back to the list's order; dates and counts read best highest first, titles A to Z.
/// </summary>
/// <param name="Dir">The direction as the URL gave it ("asc" or "desc"), or null for the sort's own.</param>
public sealed record TableSort(string Path, TopicSort Sort, bool Descending, string? Dir, bool AcrossTopics = false)
{
    public static TableSort Read(string path, string? sort, string? dir, bool acrossTopics = false)
    {
        var parsed = Enum.TryParse<TopicSort>(sort, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : TopicSort.List;
        var descending = dir is null ? parsed is TopicSort.Date or TopicSort.Citations : string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase);
        return new TableSort(path, parsed, descending, dir is null ? null : descending ? "desc" : "asc", acrossTopics);
    }

    /// <summary>The sort's name in URLs ("list", "date", ...).</summary>
    public string Key => Sort.ToString().ToLowerInvariant();
}
