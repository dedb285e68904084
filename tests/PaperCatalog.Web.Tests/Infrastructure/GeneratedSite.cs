using System.Globalization;
using System.Text;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>One row of <see cref="GeneratedSite"/>'s list, as the tests expect it back.</summary>
public sealed record GeneratedPaper(int Number, string Topic, int? Year, string Affiliation, int? Citations, bool LongIntro)
{
    public string Title => $"Generated Paper {Number}";
}

/// <summary>
/// A small generated catalog (36 papers in 3 topics, 20 of them with a 60 KB intro, affiliations written in the ways
/// lists write them) for the pages and files whose size or shape depends on the catalog: the shape page, feeds near the
/// output cache's limit, and a sitemap split into files (its per-file limit lowered to <see cref="SitemapUrlsPerFile"/>).
/// </summary>
public sealed class GeneratedSite : WrittenListSite
{
    public const int SitemapUrlsPerFile = 10;
    public static readonly string[] Topics = ["Serving", "Attention", "Quantization"];
    public static readonly string[] Keywords = ["Batching", "Kernels", "Caching", "Sparsity"];

    /// <summary>Every row of the list.</summary>
    public static readonly IReadOnlyList<GeneratedPaper> Papers = Enumerable.Range(0, 36).Select(i => new GeneratedPaper(
        i, Topics[i % 3], i % 18 == 17 ? null : 2019 + i * 7 % 6,
        (i % 4) switch
        {
            0 => "UC Berkeley, Stanford etc",
            1 => "uc  berkeley; MIT",
            2 => "stanford",
            _ => "Université Paris-Saclay, Universite Paris Saclay",
        },
        i % 5 == 0 ? null : i * 10, i < 20)).ToList();

    public GeneratedSite() : base("generated", List) =>
        Site.Settings["Sitemap:UrlsPerFile"] = SitemapUrlsPerFile.ToString(CultureInfo.InvariantCulture);

    private static string List(string root)
    {
        var list = new StringBuilder("# A generated list\n\n");
        foreach (var topic in Topics)
        {
            list.Append(CultureInfo.InvariantCulture, $"## {topic}\n\nLast update of citation was on 20th Oct, 2024.\n\n");
            list.Append("|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
            foreach (var p in Papers.Where(p => p.Topic == topic))
            {
                var intro = "";
                if (p.LongIntro)
                {
                    var folder = Path.Combine(root, topic.ToLowerInvariant(), "p" + p.Number);
                    Directory.CreateDirectory(folder);
                    File.WriteAllText(Path.Combine(folder, "README.md"), LongIntro(p));
                    intro = $" [[intro]({topic.ToLowerInvariant()}/p{p.Number}/README.md)]";
                }
                list.Append(CultureInfo.InvariantCulture,
                    $"| {Keywords[p.Number % 4]} | **{p.Title}** | [[pdf](https://arxiv.org/abs/2401.{p.Number:D5})]{intro} | {p.Affiliation} | {(p.Year is { } y ? $"{y}.{p.Number % 12 + 1:D2}" : "")} | {p.Citations} |\n");
            }
            list.Append('\n');
        }
        return list.ToString();
    }

    /// <summary>About 60 KB of plain paragraphs: within the Markdown budget, and 20 of them are more than a feed may carry in full.</summary>
    private static string LongIntro(GeneratedPaper p)
    {
        var sb = new StringBuilder($"# {p.Title}\n\n");
        for (var n = 0; sb.Length < 60_000; n++)
            sb.Append(CultureInfo.InvariantCulture, $"Paragraph {n} of paper {p.Number}: the drafts form a tree and the target model checks every branch in one pass, so that the accepted prefix grows by several tokens per step.\n\n");
        return sb.ToString();
    }
}

/// <summary>The generated catalog, shared by the test classes that read it.</summary>
[CollectionDefinition(Name)]
public sealed class GeneratedSiteCollection : ICollectionFixture<GeneratedSite>
{
    public const string Name = "generated site";
}
