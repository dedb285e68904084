using System.Text.RegularExpressions;
using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Papers;

namespace PaperCatalog.Semantic;

/// <summary>A paper to read next, and why it is offered ("shares KV Cache", "links here", "similar approach").</summary>
public sealed record RelatedPaper(string Slug, string Title, string Reason);

/// <summary>
/// "What else to read" for a paper page: the papers nearest by vector, blended with the keywords they share and the
/// intros' explicit cross-links (this intro links to it, or its intro links here). Empty when nothing is close enough,
/// when semantic search is off or before the vectors are ready; the page it is shown on is output-cached with it.
/// </summary>
public sealed partial class RelatedPapers(SemanticIndex semantic, CatalogDatabase database)
{
    public const int Count = 5;

    /// <summary>
    /// The cosine a paper must reach on its vector alone; a shared keyword lowers the bar by <see cref="KeywordBonus"/>, a
    /// cross-link lifts any paper in. Chosen on the judged neighbours (tests/PaperCatalog.Web.Tests/Semantic).
    /// </summary>
    public float MinSimilarity { get; init; } = 0.55f;
    public float KeywordBonus { get; init; } = 0.10f;
    public float LinkBonus { get; init; } = 0.30f;
    private const int NearestConsidered = 20;

    [GeneratedRegex("""href="/papers/([^"#?/]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex PaperLink();

    private sealed record Subject
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string? IntroHtml { get; init; }
    }

    private sealed record Candidate
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public bool LinksHere { get; init; }
        public string? Shared { get; init; }
    }

    /// <summary>Up to <see cref="Count"/> papers related to the paper at <paramref name="slug"/>, best first.</summary>
    public async Task<IReadOnlyList<RelatedPaper>> ForAsync(string slug, CancellationToken ct)
    {
        if (!semantic.IsReady) return [];
        const string subjectSql = "SELECT id AS Id, slug AS Slug, intro_html AS IntroHtml FROM papers WHERE slug = @slug;";
        // Candidates: the nearest papers, the papers this intro links to, and those sharing the most keywords with it.
        const string candidatesSql = """
            WITH mine AS (SELECT keyword_id FROM paper_keywords WHERE paper_id = @id),
            picked AS (
                SELECT id FROM papers WHERE id IN @near OR slug IN @linked
                UNION
                SELECT id FROM (SELECT pk.paper_id AS id, count(*) AS n FROM paper_keywords pk JOIN mine USING (keyword_id)
                                WHERE pk.paper_id <> @id GROUP BY pk.paper_id ORDER BY n DESC LIMIT 20))
            SELECT p.id AS Id, p.slug AS Slug, p.title AS Title,
                   (instr(coalesce(p.intro_html, ''), @href || '"') > 0 OR instr(coalesce(p.intro_html, ''), @href || '#') > 0) AS LinksHere,
                   (SELECT group_concat(k.name, char(30)) FROM paper_keywords pk JOIN mine USING (keyword_id) JOIN keywords k ON k.id = pk.keyword_id
                    WHERE pk.paper_id = p.id) AS Shared
            FROM picked JOIN papers p ON p.id = picked.id
            WHERE p.id <> @id;
            """;
        await using var connection = await database.OpenAsync(ct);
        var subject = await connection.QuerySingleOrDefaultAsync<Subject>(new CommandDefinition(subjectSql, new { slug }, cancellationToken: ct));
        if (subject is null) return [];
        var vectors = semantic.Vectors;
        var near = vectors.Nearest(vectors.VectorOf(subject.Id), NearestConsidered, except: subject.Id);
        var similarity = near.ToDictionary(n => n.PaperId, n => n.Similarity);
        var linked = PaperLink().Matches(subject.IntroHtml ?? "").Select(m => Uri.UnescapeDataString(m.Groups[1].Value))
            .Where(s => s != subject.Slug).ToHashSet(StringComparer.Ordinal);
        var args = new { id = subject.Id, near = similarity.Keys.ToArray(), linked = linked.ToArray(), href = "href=\"" + PaperUrls.Paper(subject.Slug) };
        var candidates = await connection.QueryAsync<Candidate>(new CommandDefinition(candidatesSql, args, cancellationToken: ct));

        var mine = vectors.VectorOf(subject.Id);
        var scored = new List<(RelatedPaper Paper, float Score)>();
        foreach (var c in candidates)
        {
            var cos = similarity.TryGetValue(c.Id, out var s) ? s
                : mine.IsEmpty || vectors.VectorOf(c.Id).IsEmpty ? 0f : System.Numerics.Tensors.TensorPrimitives.Dot(mine, vectors.VectorOf(c.Id));
            var shared = string.IsNullOrEmpty(c.Shared) ? [] : c.Shared.Split('\u001e');
            var linksTo = linked.Contains(c.Slug);
            var score = cos + (shared.Length > 0 ? KeywordBonus : 0) + (linksTo || c.LinksHere ? LinkBonus : 0);
            if (score < MinSimilarity) continue;
            var reason = linksTo ? "mentioned in this intro"
                : c.LinksHere ? "links here"
                : shared.Length > 0 ? "shares " + shared[0]
                : "similar approach";
            scored.Add((new RelatedPaper(c.Slug, c.Title, reason), score));
        }
        return scored.OrderByDescending(x => x.Score).ThenBy(x => x.Paper.Slug, StringComparer.Ordinal).Take(Count).Select(x => x.Paper).ToList();
    }
}
