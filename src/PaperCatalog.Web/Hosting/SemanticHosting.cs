using Microsoft.Extensions.Options;
using PaperCatalog.Data;
using PaperCatalog.Semantic;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Semantic search and related papers (<see cref="SemanticOptions"/>, section <c>Semantic</c>): the model and the vectors
/// in memory, and a background service that loads the model once it is needed (the first search) or the site is idle,
/// never beside the first pages after a start, then computes the vectors the store lacks, again after every write. Until
/// it has caught up once, search is keyword search and paper pages show no related papers.
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
        builder.Services.AddSingleton<SiteActivity>();
        builder.Services.AddTransient<IStartupFilter, SiteActivity.Filter>();
        builder.Services.AddHostedService<VectorWorker>();
        return builder;
    }

    /// <summary>When the site last began a request (start-up counts as one): what "idle" is measured from.</summary>
    private sealed class SiteActivity(TimeProvider clock)
    {
        private long _last = clock.GetTimestamp();

        public TimeSpan QuietFor => clock.GetElapsedTime(Interlocked.Read(ref _last));

        public void Touch() => Interlocked.Exchange(ref _last, clock.GetTimestamp());

        /// <summary>Notes every request first in the pipeline, so Program.cs needs no step of its own for it.</summary>
        public sealed class Filter(SiteActivity activity) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextStep) =>
                {
                    activity.Touch();
                    return nextStep(context);
                });
                next(app);
            };
        }
    }

    /// <summary>Loads the model, then catches up on start and after every write (here or, through the store watcher, elsewhere).</summary>
    private sealed class VectorWorker(SemanticIndex semantic, SemanticOptions options, SiteActivity activity, TimeProvider clock, CatalogCache cache,
        CatalogPreparation preparation, ILogger<VectorWorker> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (!semantic.Enabled) return;
            // The vectors are computed from the prepared store (after the first start's import), never from a half-filled one.
            if (!await preparation.WaitAsync(stoppingToken)) return;
            // Idle is measured from the end of the preparation too: the first pages come right after a first start's import.
            activity.Touch();
            // Loading the model takes seconds of CPU: not beside the first pages after a start. The site serves keyword
            // search meanwhile.
            if (!await WantedOrIdleAsync(stoppingToken)) return;
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

        /// <summary>Waits until a search wants the model or (with <c>LoadWhenIdle</c>) no request has begun for <c>IdleFor</c>; false when stopping.</summary>
        private async Task<bool> WantedOrIdleAsync(CancellationToken stoppingToken)
        {
            try
            {
                while (!semantic.Wanted.IsCompleted)
                {
                    var quiet = activity.QuietFor;
                    if (options.LoadWhenIdle && quiet >= options.IdleFor) return true;
                    var wait = options.LoadWhenIdle ? options.IdleFor - quiet : Timeout.InfiniteTimeSpan;
                    await Task.WhenAny(semantic.Wanted, Task.Delay(wait, clock, stoppingToken));
                    stoppingToken.ThrowIfCancellationRequested();
                }
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
