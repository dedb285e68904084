using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Importing;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>Vectors follow the papers: recomputed for a changed text only, and what an edit changes shows on the site.</summary>
public sealed class VectorUpdateTests : IClassFixture<SemanticSite>
{
    private readonly SemanticSite _site;

    public VectorUpdateTests(SemanticSite site) => _site = site;

    private async Task EditAsync(HttpClient moderator, string slug, Dictionary<string, string?> values)
    {
        var form = (IHtmlFormElement)(await Html.GetOkAsync(moderator, "/admin/papers/" + slug)).QuerySelector("main form.paper-form")!;
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(moderator, form, values)).StatusCode);
    }

    private static IEnumerable<string> RelatedSlugs(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("section.related li a").Select(a => a.GetAttribute("href")!["/papers/".Length..]);

    [Fact]
    public async Task Vectors_AreRecomputedOnlyForChangedText_AndAnEditUpdatesRelatedPapersAndSearch()
    {
        var index = await _site.ReadyAsync();
        await index.CatchUpAsync(CancellationToken.None);
        var start = index.PapersEncoded;
        Assert.Equal(62, start);

        // The same list again, and an edit that leaves the text alone: nothing to compute.
        var (_, result) = await _site.Services.GetRequiredService<CatalogImporter>()
            .ImportAsync(Path.Combine(CatalogFactory.RepositoryRoot, "data", "README.md"), null, CancellationToken.None);
        Assert.NotNull(result);
        var moderator = await _site.SignedInAsync();
        await EditAsync(moderator, "orca", new() { ["Input.Citations"] = "1,234" });
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal(start, index.PapersEncoded);

        var reader = _site.CreateReader();
        Assert.DoesNotContain("kivi", RelatedSlugs(await Html.GetOkAsync(reader, "/papers/orca")));
        const string intro = "# Orca\n\nThis paper quantizes the KV cache to 2 bits: keys per channel, values per token, so that long prompts fit in GPU memory without fine-tuning.";
        await EditAsync(moderator, "orca", new() { ["Input.Intro"] = intro });
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal(start + 1, index.PapersEncoded);
        Assert.Contains("kivi", RelatedSlugs(await Html.GetOkAsync(reader, "/papers/orca")).Concat(RelatedSlugs(await Html.GetOkAsync(reader, "/papers/kvquant"))));
        var hits = (await Html.GetOkAsync(reader, "/search?q=" + Uri.EscapeDataString("2-bit KV cache quantization without fine-tuning"))).QuerySelectorAll(".hit-title a");
        Assert.Contains("/papers/orca", hits.Take(5).Select(a => a.GetAttribute("href")));

        // A paper nothing is close to any more (other intros still link to it) has no related section at all.
        await EditAsync(moderator, "low-latency-rnn-inference-with-cellular-batching", new()
        {
            ["Input.Title"] = "Sourdough bread at home",
            ["Input.Intro"] = "# Bread\n\nKnead the dough for ten minutes, let it rise overnight, and bake it in a hot oven until the crust is brown.",
            ["Input.Keywords"] = "Baking",
        });
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal(start + 2, index.PapersEncoded);
        Assert.Null((await Html.GetOkAsync(reader, "/papers/low-latency-rnn-inference-with-cellular-batching")).QuerySelector("section.related"));
    }

    [Fact]
    public async Task AnIntroLinkingHere_MakesItsPaperRelated_EvenWhenTheVectorsDoNotBringIt()
    {
        var index = await _site.ReadyAsync();
        await index.CatchUpAsync(CancellationToken.None);
        var database = _site.Services.GetRequiredService<PaperCatalog.Data.CatalogDatabase>();
        var all = new PaperCatalog.Semantic.RelatedPapers(index, database) { Count = 100 };
        // The paper nearest to KIVI by vector that neither the nearest papers nor shared keywords nor any link bring in
        // now (the other test here edits orca and the cellular batching paper: left alone).
        var kivi = await ScalarAsync<long>(database, "SELECT id FROM papers WHERE slug = 'kivi';", null);
        var vector = (await PaperCatalog.Semantic.PaperVectors.ReadAsync(database, [kivi], CancellationToken.None))[kivi];
        var ranked = await index.NearestAsync(vector, index.Vectors.Count, CancellationToken.None, except: kivi);
        var related = (await all.ForAsync("kivi", CancellationToken.None)).Select(r => r.Slug).ToHashSet();
        var slugs = (await QueryAsync<(long Id, string Slug)>(database, "SELECT id, slug FROM papers;", null)).ToDictionary(r => r.Id, r => r.Slug);
        // No shared keyword either: then only the stored links can bring it in (before them, links were checked among the
        // nearest papers, the linked ones and the keyword sharers only).
        const string sharingSql = "SELECT DISTINCT b.paper_id FROM paper_keywords a JOIN paper_keywords b USING (keyword_id) WHERE a.paper_id = @kivi;";
        var sharing = (await QueryAsync<long>(database, sharingSql, new { kivi })).ToHashSet();
        var far = ranked.Skip(PaperCatalog.Semantic.RelatedPapers.NearestConsidered)
            .First(n => !related.Contains(slugs[n.PaperId]) && !sharing.Contains(n.PaperId)
                        && slugs[n.PaperId] is not ("orca" or "low-latency-rnn-inference-with-cellular-batching"));
        var slug = slugs[far.PaperId];
        Assert.True(far.Similarity + all.LinkBonus >= all.MinSimilarity, $"{slug} is too far from kivi ({far.Similarity}) for any link to bring it");

        // In a copy of the list, its intro's first plain word becomes a link to KIVI's intro (the text, and so the vector,
        // stays as it was), and the copy is imported: intros link to each other as list files, not through edits.
        var list = Path.Combine(_site.Folder, "linked-list");
        CopyFolder(Path.Combine(CatalogFactory.RepositoryRoot, "data"), list);
        var path = await ScalarAsync<string>(database, "SELECT r.intro_path FROM list_rows r JOIN papers p ON p.id = r.paper_id WHERE p.slug = @slug;", new { slug });
        var file = Path.Combine(list, path);
        var intro = await File.ReadAllTextAsync(file);
        var word = System.Text.RegularExpressions.Regex.Match(intro, "^([A-Z][a-z]{2,}) ", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(word.Success, slug + "'s intro has no paragraph to link from");
        var link = Path.GetRelativePath(Path.GetDirectoryName(file)!, Path.Combine(list, "quantization", "kivi", "README.md")).Replace('\\', '/');
        await File.WriteAllTextAsync(file, intro[..word.Index] + "[" + word.Groups[1].Value + "](" + link + ")" + intro[(word.Index + word.Groups[1].Length)..]);
        var encoded = index.PapersEncoded;
        var (_, result) = await _site.Services.GetRequiredService<CatalogImporter>().ImportAsync(Path.Combine(list, "README.md"), null, CancellationToken.None);
        Assert.NotNull(result);
        await index.CatchUpAsync(CancellationToken.None);
        Assert.Equal(encoded, index.PapersEncoded);
        Assert.DoesNotContain(far.PaperId, (await index.NearestAsync(vector, PaperCatalog.Semantic.RelatedPapers.NearestConsidered, CancellationToken.None, except: kivi)).Select(n => n.PaperId));

        var now = await all.ForAsync("kivi", CancellationToken.None);
        Assert.Equal("links here", Assert.Single(now, r => r.Slug == slug).Reason);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)), overwrite: true);
    }

    private static async Task<T> ScalarAsync<T>(PaperCatalog.Data.CatalogDatabase database, string sql, object? args)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql, args) ?? throw new InvalidOperationException(sql);
    }

    private static async Task<IEnumerable<T>> QueryAsync<T>(PaperCatalog.Data.CatalogDatabase database, string sql, object? args)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.QueryAsync<T>(connection, sql, args);
    }
}
