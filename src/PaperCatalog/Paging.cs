namespace PaperCatalog;

/// <summary>
/// One page of a long table: which page, how many rows a page holds, how many rows there are. The one paging rule for
/// every paged table (all papers, and the topic, keyword and search tables as they come onto it): pages count from 1,
/// a page past the end is the last page, and a page holds at most <see cref="MaxSize"/> rows.
/// </summary>
public sealed record Paging
{
    /// <summary>Rows on a page unless a table asks for fewer; also the most any table shows at once.</summary>
    public const int MaxSize = 100;

    public int Page { get; private init; } = 1;
    public int Size { get; private init; } = MaxSize;
    public long Total { get; private init; }

    public int PageCount => Total == 0 ? 1 : (int)Math.Min(int.MaxValue, (Total + Size - 1) / Size);

    /// <summary>Rows before this page (SQL's OFFSET).</summary>
    public long Offset => (long)(Page - 1) * Size;

    /// <summary>The page <paramref name="requested"/> (any number, or none for the first) of <paramref name="total"/> rows.</summary>
    public static Paging Of(int? requested, long total, int size = MaxSize)
    {
        var paging = new Paging { Size = Math.Clamp(size, 1, MaxSize), Total = Math.Max(0, total) };
        return paging with { Page = Math.Clamp(requested ?? 1, 1, paging.PageCount) };
    }
}
