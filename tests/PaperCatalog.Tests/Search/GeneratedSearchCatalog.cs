using System.Globalization;
using System.Text;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>
/// A generated catalog (240 papers in 4 topics, half with intros) whose titles and intros draw on a few words, so
/// a common word matches more papers than a page in titles and in intros alike, imported through the real importer
/// into a real SQLite file: the ground for comparing the top-k path with a full ranking, and counts with SQL.
/// </summary>
public sealed class GeneratedSearchCatalog : IAsyncLifetime
{
    public const int Papers = 240;

    /// <summary>The words titles and intros are made of; the first ones are drawn most often.</summary>
    public static readonly string[] Words =
        ["attention", "memory", "cache", "decoding", "kernel", "sparse", "serving", "batch", "quantization", "routing", "window", "tensor"];

    private static readonly string[] Venues = ["ICML", "NeurIPS", "ICLR", "OSDI"];

    private readonly TempFolder _temp = new();

    public CatalogDatabase Database { get; private set; } = null!;
    public CatalogCache Cache { get; private set; } = null!;
    public CatalogImporter Importer { get; private set; } = null!;
    public SearchQueries Search { get; private set; } = null!;
    public string ListPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ListPath = _temp.Write("README.md", List(Papers, _temp));
        (Database, Cache, Importer, Search) = await SearchCatalog.ImportAsync(_temp, ListPath);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The list; intros are written into <paramref name="folder"/> beside it.</summary>
    public static string List(int papers, TempFolder folder)
    {
        var random = new Random(3);
        string Word() => Words[Math.Min(random.Next(Words.Length), random.Next(Words.Length))];
        var sb = new StringBuilder("# Generated search list\n");
        for (var topic = 0; topic < 4; topic++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## Topic {topic}\n\n|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
            for (var i = topic; i < papers; i += 4)
            {
                var title = string.Join(' ', Enumerable.Range(0, random.Next(2, 6)).Select(_ => Word()));
                title = char.ToUpperInvariant(title[0]) + title[1..] + " " + i.ToString(CultureInfo.InvariantCulture);
                var venue = i % 3 == 0 ? "" : $" [{Venues[i % Venues.Length]} {2020 + i % 5}]";
                var intro = "";
                if (i % 2 == 0)
                {
                    var relative = $"intros/p{i}/README.md";
                    folder.Write(relative, "# " + title + "\n\n" + string.Join(' ', Enumerable.Range(0, random.Next(20, 60)).Select(_ => Word())) + ".\n");
                    intro = $" [[intro]({relative})]";
                }
                sb.Append(CultureInfo.InvariantCulture,
                    $"| K{i % 7} | **{title}**{venue} | [[pdf](https://arxiv.org/abs/2401.{10000 + i})]{intro} | Lab {i % 5} | {2020 + i % 5}.{1 + i % 12:00} | {i} |\n");
            }
        }
        return sb.ToString();
    }
}
