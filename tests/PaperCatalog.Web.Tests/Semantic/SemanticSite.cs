using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Semantic;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>
/// A site over the bundled list with semantic search on, ready once its background service has every vector. Nothing here
/// searches before it is ready: the site loads the model once it is idle (<c>Semantic:IdleFor</c>).
/// </summary>
public sealed class SemanticSite : SiteFactory
{
    public SemanticSite() => Semantic = true;

    public SemanticIndex Index => Services.GetRequiredService<SemanticIndex>();

    /// <summary>Starts the site and waits (generously: a loaded machine) until the model is loaded and the vectors are in.</summary>
    public async Task<SemanticIndex> ReadyAsync()
    {
        var index = Index;
        for (var waited = TimeSpan.Zero; !index.IsReady; waited += TimeSpan.FromMilliseconds(200))
        {
            Assert.True(waited < TimeSpan.FromMinutes(5), "the vectors were not ready after five minutes");
            await Task.Delay(200);
        }
        return index;
    }
}

/// <summary>One semantic site shared by the read-only semantic tests and the evaluation.</summary>
[CollectionDefinition(Name)]
public sealed class SemanticSiteCollection : ICollectionFixture<SemanticSite>
{
    public const string Name = "semantic site";
}
