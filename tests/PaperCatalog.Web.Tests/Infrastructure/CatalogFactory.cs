using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>
/// The real site over a fresh SQLite file in a temp folder (deleted afterwards), filled on first start from
/// <see cref="Source"/> (the bundled list unless a test gives another).
/// </summary>
public class CatalogFactory : WebApplicationFactory<Program>
{
    public CatalogFactory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "papercatalog-web-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "catalog.db");
    public string? Source { get; init; }

    /// <summary>
    /// Keep the shipped per-client read allowances (search, duplicate check, 404 suggestions). Off by default: every
    /// in-memory request comes from one client, and the tests that are not about the allowances read far more than a reader.
    /// </summary>
    public bool DefaultAllowances { get; init; }

    /// <summary>
    /// Semantic search (an embedding model, vectors computed after start-up). Off by default: hundreds of fixtures import
    /// the bundled list, and 62 vectors each would add minutes to the suite; the tests in Semantic/ turn it on.
    /// </summary>
    public bool Semantic { get; init; }

    /// <summary>
    /// Start the site only once its store is prepared (migrated and, on first start, filled), as it did before the
    /// preparation ran beside start-up: tests that read the store through <c>Services</c> before any request see the
    /// catalog. Off for the tests of start-up itself, which send requests while the store is being prepared.
    /// </summary>
    public bool WaitForPreparedStore { get; init; } = true;

    /// <summary>Further configuration for this site (<c>["Site:BaseUrl"] = "https://..."</c>), applied last.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every error the site logged (unhandled exceptions included), to explain a failed request.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The repository's top level (the folder with data/ and wwwroot/).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Repository root not found");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Catalog:Database", DatabasePath);
        if (Source is not null) builder.UseSetting("Catalog:Source", Source);
        if (!DefaultAllowances)
            foreach (var key in new[] { "RateLimits:SearchPermits", "RateLimits:DuplicateCheckPermits", "RateLimits:SuggestionPermits", "RateLimits:ExportPermits" })
                builder.UseSetting(key, "1000000");
        builder.UseSetting("Semantic:Enabled", Semantic ? "true" : "false");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new ErrorCollector(Errors)));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        // Host start (and so the factory's first client or Serve) completes only after every hosted service has started.
        if (WaitForPreparedStore) builder.ConfigureTestServices(services => services.AddHostedService<PreparedStoreWait>());
    }

    public HttpClient CreateReader() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One site over the bundled list, shared by the read-only page tests.</summary>
[CollectionDefinition(Name)]
public sealed class BundledSiteCollection : ICollectionFixture<CatalogFactory>
{
    public const string Name = "bundled site";
}

/// <summary>Holds the host's start until the store is prepared (or failed to be: the site then answers 503, which tests see).</summary>
internal sealed class PreparedStoreWait(CatalogPreparation preparation) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => preparation.WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Collects the site's error log lines for a test to show.</summary>
internal sealed class ErrorCollector(System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, errors);

    public void Dispose() { }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && errors.Count < 200) errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
