using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Hosting;

/// <summary>Static assets leave the build pre-compressed (br and gzip) and are served in the encoding the client accepts.</summary>
public sealed class StaticAssetTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    public static TheoryData<string> TextAssets()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(AppRoot.WebRoot, "*", SearchOption.AllDirectories))
        {
            if (PrecompressedAssets.Compressed.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                data.Add("/" + Path.GetRelativePath(AppRoot.WebRoot, file).Replace('\\', '/'));
        }
        return data;
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decompressor = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string? acceptEncoding, EntityTagHeaderValue? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (etag is not null) request.Headers.IfNoneMatch.Add(etag);
        return await _site.CreateReader().SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(TextAssets))]
    public void EveryTextAsset_HasBrAndGzipCopiesFromTheBuild_ThatDecompressToItsBytes(string url)
    {
        var source = File.ReadAllBytes(Path.Combine(AppRoot.WebRoot, url.TrimStart('/')));
        foreach (var (encoding, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            var copy = Path.Combine(AppRoot.WebRoot, url.TrimStart('/') + suffix);
            Assert.True(File.Exists(copy), $"{url}: no {suffix} copy (the build's PrecompressWebRoot target writes it)");
            Assert.Equal(source, Decompress(File.ReadAllBytes(copy), encoding));
        }
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("*", "br")]
    public async Task AnAsset_IsServedInTheEncodingTheClientAccepts_WithItsOwnContentTypeAndETag(string accept, string expected)
    {
        var plain = await GetAsync("/css/site.css", null);
        var response = await GetAsync("/css/site.css", accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);
        var original = await plain.Content.ReadAsByteArrayAsync();
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length < original.Length / 3, $"{expected}: {body.Length} of {original.Length} bytes");
        Assert.Equal(original, Decompress(body, expected));
        Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync("/css/site.css", accept, response.Headers.ETag)).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("br;q=0, gzip;q=0")]
    public async Task AClientThatAcceptsNoCompression_GetsTheAssetAsItIs(string? accept)
    {
        var response = await GetAsync("/js/site.js", accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppRoot.WebRoot, "js", "site.js")), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/css/site.css.br")]
    [InlineData("/js/site.js.gz")]
    public async Task TheCompressedCopies_AreNotServedUnderTheirOwnNames(string url) =>
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(url, "br")).StatusCode);
}
