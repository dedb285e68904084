using Microsoft.AspNetCore.Html;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>A paper's links (<c>_PaperLinks</c>), in a table row or on the paper's own page.</summary>
public sealed record PaperLinks(PaperRow Paper, bool OnPaperPage);

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
