using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>What an operator deploying the site on the public internet relies on, over real HTTP.</summary>
public sealed class OperatorTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void RequestLogging_IsOffAsShipped_SoNoRequestStartsAnActivityAndScope_WhileErrorsAreStillLogged()
    {
        // While this category is enabled at any level, ASP.NET Core makes an Activity and a logging scope per request:
        // about half of what a cached page allocated (README, "Memory, fourth step").
        var loggers = _site.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware").IsEnabled(LogLevel.Error));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Error));
        Assert.True(loggers.CreateLogger("PaperCatalog.Web.Search").IsEnabled(LogLevel.Warning));
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("x-no-such-charset")]
    [InlineData("utf-16")]
    public async Task FormPostedInACharsetTheSiteDoesNotRead_Is415WithTheProtectiveHeaders_AndNothingStored(string charset)
    {
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/submit");
        var fields = Forms.Fields((IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!);
        foreach (var (k, v) in Submissions.SubmissionFlowTests.Paper()) fields[k] = v!;
        var content = new FormUrlEncodedContent(fields);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/x-www-form-urlencoded; charset={charset}");

        var response = await client.PostAsync("/submit", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("Content-Security-Policy"), "the refusal carries the Content-Security-Policy");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Empty(_site.Errors);
        await using var db = new SqliteConnection($"Data Source={_site.DatabasePath}");
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions;"));
    }

    [Fact]
    public async Task FormPostedAsUtf8WithACharsetParameter_IsAccepted()
    {
        var client = _site.CreateReader();
        var doc = await Html.GetOkAsync(client, "/submit");
        var fields = Forms.Fields((IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!);
        foreach (var (k, v) in Submissions.SubmissionFlowTests.Paper()) fields[k] = v!;
        var content = new FormUrlEncodedContent(fields);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=UTF-8");
        var response = await client.PostAsync("/submit", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task ApprovingAPaperWithAChineseSlug_RedirectsToAnEscapedAddress_ThatServesThePaper()
    {
        var reader = _site.CreateReader();
        var doc = await Html.GetOkAsync(reader, "/submit");
        var values = Submissions.SubmissionFlowTests.Paper("推理加速：大模型的投机解码", "https://arxiv.org/abs/2411.09876");
        values["Input.Keywords"] = "投机解码";
        values["Input.Intro"] = "# 推理加速\n\n草稿模型先写，目标模型一次验证。";
        var submitted = await Forms.PostAsync(reader, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, values);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);

        var moderator = await _site.SignedInAsync();
        long id;
        await using (var db = new SqliteConnection($"Data Source={_site.DatabasePath}"))
            id = await db.ExecuteScalarAsync<long>("SELECT id FROM submissions;");
        var review = await Html.GetOkAsync(moderator, $"/admin/submissions/{id}");
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        var approved = await Forms.PostAsync(moderator, form, new Dictionary<string, string?>(), form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));

        Assert.True(approved.Headers.Location!.OriginalString.All(c => c < 128), $"Location is not plain ASCII: {approved.Headers.Location}");
        var location = await Decisions.PaperPathAsync(moderator, approved);
        Assert.StartsWith("/papers/%E6", location, StringComparison.Ordinal);
        Assert.True(location.All(c => c < 128), $"Location is not plain ASCII: {location}");
        var paper = await Html.GetOkAsync(reader, location);
        Assert.Contains("推理加速", paper.QuerySelector("h1").Text());

        // The moderator's edit of the same paper redirects the same way.
        var edit = await Html.GetOkAsync(moderator, "/admin/papers/" + location["/papers/".Length..]);
        var editForm = (IHtmlFormElement)edit.QuerySelector("main form.paper-form")!;
        var saved = await Forms.PostAsync(moderator, editForm, new Dictionary<string, string?> { ["Input.Affiliation"] = "示例实验室" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(location, saved.Headers.Location!.OriginalString);
        Assert.Empty(_site.Errors);
    }

    [Fact]
    public async Task AHostileHostHeader_IsNeverReflected_IntoTheSignInRedirect()
    {
        var client = _site.CreateReader();
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/signin", location, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithABaseUrl_OtherHostsAre400_AndTheStatusLinkUsesTheBaseUrl()
    {
        using var site = new SiteFactory { Settings = { ["Site:BaseUrl"] = "https://papers.example.org" } };
        var client = site.CreateReader();
        var evil = new HttpRequestMessage(HttpMethod.Get, "/");
        evil.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(evil)).StatusCode);
        var own = new HttpRequestMessage(HttpMethod.Get, "/");
        own.Headers.Host = "papers.example.org";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(own)).StatusCode);

        var doc = await Html.GetOkAsync(client, "/submit"); // Host: localhost, allowed for the operator's own checks
        var submitted = await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!, Submissions.SubmissionFlowTests.Paper());
        var status = await Html.GetOkAsync(client, submitted.Headers.Location!.OriginalString);
        var link = status.QuerySelector(".status-link")!;
        Assert.StartsWith("https://papers.example.org/submissions/", link.Text() + link.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedClient_AreIgnored()
    {
        // No trusted proxy is configured: a client cannot claim to be HTTPS (a Secure cookie, HSTS) or another address.
        var client = _site.CreateReader();
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(response.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheStoreAndTheKeysFolder_AreReadableByTheirOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var client = _site.CreateReader();
        await Html.GetOkAsync(client, "/admin/signin"); // makes an antiforgery key
        var store = File.GetUnixFileMode(_site.DatabasePath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, store);
        foreach (var companion in new[] { "-wal", "-shm" }.Select(s => _site.DatabasePath + s).Where(File.Exists))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(companion));
        var keys = Path.Combine(_site.Folder, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.NotEmpty(Directory.GetFiles(keys));
    }

    [Fact]
    public async Task Healthz_IsHealthyOnACurrentStore_And503WhenTheSchemaIsBehindOrTheStoreUnreadable()
    {
        var client = _site.CreateReader();
        var ok = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.StartsWith("Healthy", await ok.Content.ReadAsStringAsync());
        Assert.True(ok.Headers.CacheControl!.NoStore, "health answers are never cached");
        Assert.False((await client.PostAsync("/healthz", new FormUrlEncodedContent([]))).IsSuccessStatusCode, "/healthz takes GET and HEAD only");

        await using (var db = new SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False"))
        {
            await db.OpenAsync();
            var version = await db.ExecuteScalarAsync<long>("PRAGMA user_version;");
            await db.ExecuteAsync($"PRAGMA user_version = {version - 1};");
        }
        var behind = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        Assert.Contains("expects", await behind.Content.ReadAsStringAsync());

        await using (var db = new SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False"))
        {
            await db.OpenAsync();
            await db.ExecuteAsync("PRAGMA user_version = " + PaperCatalog.Data.CatalogDatabase.LatestMigration + "; ALTER TABLE topics RENAME TO topics_gone;");
        }
        var unreadable = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreadable.StatusCode);
        Assert.Contains("cannot be read", await unreadable.Content.ReadAsStringAsync());
    }
}
