using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>SQLite has one writer at a time: many submitters at once must all be stored, none lost, none failed.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task TwoHundredSubmissions_From16ParallelClients_AreExactly200Pending()
    {
        const int clients = 16, total = 200;
        var next = -1;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var client = _site.CreateReader();
            var doc = await Html.GetOkAsync(client, "/submit");
            var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var values = SubmissionFlowTests.Paper($"Concurrent submission {i:D3} about distinct topic {i * 7919}", $"https://arxiv.org/abs/2412.{i:D5}");
                values["SubmissionKey"] = Guid.NewGuid().ToString("N");
                var response = await Forms.PostAsync(client, form, values);
                if (response.StatusCode != HttpStatusCode.Redirect) failures.Add($"{i}: {(int)response.StatusCode}");
            }
        }));
        Assert.Empty(failures);
        await using var connection = new SqliteConnection($"Data Source={_site.DatabasePath}");
        await connection.OpenAsync();
        Assert.Equal(total, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions WHERE status = 'pending';"));
        Assert.Equal(total, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT token) FROM submissions;"));
    }
}
