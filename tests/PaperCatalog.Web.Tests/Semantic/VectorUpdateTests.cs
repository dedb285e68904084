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
}
