using System.Net;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Pages;

/// <summary>What a reader sees when the server itself fails: a plain page, never a stack trace.</summary>
public sealed class ErrorPageTests : IDisposable
{
    private readonly CatalogFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ServerFailure_InProduction_ShowsAFriendlyPageWithoutAStackTrace()
    {
        var client = _factory.CreateReader();
        await Html.GetOkAsync(client, "/"); // the site starts and fills its store
        // Break the store under the running site, as a failed disk or a bad manual edit would.
        using (var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "PRAGMA foreign_keys = OFF; DROP TABLE paper_keywords;";
            drop.ExecuteNonQuery();
        }

        var (response, doc) = await Html.GetAsync(client, "/keywords/vllm");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Something went wrong", doc.QuerySelector("h1").Text());
        var text = doc.Body!.TextContent;
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("at PaperCatalog", text);
        Assert.DoesNotContain("SQLite", text);
    }
}
