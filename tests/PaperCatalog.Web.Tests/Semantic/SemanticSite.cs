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
        // Ready with the catalog in it: a store left empty (an import that failed) is ready at once, with no vectors, and
        // every test here would fail for a reason it cannot name (seen once in a full run on a loaded machine).
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT (SELECT count(*) FROM papers) || ' papers, ' || (SELECT count(*) FROM paper_vectors WHERE vector IS NOT NULL) || ' vectors';";
        var held = (string)(await count.ExecuteScalarAsync())!;
        Assert.True(index.Vectors.Count >= 50, $"the semantic site is ready with {index.Vectors.Count} vectors in memory; its store holds {held}; " +
                                               $"the site logged: {string.Join(" | ", Errors)}");
        return index;
    }
}

/// <summary>One semantic site shared by the read-only semantic tests and the evaluation.</summary>
[CollectionDefinition(Name)]
public sealed class SemanticSiteCollection : ICollectionFixture<SemanticSite>
{
    public const string Name = "semantic site";
}
