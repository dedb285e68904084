using System.Globalization;
using System.Text;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>The cross-site-scripting corpus in xss-vectors.txt (escape convention at the top of that file).</summary>
public static class XssVectors
{
    private static readonly Lazy<IReadOnlyList<string>> Loaded = new(Load);

    public static string FilePath =>
        Path.Combine(CatalogFactory.RepositoryRoot, "tests", "PaperCatalog.Web.Tests", "Security", "xss-vectors.txt");

    public static IReadOnlyList<string> All => Loaded.Value;

    private static IReadOnlyList<string> Load() =>
        File.ReadAllLines(FilePath, Encoding.UTF8)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(Decode)
            .ToList();

    /// <summary>\n, \r, \t, \\ and \u{HEX}; any other backslash stays as it is.</summary>
    public static string Decode(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c != '\\' || i + 1 >= line.Length) { sb.Append(c); continue; }
            var next = line[i + 1];
            switch (next)
            {
                case 'n': sb.Append('\n'); i++; break;
                case 'r': sb.Append('\r'); i++; break;
                case 't': sb.Append('\t'); i++; break;
                case '\\': sb.Append('\\'); i++; break;
                case 'u' when i + 2 < line.Length && line[i + 2] == '{' && line.IndexOf('}', i + 3) is var end and > 0:
                    sb.Append(char.ConvertFromUtf32(int.Parse(line.AsSpan(i + 3, end - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i = end;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}

public sealed class XssVectorCorpusTests
{
    [Fact]
    public void Corpus_HasAtLeast300DistinctVectors_EachCallingACanary()
    {
        var vectors = XssVectors.All;
        Assert.True(vectors.Count >= 300, $"only {vectors.Count} vectors");
        Assert.Equal(vectors.Count, vectors.Distinct(StringComparer.Ordinal).Count());
        // A canary in clear, or hidden the way the vector means to smuggle it (entities, base64, string tricks).
        string[] canaries = ["alert", "__xss", "msgbox", "lert(", "base64,", "&#", "atob(", "al'+'ert", "`al`+`ert`"];
        var silent = vectors.Where(v => !canaries.Any(c => v.Contains(c, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(silent.Count == 0, "vectors without a canary:\n" + string.Join("\n", silent));
    }

    [Fact]
    public void Decode_ReadsTheEscapes()
    {
        Assert.Equal("a\nb\tc\\d\0e\\65", XssVectors.Decode("a\\nb\\tc\\\\d\\u{0}e\\65"));
        Assert.Contains(XssVectors.All, v => v.Contains('\n'));
        Assert.Contains(XssVectors.All, v => v.Contains('\0'));
    }
}
