using Microsoft.Extensions.Options;
using PaperCatalog.Data;
using PaperCatalog.Semantic;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Semantic search and related papers (<see cref="SemanticOptions"/>, section <c>Semantic</c>): the model and the vectors
/// in memory, and a background service that loads the model after start-up and computes the vectors the store lacks,
/// again after every write. Until it has caught up once, search is keyword search and paper pages show no related papers.
/// </summary>
public static class SemanticHosting
{
    public static WebApplicationBuilder AddSemanticSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SemanticOptions>().BindConfiguration("Semantic");
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<SemanticOptions>>().Value);
        builder.Services.AddSingleton(sp => new SemanticIndex(sp.GetRequiredService<CatalogDatabase>(), sp.GetRequiredService<SemanticOptions>(),
            sp.GetRequiredService<ILogger<SemanticIndex>>(), sp.GetRequiredService<CatalogCache>()));
        builder.Services.AddSingleton<HybridSearch>();
        builder.Services.AddSingleton<RelatedPapers>();
        builder.Services.AddHostedService<VectorWorker>();
        return builder;
    }

    /// <summary>Loads the model, then catches up on start and after every write (here or, through the store watcher, elsewhere).</summary>
    private sealed class VectorWorker(SemanticIndex semantic, CatalogCache cache, ILogger<VectorWorker> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (!semantic.Enabled) return;
            // Off the start-up path: loading the model takes seconds, and the site serves keyword search meanwhile.
            await Task.Yield();
            if (!await Task.Run(semantic.LoadModel, stoppingToken)) return;
            using var changed = new SemaphoreSlim(1, 1);
            void Signal()
            {
                if (changed.CurrentCount == 0) changed.Release();
            }
            cache.Invalidated += Signal;
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await changed.WaitAsync(stoppingToken);
                    try
                    {
                        var computed = await semantic.CatchUpAsync(stoppingToken);
                        if (computed > 0) logger.LogInformation("Semantic search: computed {Count} vectors", computed);
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException e)
                    {
                        logger.LogWarning(e, "Semantic search: could not update the vectors; retrying after the next write");
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                cache.Invalidated -= Signal;
            }
        }
    }
}
