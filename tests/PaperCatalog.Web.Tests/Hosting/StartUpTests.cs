using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Search;
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
}
