using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaperCatalog.Data;

namespace PaperCatalog.Web.Hosting;

/// <summary><c>/healthz</c>: 200 when the store is prepared, readable and its migrations are current, 503 otherwise.</summary>
public static class HealthHosting
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.Headers.CacheControl = "no-store";
                var entry = report.Entries.Values.FirstOrDefault();
                await context.Response.WriteAsync(report.Status + (entry.Description is { } d ? ": " + d : "") + "\n", context.RequestAborted);
            },
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }

    private sealed class StoreHealthCheck(CatalogDatabase database, CatalogPreparation preparation) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            // A load balancer sends no readers to a site still importing its first list (they would wait) or one that failed to.
            if (!preparation.Prepared.IsCompleted) return HealthCheckResult.Unhealthy("starting: the store is being prepared");
            if (preparation.Failed) return HealthCheckResult.Unhealthy("the store could not be prepared at start-up");
            long version;
            try
            {
                version = await database.ReadableSchemaVersionAsync(ct);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                // The operator reads the reason in the log; the public answer does not describe the store.
                return HealthCheckResult.Unhealthy("the store cannot be read", e);
            }
            return version == CatalogDatabase.LatestMigration
                ? HealthCheckResult.Healthy($"store readable, schema {version}")
                : HealthCheckResult.Unhealthy($"store schema {version}, this build expects {CatalogDatabase.LatestMigration}");
        }
    }
}
