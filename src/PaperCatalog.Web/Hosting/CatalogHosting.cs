using Microsoft.Extensions.Options;
using PaperCatalog.About;
using PaperCatalog.Data;
using PaperCatalog.Exporting;
using PaperCatalog.Importing;
using PaperCatalog.Keywords;
using PaperCatalog.Lookup;
using PaperCatalog.Markdown;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Hosting;

/// <summary>Registers the catalog and fills it on first start.</summary>
public static class CatalogHosting
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CatalogOptions>(builder.Configuration.GetSection("Catalog"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new CatalogDatabase(AppRoot.Resolve(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.Database)));
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<CatalogImporter>();
        builder.Services.AddSingleton<ListExport>();
        builder.Services.AddSingleton<PaperQueries>();
        builder.Services.AddSingleton<TopicQueries>();
        builder.Services.AddSingleton<KeywordQueries>();
        builder.Services.AddSingleton<SlugSuggestions>();
        builder.Services.AddSingleton<AboutQueries>();
        builder.Services.AddSingleton<PaperCatalog.Citations.CitationQueries>();
        builder.Services.AddSingleton<PaperCatalog.Feeds.FeedQueries>();
        builder.Services.AddSingleton<PaperCatalog.Shape.ShapeQueries>();
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.AddSingleton<PaperStore>();
        builder.Services.AddSingleton<SearchQueries>();
        builder.Services.AddSingleton<CatalogPreparation>();
        builder.Services.AddHostedService<SearchIndexCheck>();
        return builder;
    }

    /// <summary>
    /// Starts preparing the store (<see cref="CatalogPreparation"/>) beside the rest of start-up, and holds each request
    /// until it is done: during the first start's import a reader waits for the page rather than getting an error (after
    /// <see cref="CatalogPreparation.RequestWait"/>, a page that reloads itself). A preparation that failed answers 503 with
    /// a page that says so. /healthz answers at once (it reports the preparation), and static assets need no store.
    /// </summary>
    public static WebApplication UsePreparedCatalog(this WebApplication app)
    {
        var preparation = app.Services.GetRequiredService<CatalogPreparation>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PaperCatalog.Startup");
        preparation.Start(async ct =>
        {
            await PrepareAsync(app.Services, logger, ct);
            foreach (var step in app.Services.GetServices<IAfterCatalogPrepared>()) await step.CatalogPreparedAsync(ct);
        }, logger, app.Lifetime.ApplicationStopping);
        app.Use(async (context, next) =>
        {
            var prepared = preparation.Prepared;
            if ((prepared.IsCompletedSuccessfully && prepared.Result) || context.Request.Path.StartsWithSegments("/healthz"))
            {
                await next(context);
                return;
            }
            try
            {
                await prepared.WaitAsync(CatalogPreparation.RequestWait, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                await CatalogPreparation.WriteStartingAsync(context);
                return;
            }
            if (preparation.Failed) await CatalogPreparation.WriteFailedAsync(context);
            else await next(context);
        });
        return app;
    }

    /// <summary>Migrates the store and, when it holds no topics, imports <c>Catalog:Source</c>.</summary>
    private static async Task PrepareAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var database = services.GetRequiredService<CatalogDatabase>();
        await database.MigrateAsync(ct);
        if (!await database.IsEmptyAsync(ct))
        {
            // The search index is checked once the site is up (SearchIndexCheck), not before the first page.
            logger.LogInformation("Catalog store {Database} is ready", database.Path);
            return;
        }
        var source = AppRoot.Resolve(services.GetRequiredService<IOptions<CatalogOptions>>().Value.Source);
        if (!File.Exists(source))
        {
            logger.LogError("The catalog store {Database} is empty and the list {Source} does not exist; set Catalog:Source or run 'catalog import'", database.Path, source);
            return;
        }
        var importer = services.GetRequiredService<CatalogImporter>();
        var (plan, result) = await importer.ImportAsync(source, null, ct);
        foreach (var d in plan.Diagnostics)
        {
            if (d.Severity == Severity.Error) logger.LogError("{Diagnostic}", d.ToString());
            else logger.LogWarning("{Diagnostic}", d.ToString());
        }
        // A list with errors leaves the store empty and the site running (as before), so that `catalog import` can fill it.
        if (result is null) logger.LogError("The list {Source} has {Errors} error(s); nothing was imported", source, plan.ErrorCount);
        else logger.LogInformation("Imported {Source} into {Database}: {Summary}", source, database.Path, result.ToString());
    }

    /// <summary>
    /// Indexes the papers the search index lacks (a store made before search existed, or indexed by another
    /// <see cref="SearchIndex.Version"/>) once the server is listening and the store is prepared: the first pages need no index, and on a current
    /// store the check finds nothing. Cached answers are evicted when it indexed any, so search shows them at once.
    /// </summary>
    private sealed class SearchIndexCheck(CatalogDatabase database, SearchIndex index, CatalogCache cache, IHostApplicationLifetime lifetime,
        CatalogPreparation preparation, ILogger<SearchIndexCheck> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                try
                {
                    await started.Task;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
            if (!await preparation.WaitAsync(stoppingToken)) return;
            try
            {
                var indexed = await index.FillMissingAsync(database, stoppingToken);
                if (indexed == 0) return;
                cache.Invalidate();
                logger.LogInformation("Indexed {Count} papers for search", indexed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                // The site still serves pages; search finds what the index holds until the next start or import.
                logger.LogWarning(e, "Could not check the search index");
            }
        }
    }
}
