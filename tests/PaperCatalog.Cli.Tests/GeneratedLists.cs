using System.Globalization;
using System.Text;

namespace PaperCatalog.Cli.Tests;

/// <summary>
/// Big synthetic lists in the curator's format (the import benchmark's generator, in two editions). Edition 1 is the
/// next version of edition 0: every tenth paper left, every seventh has a new citation count, every eleventh a
/// new title (same arXiv id), a tenth more papers came in, and a topic was added; an import of it updates,
/// removes and adds throughout the store.
/// </summary>
internal static class GeneratedLists
{
    public static string Build(int papers, int topics, int edition)
    {
        var sb = new StringBuilder(papers * 220);
        sb.Append(CultureInfo.InvariantCulture, $"# Generated list, edition {edition}\n\nA synthetic list for the crash-safety test.\n\n");
        var rows = Enumerable.Range(0, papers).Where(i => edition == 0 || i % 10 != 0);
        if (edition > 0) rows = rows.Concat(Enumerable.Range(papers, papers / 10));
        var all = rows.ToList();
        topics += edition;
        var perTopic = (all.Count + topics - 1) / topics;
        for (var t = 0; t < topics; t++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## Topic {t + 1}\n\nLast update of citation was on {(t + edition) % 28 + 1}th July, 2024.\n\n");
            sb.Append("|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
            foreach (var i in all.Skip(t * perTopic).Take(perTopic))
            {
                var month = i % 12 + 1;
                var venue = i % 3 == 0 ? " [ICLR 2024]" : "";
                var citations = i % 17 == 0 ? "" : (i % 5000 + (edition > 0 && i % 7 == 0 ? 1 : 0)).ToString(CultureInfo.InvariantCulture);
                var title = edition > 0 && i % 11 == 0 ? $"Generated Paper {i}, Revised: A Faster Inference Trick {i}" : $"Generated Paper {i}: Efficient Inference Trick Number {i}";
                sb.Append(CultureInfo.InvariantCulture,
                    $"| K{i % 500}, Shared{i % 37} | **{title}**{venue} | [[pdf](https://arxiv.org/abs/{20 + i / 10000 % 10}{month:D2}.{i % 100000:D5}v2)] | Lab {i % 100}, University {i % 7} | 20{18 + i % 7}.{month:D2} | {citations} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
