using System.IO.Compression;
using System.Net;
using PaperCatalog.Data;
using PaperCatalog.Exporting;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Exporting;

/// <summary>The moderators' download of the list round trip: the files `catalog export` writes, as a private zip.</summary>
public sealed class ExportDownloadTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task ExportZip_FromTheAdminNavigation_HoldsTheFilesOfTheCliExport_AndIsNeverCached()
    {
        var moderator = await _site.SignedInAsync();
        var admin = await Html.GetOkAsync(moderator, "/admin");
        var link = admin.QuerySelectorAll("nav.admin-nav a").Single(a => a.TextContent.Trim() == "Export list").GetAttribute("href")!;

        var response = await moderator.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.DispositionType, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");

        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            entries[entry.FullName] = bytes.ToArray();
        }
        // What `catalog export` writes from the same store, and, right after the site filled it, the bundled data/ itself.
        var cli = await new ListExport(new CatalogDatabase(_site.DatabasePath)).ExportAsync(CancellationToken.None);
        Assert.Equal(cli.Select(f => f.Path), entries.Keys);
        Assert.All(cli, f => Assert.True(f.Bytes.AsSpan().SequenceEqual(entries[f.Path]), $"{f.Path} differs"));
        var data = Path.Combine(CatalogFactory.RepositoryRoot, "data");
        var bundled = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(data, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(bundled, entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(data, "README.md")), entries["README.md"]);
    }

    [Fact]
    public async Task ExportZip_ForAnAnonymousVisitor_RedirectsToSignIn()
    {
        var response = await _site.CreateReader().GetAsync("/admin/export");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
