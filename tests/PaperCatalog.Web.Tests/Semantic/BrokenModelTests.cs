using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperCatalog.Search;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>A model that cannot be loaded leaves the site on keyword search, says so once in the log, and never fails a page.</summary>
public sealed class BrokenModelTests
{
    [Theory]
    [InlineData("ModelFile")]
    [InlineData("Model")]
    public async Task UnloadableModel_LogsOneLine_AndSearchStaysKeywordSearch(string broken)
    {
        using var site = new SiteFactory { Semantic = true };
        var garbage = Path.Combine(site.Folder, "model.onnx");
        await File.WriteAllTextAsync(garbage, "not an ONNX model");
        site.Settings[broken == "ModelFile" ? "Semantic:ModelFile" : "Semantic:Model"] = broken == "ModelFile" ? garbage : "NoSuchModel";
        var lines = new ConcurrentQueue<string>();
        using var logged = site.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new SemanticLog(lines))));
        var reader = logged.CreateClient();

        for (var waited = 0; lines.IsEmpty; waited += 200)
        {
            Assert.True(waited < 120_000, "no log line about the model after two minutes");
            await Task.Delay(200);
        }
        const string q = "keep the KV cache small for long prompts";
        var expected = (await logged.Services.GetRequiredService<SearchQueries>().SearchAsync(new SearchRequest { Q = "KV cache" }, CancellationToken.None)).Hits.Select(h => h.Slug);
        var page = await Html.GetOkAsync(reader, "/search?q=KV+cache");
        Assert.Equal(expected.Select(s => "/papers/" + s), page.QuerySelectorAll(".hit-title a").Select(a => a.GetAttribute("href")));
        await Html.GetOkAsync(reader, "/search?q=" + Uri.EscapeDataString(q));
        Assert.Null((await Html.GetOkAsync(reader, "/papers/kivi")).QuerySelector("section.related"));
        Assert.Single(lines);
        Assert.Contains("keywords", lines.Single(), StringComparison.Ordinal);
    }

    /// <summary>The semantic side's warnings.</summary>
    private sealed class SemanticLog(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning && category.Contains("Semantic", StringComparison.Ordinal)) lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
