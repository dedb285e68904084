namespace PaperCatalog;

/// <summary>
/// One page of a long table: the page a link asks for (clamped into range, so a stale or hostile <c>page=</c> is the
/// last page, never an error or an empty answer) and how many rows there are in all. Topic, keyword and index tables
/// use it; a page never holds more than <see cref="MaxSize"/> rows, so a 20,000-paper topic costs what a small one does.
/// </summary>
public sealed record Paging
{
    /// <summary>Rows on a table page: a long topic reads as a few screens, and the page stays under 100 KB.</summary>
    public const int DefaultSize = 100;

    public const int MaxSize = 100;

    public int Number { get; }
    public int Size { get; }
    public long Total { get; }

    public Paging(int? requested, long total, int size = DefaultSize)
    {
        Size = Math.Clamp(size, 1, MaxSize);
        Total = Math.Max(0, total);
        Number = Math.Clamp(requested ?? 1, 1, Pages);
    }

    /// <summary>An empty table is one (empty) page.</summary>
    public int Pages => Total == 0 ? 1 : (int)Math.Min(int.MaxValue, (Total + Size - 1) / Size);

    public long Skip => (long)(Number - 1) * Size;

    /// <summary>The 1-based position of the page's first row, for an ordered list's <c>start</c>.</summary>
    public long First => Skip + 1;

    /// <summary>The 1-based position of the page's last row (0 on an empty table).</summary>
    public long Last => Math.Min(Total, Skip + Size);
}
