using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;
using PaperCatalog.Web.Tests.Submissions;

namespace PaperCatalog.Web.Tests.Moderation;

/// <summary>
/// A post is counted in the allowance of the handler that runs, whatever its query string says; a handler name the
/// page lacks is a 404 and runs nothing.
/// </summary>
public sealed class HandlerRateLimitTests : IDisposable
{
    private readonly SiteFactory _site = new() { RatePermits = 3, PreviewPermits = 100 };

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task SignInPostedAsPreview_IsCountedAsASignIn_AndRunsNoSignIn()
    {
        // Issue 10: POST /admin/signin?handler=preview ran the sign-in (a password hash each) in the 120/min preview allowance.
        await _site.AddModeratorAsync();
        var client = _site.CreateReader();
        var statuses = new List<HttpStatusCode>();
        foreach (var query in new[] { "?handler=preview", "?handler=Preview", "?handler=preview", "?handler=preview", "" })
            statuses.Add((await SiteFactory.TrySignInAsync(client, SiteFactory.Moderator, "not the password", query)).StatusCode);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM audit_log WHERE action LIKE 'sign-in%';"));
    }

    [Fact]
    public async Task SubmitPreview_HasItsOwnAllowance_ApartFromSubmissions()
    {
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/submit");
        var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
        for (var i = 0; i < 6; i++)
        {
            var preview = await Forms.PostAsync(client, form, SubmissionFlowTests.Paper(), i % 2 == 0 ? "/submit?handler=preview" : "/submit?handler=Preview");
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        }
        var sent = await Forms.PostAsync(client, form, SubmissionFlowTests.Paper());
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
    }

    [Theory]
    [InlineData("/submit?handler=bogus", HttpStatusCode.NotFound, 0)]
    [InlineData("/submit?handler=previewx", HttpStatusCode.NotFound, 0)]
    [InlineData("/submit?handler=preview&handler=x", HttpStatusCode.OK, 0)] // the first name is the one that runs (a preview)
    [InlineData("/submit?handler=", HttpStatusCode.Redirect, 1)] // an empty name names no handler: the form's own post
    public async Task SubmissionPosted_RunsOnlyAHandlerThePageHas(string target, HttpStatusCode expected, long stored)
    {
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/submit");
        var response = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, SubmissionFlowTests.Paper(), target);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(stored, await CountAsync("SELECT count(*) FROM submissions;"));
    }

    [Theory]
    [InlineData("/search?q=attention&handler=x")]
    [InlineData("/?handler=preview")]
    [InlineData("/admin/signin?handler=preview")]
    public async Task PageAskedForAHandlerItLacks_Is404(string url)
    {
        var response = await _site.CreateReader().GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("We could not find that page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_site.DatabasePath}");
        await connection.OpenAsync();
        return (long)(await new SqliteCommand(sql, connection).ExecuteScalarAsync())!;
    }
}
