namespace PaperCatalog.Moderation;

/// <summary>How a run of words fared between two texts.</summary>
public enum DiffKind { Same, Removed, Added }

/// <summary>A run of consecutive words (with the spaces between them) of one kind.</summary>
public sealed record DiffPart(DiffKind Kind, string Text);

/// <summary>
/// A word-level diff: the longest common subsequence of the two texts' words, the rest marked removed or added. The
/// audit log's values are clipped to <see cref="AuditLog.MaxValue"/> characters, so the table stays small (a few hundred
/// words a side); a small LCS is all it takes, no package.
/// </summary>
public static class WordDiff
{
    public static IReadOnlyList<DiffPart> Of(string before, string after)
    {
        var a = before.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var b = after.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // lcs[i, j]: the common words of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var parts = new List<DiffPart>();
        void Add(DiffKind kind, string word)
        {
            if (parts.Count > 0 && parts[^1].Kind == kind) parts[^1] = parts[^1] with { Text = parts[^1].Text + " " + word };
            else parts.Add(new DiffPart(kind, word));
        }
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { Add(DiffKind.Same, a[x]); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) Add(DiffKind.Removed, a[x++]);
            else Add(DiffKind.Added, b[y++]);
        }
        while (x < a.Length) Add(DiffKind.Removed, a[x++]);
        while (y < b.Length) Add(DiffKind.Added, b[y++]);
        return parts;
    }
}
