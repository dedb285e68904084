namespace PaperCatalog.Web.Pages.Shared;

/// <summary>
/// What <c>_Pager</c> needs: the page's place (<see cref="PaperCatalog.Paging"/>) and the URL of any other page of the
/// same table, so every paged table links its pages the same way and each page has its own address (no script needed).
/// </summary>
public sealed record Pager(Paging Paging, Func<int, string> Url, string Label = "Pages")
{
    /// <summary>The page numbers to link: the first, the last, and two either side of this one; 0 stands for a gap.</summary>
    public IReadOnlyList<int> Numbers
    {
        get
        {
            var count = Paging.PageCount;
            var shown = new SortedSet<int> { 1, count };
            for (var n = Math.Max(1, Paging.Page - 2); n <= Math.Min(count, Paging.Page + 2); n++) shown.Add(n);
            var numbers = new List<int>();
            foreach (var n in shown)
            {
                if (numbers.Count > 0 && n > numbers[^1] + 1) numbers.Add(0);
                numbers.Add(n);
            }
            return numbers;
        }
    }
}
