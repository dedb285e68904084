using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace PaperCatalog.Tests.Importing;

/// <summary>The ways a hand-kept list goes wrong, applied to a realistic list to make a fuzz case.</summary>
public enum MutationKind
{
    DeleteLine,
    DuplicateLine,
    SwapLines,
    TruncateLine,
    DropPipe,
    AddPipe,
    InsertPayload,
    ReplaceCell,
    InsertLine,
    InsertBytes,
    CrLfLineEndings,
    CrLineEndings,
    Bom,
}

/// <summary>
/// One mutation. <see cref="Line"/>, <see cref="At"/> and <see cref="Payload"/> are picked at random and taken
/// modulo whatever they index (lines, characters, cells, <see cref="ListMutations.Payloads"/>), so a mutation
/// applies to any list and a shrunk case stays valid.
/// </summary>
public sealed record Mutation(MutationKind Kind, int Line, int At, int Payload, byte[] Bytes)
{
    public override string ToString() => Kind switch
    {
        MutationKind.InsertBytes => $"{Kind}(line {Line}, at {At}, [{Convert.ToHexString(Bytes)}])",
        MutationKind.InsertPayload or MutationKind.ReplaceCell or MutationKind.InsertLine => $"{Kind}(line {Line}, at {At}, {ListMutations.Describe(Payload)})",
        _ => $"{Kind}(line {Line}, at {At})",
    };
}

/// <summary>A fuzz case: one of the seed lists and the mutations applied to it, in order.</summary>
public sealed record FuzzCase(int Seed, Mutation[] Mutations)
{
    public override string ToString() => $"seed {ListMutations.SeedNames[Seed]}: {string.Join("; ", Mutations.Select(m => m.ToString()))}";
}

public static class ListMutations
{
    /// <summary>Generated rows in the curator's format, like the import benchmark's list but small.</summary>
    public static string Generated(int papers, int topics)
    {
        var sb = new StringBuilder("# Generated list\n\nA synthetic list.\n\n");
        var perTopic = (papers + topics - 1) / topics;
        for (int t = 0, i = 0; t < topics && i < papers; t++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## Topic {t + 1}\n\nLast update of citation was on {t % 28 + 1}th July, 2024.\n\n");
            sb.Append(Lists.Header);
            for (var k = 0; k < perTopic && i < papers; k++, i++)
            {
                var month = i % 12 + 1;
                var venue = i % 3 == 0 ? " [ICLR 2024]" : "";
                var citations = i % 17 == 0 ? "" : (i * 37 % 5000).ToString(CultureInfo.InvariantCulture);
                sb.Append(CultureInfo.InvariantCulture,
                    $"| K{i % 5}, Shared{i % 3} | **Generated Paper {i}: Efficient Inference Trick Number {i}**{venue} | [[pdf](https://arxiv.org/abs/24{month:D2}.{i:D5}v2)] | Lab {i % 10}, University {i % 7} | 20{18 + i % 7}.{month:D2} | {citations} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private const int HugeLength = 100 * 1024;
    // Declared before the payload tables that use it: static fields initialise in order.
    private static readonly string Huge = new('w', HugeLength);

    public static readonly string[] SeedNames = ["three rows", "bundled data/README.md", "generated 40 rows"];

    /// <summary>Text the mutations put into a list: markup that does not close, hostile HTML, bad numbers and dates, odd headings.</summary>
    public static readonly string[] Payloads =
    [
        "\0", "\u0001\u0002\u001b[31m", "\t", "\u00a0\u00a0", "\u202e", "\ufeff", "\ud83d\ude00", "\ud800", "\udc00",
        "**", "__", "[", "(", "](", "[[pdf](", "[[intro](", "`", "``` ", "\\|", "|", "<", "&", "&#0;", "&#xD800;", "&amp;lt;",
        "<mark>", "</mark>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "<a href=\"javascript:alert(1)\">x</a>",
        "2023.13", "0000.00", "99999.1", "2023-1", "2023/02", "1899.12", "2201.01", "-2023.01", "2023.", "\u0662\u0660\u0662\u0663.01",
        "-5", "99999999999999999999", "2147483648", "1e9", "1,000,000", "1_000", "\u0663", "NaN", " 12 ",
        "# ", "## ", "###### Deep", "## Attention", "# Second title", "#", "##",
        "Last update of citation was on 31st February, 2024.", "Last update of citation was on someday", "Upcoming topics include: A, B;; ,",
        "[[intro](../../../etc/passwd)]", "[[intro](attention/flash-attention/README.md)]", "[[intro](quantization/smoothquant/README.md)]",
        "[[intro](https://github.com/o/r/blob/main/quantization/smoothquant/README.md)]", "[[intro](missing/README.md)]", "[[intro](/)]",
        "[[intro](.)]", "[[intro](%00)]", "[[intro](a%2F..%2F..%2Fb)]", "[[pdf](https://arxiv.org/abs/2305.13245)]", "[[pdf]()]",
        "[ICLR 2024]", "[", "]]]]", "\r", "\n",
        Huge,
    ];

    /// <summary>Whole lines the mutations insert: table scaffolding and headings in odd places.</summary>
    public static readonly string[] PayloadLines =
    [
        "## Attention", "# Title", "### Sub", "## ", "|---|---|---|---|---|---|", "|---|", "| a | b |", Lists.Header.TrimEnd('\n'),
        "|Keywords | Title | Paper | Affiliation | Date | Citation|", "| | | | | | |", "```", "~~~", "", "Last update of citation was on 1st Jan, 2024.",
        Lists.Mqa, Lists.Gqa, "| X | **" + Huge + "** | [[pdf](https://x.example)] | Lab | 2024.01 | 1 |",
    ];

    public static string Describe(int payload)
    {
        var text = Payloads[payload % Payloads.Length];
        return text.Length == HugeLength ? "<100 KB cell>" : "\"" + string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
    }

    private static Gen<Mutation> MutationGen() =>
        from kind in Gen.Frequency(
            (4, Gen.Constant(MutationKind.DeleteLine)), (3, Gen.Constant(MutationKind.DuplicateLine)), (3, Gen.Constant(MutationKind.SwapLines)),
            (3, Gen.Constant(MutationKind.TruncateLine)), (4, Gen.Constant(MutationKind.DropPipe)), (4, Gen.Constant(MutationKind.AddPipe)),
            (8, Gen.Constant(MutationKind.InsertPayload)), (8, Gen.Constant(MutationKind.ReplaceCell)), (4, Gen.Constant(MutationKind.InsertLine)),
            (4, Gen.Constant(MutationKind.InsertBytes)), (1, Gen.Constant(MutationKind.CrLfLineEndings)), (1, Gen.Constant(MutationKind.CrLineEndings)),
            (1, Gen.Constant(MutationKind.Bom)))
        from line in Gen.Choose(0, 1_000_000)
        from at in Gen.Choose(0, 1_000_000)
        from payload in Gen.Choose(0, 1_000_000)
        from length in Gen.Choose(1, 6)
        from bytes in Gen.ArrayOf(Gen.Elements<byte>(0x00, 0x0d, 0x0a, 0x7c, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xa0, 0xf0, 0xf4, 0xf8, 0xfe, 0xff), length)
        select new Mutation(kind, line, at, payload, bytes);

    /// <summary>Cases: a seed list and one to eight mutations; shrinking drops mutations one at a time.</summary>
    public static Arbitrary<FuzzCase> Cases() =>
        Arb.From(
            from seed in Gen.Choose(0, SeedNames.Length - 1)
            from count in Gen.Choose(1, 8)
            from mutations in Gen.ArrayOf(MutationGen(), count)
            select new FuzzCase(seed, mutations),
            c => Enumerable.Range(0, c.Mutations.Length).Select(i => c with { Mutations = [.. c.Mutations.Take(i), .. c.Mutations.Skip(i + 1)] }));

    /// <summary>The bytes of the mutated list.</summary>
    public static byte[] Apply(string seed, IEnumerable<Mutation> mutations)
    {
        var lines = seed.Split('\n').ToList();
        var byteEdits = new List<Mutation>();
        string newline = "\n";
        var bom = false;
        foreach (var m in mutations)
        {
            var i = m.Line % lines.Count;
            var line = lines[i];
            switch (m.Kind)
            {
                case MutationKind.DeleteLine when lines.Count > 1: lines.RemoveAt(i); break;
                case MutationKind.DuplicateLine: lines.Insert(i, line); break;
                case MutationKind.SwapLines:
                    var j = m.At % lines.Count;
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case MutationKind.TruncateLine: lines[i] = line[..(m.At % (line.Length + 1))]; break;
                case MutationKind.DropPipe:
                    var pipes = Enumerable.Range(0, line.Length).Where(k => line[k] == '|').ToList();
                    if (pipes.Count > 0) lines[i] = line.Remove(pipes[m.At % pipes.Count], 1);
                    break;
                case MutationKind.AddPipe: lines[i] = line.Insert(m.At % (line.Length + 1), "|"); break;
                case MutationKind.InsertPayload: lines[i] = line.Insert(m.At % (line.Length + 1), Payloads[m.Payload % Payloads.Length]); break;
                case MutationKind.ReplaceCell:
                    var cells = line.Split('|');
                    cells[m.At % cells.Length] = " " + Payloads[m.Payload % Payloads.Length] + " ";
                    lines[i] = string.Join('|', cells);
                    break;
                case MutationKind.InsertLine: lines.Insert(i, PayloadLines[m.Payload % PayloadLines.Length]); break;
                case MutationKind.InsertBytes: byteEdits.Add(m); break;
                case MutationKind.CrLfLineEndings: newline = "\r\n"; break;
                case MutationKind.CrLineEndings: newline = "\r"; break;
                case MutationKind.Bom: bom = true; break;
            }
        }
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(string.Join(newline, lines)));
        foreach (var edit in byteEdits) bytes.InsertRange((int)((long)edit.At * bytes.Count / 1_000_001), edit.Bytes);
        if (bom) bytes.InsertRange(0, [0xef, 0xbb, 0xbf]);
        return [.. bytes];
    }
}
