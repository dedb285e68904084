namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>A judged query: what a reader typed, and the papers that should come first (grade 2) or also (grade 1).</summary>
public sealed record JudgedQuery(string Kind, string Query, IReadOnlyDictionary<string, int> Grades)
{
    public IEnumerable<string> Best => Grades.Where(g => g.Value == 2).Select(g => g.Key);
}

/// <summary>The hand-made judgements in this folder, and the measures they are scored with.</summary>
public static class Judgements
{
    private static string PathOf(string name) =>
        Path.Combine(Infrastructure.CatalogFactory.RepositoryRoot, "tests", "PaperCatalog.Web.Tests", "Semantic", name);

    private static IEnumerable<string[]> Lines(string name) =>
        File.ReadLines(PathOf(name)).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('|').Select(c => c.Trim()).ToArray());

    private static string[] Slugs(string cell) => cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static IReadOnlyList<JudgedQuery> Queries() =>
        Lines("judged-queries.txt").Select(c =>
        {
            var grades = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var s in Slugs(c[3])) grades.TryAdd(s, 1);
            foreach (var s in Slugs(c[2])) grades[s] = 2;
            return new JudgedQuery(c[0], c[1], grades);
        }).ToList();

    public static IReadOnlyList<(string Paper, IReadOnlySet<string> Expected)> Neighbours() =>
        Lines("judged-neighbours.txt").Select(c => (c[0], (IReadOnlySet<string>)Slugs(c[1]).ToHashSet(StringComparer.Ordinal))).ToList();

    /// <summary>nDCG@k with gains 2^grade − 1.</summary>
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k = 10)
    {
        static double Dcg(IEnumerable<int> gains) => gains.Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(grades.Values.OrderByDescending(g => g).Take(k));
        return ideal == 0 ? 0 : Dcg(ranked.Take(k).Select(s => grades.GetValueOrDefault(s))) / ideal;
    }

    /// <summary>The share of the relevant papers (any grade) in the first <paramref name="k"/>.</summary>
    public static double Recall(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> grades, int k = 5) =>
        grades.Count == 0 ? 0 : ranked.Take(k).Count(grades.ContainsKey) / (double)grades.Count;

    /// <summary>
    /// Of the first five shown, the share that are expected, over min(5, expected): a paper with three judged neighbours
    /// that shows all three scores 1.
    /// </summary>
    public static double PrecisionAt5(IReadOnlyList<string> shown, IReadOnlySet<string> expected) =>
        shown.Take(5).Count(expected.Contains) / (double)Math.Min(5, expected.Count);
}
