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
        builder.Services.AddHostedService<SearchIndexCheck>();
        return builder;
    }

    /// <summary>Migrates the store and, when it holds no topics, imports <c>Catalog:Source</c>.</summary>
    public static async Task PrepareCatalogAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<CatalogDatabase>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PaperCatalog.Startup");
        var ct = app.Lifetime.ApplicationStopping;
        await database.MigrateAsync(ct);
        if (!await database.IsEmptyAsync(ct))
        {
            // The search index is checked once the site is up (SearchIndexCheck), not before the first page.
            logger.LogInformation("Catalog store {Database} is ready", database.Path);
            return;
        }
        var source = AppRoot.Resolve(app.Services.GetRequiredService<IOptions<CatalogOptions>>().Value.Source);
        if (!File.Exists(source))
        {
            logger.LogError("The catalog store {Database} is empty and the list {Source} does not exist; set Catalog:Source or run 'catalog import'", database.Path, source);
            return;
        }
        var importer = app.Services.GetRequiredService<CatalogImporter>();
        var (plan, result) = await importer.ImportAsync(source, null, ct);
        foreach (var d in plan.Diagnostics)
        {
            if (d.Severity == Severity.Error) logger.LogError("{Diagnostic}", d.ToString());
            else logger.LogWarning("{Diagnostic}", d.ToString());
        }
        if (result is null) logger.LogError("The list {Source} has {Errors} error(s); nothing was imported", source, plan.ErrorCount);
        else logger.LogInformation("Imported {Source} into {Database}: {Summary}", source, database.Path, result.ToString());
    }

    /// <summary>
    /// Indexes the papers the search index lacks (a store made before search existed, or indexed by another
    /// <see cref="SearchIndex.Version"/>) once the server is listening: the first pages need no index, and on a current
    /// store the check finds nothing. Cached answers are evicted when it indexed any, so search shows them at once.
    /// </summary>
    private sealed class SearchIndexCheck(CatalogDatabase database, SearchIndex index, CatalogCache cache, IHostApplicationLifetime lifetime,
        ILogger<SearchIndexCheck> logger) : BackgroundService
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
