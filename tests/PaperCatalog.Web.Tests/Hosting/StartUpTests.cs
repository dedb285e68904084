using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using PaperCatalog.Search;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>What start-up leaves until after the server is listening still happens.</summary>
public sealed class StartUpTests
{
    [Fact]
    public async Task StoreWithAnOutdatedSearchIndex_IsReindexedAfterStartUp_AndSearchFindsItsPapers()
    {
        using var first = new SiteFactory();
        await Html.GetOkAsync(first.CreateReader(), "/");
        // A store as an older version of the index left it: no index entries, another index version.
        await using (var c = new SqliteConnection("Data Source=" + first.DatabasePath))
        {
            await c.ExecuteAsync("DELETE FROM search_documents; UPDATE catalog_info SET value = '0' WHERE key = 'search_version';");
        }
        Assert.Empty((await first.Services.GetRequiredService<SearchQueries>().SearchAsync(new SearchRequest { Q = "FlashAttention" }, CancellationToken.None)).Hits);

        using var second = new SiteFactory();
        second.Settings["Catalog:Database"] = first.DatabasePath;
        var search = second.Services.GetRequiredService<SearchQueries>();
        for (var waited = TimeSpan.Zero; (await search.SearchAsync(new SearchRequest { Q = "FlashAttention" }, CancellationToken.None)).Hits.Count == 0;
             waited += TimeSpan.FromMilliseconds(200))
        {
            Assert.True(waited < TimeSpan.FromMinutes(2), "the search index was not repaired two minutes after start-up");
            await Task.Delay(200);
        }
        var json = await second.CreateReader().GetFromJsonAsync<JsonElement>("/api/search?q=FlashAttention");
        Assert.Contains(json.GetProperty("results").EnumerateArray(), r => r.GetProperty("slug").GetString() == "flashattention");
    }

    [Fact]
    public async Task FirstRequestDuringTheFirstStartsImport_Waits_AndGetsTheFilledHomePage_WhileHealthzSaysStarting()
    {
        using var site = new SiteFactory { WaitForPreparedStore = false };
        // Another connection's exclusive lock holds the preparation at its first statement (SQLite retries a busy store for
        // 30 s): the store is certainly not prepared while the requests below are sent.
        var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = site.DatabasePath, Pooling = false }.ToString());
        await locker.OpenAsync(CancellationToken.None);
        await locker.ExecuteAsync("BEGIN EXCLUSIVE;");
        Task<HttpResponseMessage> home;
        try
        {
            var client = site.CreateReader();
            var preparation = site.Services.GetRequiredService<CatalogPreparation>();
            Assert.False(preparation.Prepared.IsCompleted);
            var health = await client.GetAsync("/healthz", CancellationToken.None);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("starting", await health.Content.ReadAsStringAsync(CancellationToken.None));
            home = client.GetAsync("/", CancellationToken.None);
            Assert.False(preparation.Prepared.IsCompleted);
        }
        finally
        {
            await locker.ExecuteAsync("ROLLBACK;");
            await locker.DisposeAsync();
        }
        var response = await home;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        // The bundled list's topics: the page was rendered after the import, not from an empty store.
        Assert.NotEmpty(doc.QuerySelectorAll("main a[href^='/papers/']"));
        // Only the health check's own report of the unhealthy (starting) store.
        Assert.DoesNotContain(site.Errors, e => !e.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreThatCannotBePrepared_AnswersPagesWithA503ThatSaysSo_HealthzIsUnhealthy_AndTheReasonIsLogged()
    {
        using var site = new SiteFactory();
        await File.WriteAllTextAsync(site.DatabasePath, new string('x', 8192), CancellationToken.None);
        var client = site.CreateReader();

        var home = await client.GetAsync("/", CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, home.StatusCode);
        var doc = await Html.ParseAsync(home);
        Assert.Contains("could not be prepared", doc.QuerySelector("main")!.TextContent);
        var health = await client.GetAsync("/healthz", CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("could not be prepared", await health.Content.ReadAsStringAsync(CancellationToken.None));
        Assert.Contains(site.Errors, e => e.Contains("could not be prepared", StringComparison.Ordinal) && e.Contains("SqliteException", StringComparison.Ordinal));
    }
}
