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
public sealed class RelatedPapers(SemanticIndex semantic, CatalogDatabase database)
{
    /// <summary>How many are shown.</summary>
    public int Count { get; init; } = 5;

    /// <summary>
    /// The cosine a paper must reach on its vector alone; a shared keyword lowers the bar by <see cref="KeywordBonus"/>, a
    /// cross-link lifts any paper in. Chosen on the judged neighbours (tests/PaperCatalog.Web.Tests/Semantic).
    /// </summary>
    public float MinSimilarity { get; init; } = 0.55f;
    public float KeywordBonus { get; init; } = 0.10f;
    public float LinkBonus { get; init; } = 0.30f;

    /// <summary>How many of the nearest papers by vector are considered.</summary>
    public const int NearestConsidered = 20;

    // Links from intros are read from paper_links (migration 0022): a paper linking here is found however far its vector is.
    private const int LinkingConsidered = 50;

    private sealed record Subject
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
    }

    private sealed record Candidate
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public bool LinksTo { get; init; }
        public bool LinksHere { get; init; }
        public string? Shared { get; init; }
    }

    /// <summary>Up to <see cref="Count"/> papers related to the paper at <paramref name="slug"/>, best first.</summary>
    public async Task<IReadOnlyList<RelatedPaper>> ForAsync(string slug, CancellationToken ct)
    {
        if (!semantic.IsReady) return [];
        const string subjectSql = "SELECT id AS Id, slug AS Slug FROM papers WHERE slug = @slug;";
        // Candidates: the nearest papers, the papers this intro links to and those whose intros link here, and those
        // sharing the most keywords with it.
        const string candidatesSql = """
            WITH mine AS (SELECT keyword_id FROM paper_keywords WHERE paper_id = @id),
            linked AS (SELECT target FROM paper_links WHERE paper_id = @id),
            linking AS (SELECT paper_id AS id FROM paper_links WHERE target = @slug AND paper_id <> @id LIMIT @linkingConsidered),
            picked AS (
                SELECT id FROM papers WHERE id IN @near OR slug IN (SELECT target FROM linked)
                UNION
                SELECT id FROM linking
                UNION
                SELECT id FROM (SELECT pk.paper_id AS id, count(*) AS n FROM paper_keywords pk JOIN mine USING (keyword_id)
                                WHERE pk.paper_id <> @id GROUP BY pk.paper_id ORDER BY n DESC LIMIT 20))
            SELECT p.id AS Id, p.slug AS Slug, p.title AS Title,
                   p.slug IN (SELECT target FROM linked) AS LinksTo,
                   EXISTS (SELECT 1 FROM paper_links l WHERE l.target = @slug AND l.paper_id = p.id) AS LinksHere,
                   (SELECT group_concat(k.name, char(30)) FROM paper_keywords pk JOIN mine USING (keyword_id) JOIN keywords k ON k.id = pk.keyword_id
                    WHERE pk.paper_id = p.id) AS Shared
            FROM picked JOIN papers p ON p.id = picked.id
            WHERE p.id <> @id;
            """;
        await using var connection = await database.OpenAsync(ct);
        var subject = await connection.QuerySingleOrDefaultAsync<Subject>(new CommandDefinition(subjectSql, new { slug }, cancellationToken: ct));
        if (subject is null) return [];
        var mine = (await PaperVectors.ReadAsync(database, [subject.Id], ct)).GetValueOrDefault(subject.Id);
        IReadOnlyList<Neighbour> near = mine is null ? [] : await semantic.NearestAsync(mine, NearestConsidered, ct, except: subject.Id);
        var similarity = near.ToDictionary(n => n.PaperId, n => n.Similarity);
        var args = new { id = subject.Id, slug = subject.Slug, near = similarity.Keys.ToArray(), linkingConsidered = LinkingConsidered };
        var candidates = (await connection.QueryAsync<Candidate>(new CommandDefinition(candidatesSql, args, cancellationToken: ct))).ToList();
        // The candidates the vectors did not bring are scored by their stored floats as well.
        Dictionary<long, float[]> others = mine is null ? [] : await PaperVectors.ReadAsync(database, candidates.Select(c => c.Id).Where(id => !similarity.ContainsKey(id)).ToList(), ct);

        var scored = new List<(RelatedPaper Paper, float Score)>();
        foreach (var c in candidates)
        {
            var cos = similarity.TryGetValue(c.Id, out var s) ? s
                : mine is not null && others.TryGetValue(c.Id, out var theirs) ? System.Numerics.Tensors.TensorPrimitives.Dot(mine, theirs) : 0f;
            var shared = string.IsNullOrEmpty(c.Shared) ? [] : c.Shared.Split('\u001e');
            var score = cos + (shared.Length > 0 ? KeywordBonus : 0) + (c.LinksTo || c.LinksHere ? LinkBonus : 0);
            if (score < MinSimilarity) continue;
            var reason = c.LinksTo ? "mentioned in this intro"
                : c.LinksHere ? "links here"
                : shared.Length > 0 ? "shares " + shared[0]
                : "similar approach";
            scored.Add((new RelatedPaper(c.Slug, c.Title, reason), score));
        }
        return scored.OrderByDescending(x => x.Score).ThenBy(x => x.Paper.Slug, StringComparer.Ordinal).Take(Count).Select(x => x.Paper).ToList();
    }
}
