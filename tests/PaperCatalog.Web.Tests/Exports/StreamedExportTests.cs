using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Citations;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Exports;

/// <summary>
/// A catalog of <see cref="CollidingCatalog.Count"/> papers whose keys collide by the hundred (the same first title word,
/// two years, no authors), in topics larger than one part of a streamed export (<see cref="CitationQueries.PartSize"/>).
/// </summary>
public sealed class CollidingCatalog() : WrittenListSite("colliding", _ => List())
{
    public const int Count = 1800;
    public static readonly string[] Topics = ["Serving", "Attention", "Quantization"];

    private static string List()
    {
        var list = new StringBuilder("# A list whose keys collide\n\n");
        for (var t = 0; t < Topics.Length; t++)
        {
            list.Append(CultureInfo.InvariantCulture, $"## {Topics[t]}\n\n|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
            for (var i = t; i < Count; i += Topics.Length)
                // "Attention" first in every title: keys are 2023attention, 2023attentionb, ... across parts and topics.
                list.Append(CultureInfo.InvariantCulture,
                    $"| Kernels, Batching | **Attention {(i % 2 == 0 ? "Study" : "Sketch")} {i} & Co_{i}** | [[pdf](https://arxiv.org/abs/2301.{i:D5})] | Lab {i % 7} | {2023 + i % 2}.{i % 12 + 1:D2} | {i} |\n");
            list.Append('\n');
        }
        return list.ToString();
    }
}

/// <summary>
/// List exports are written part by part as they are read, in bounded memory: byte for byte what the buffered writer
/// gives for the same papers, with no ETag buffer (no Content-Length, no ETag), still compressed.
/// </summary>
public sealed class StreamedExportTests(CollidingCatalog catalog) : IClassFixture<CollidingCatalog>
{
    private readonly HttpClient _client = catalog.Site.CreateReader();

    /// <summary>What the buffered writer (the single paper's download) gives for every paper in scope, as bytes.</summary>
    public static async Task<byte[]> BufferedAsync(CatalogFactory site, CitationFormat format, string? topic, string? keyword)
    {
        var citations = site.Services.GetRequiredService<CitationQueries>();
        var cited = await citations.CiteAsync(await citations.PapersAsync(topic, keyword, CancellationToken.None), CancellationToken.None);
        return Encoding.UTF8.GetBytes(CitationFormats.Write(format, cited));
    }

    [Theory]
    [InlineData("bib", "/citations.bib", null, null)]
    [InlineData("ris", "/citations.ris", null, null)]
    [InlineData("json", "/citations.json", null, null)]
    [InlineData("bib", "/topics/attention/citations.bib", "attention", null)]
    [InlineData("json", "/keywords/kernels/citations.json", null, "kernels")]
    public async Task StreamedExport_OfCollidingKeysAcrossParts_IsByteForByteTheBufferedWriters(string extension, string url, string? topic, string? keyword)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await BufferedAsync(catalog.Site, CitationFormats.FromExtension(extension)!.Value, topic, keyword);
        Assert.True(expected.Length > 100_000, "the scope spans several parts");
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task LargeExport_IsNotBufferedForAnETag_ButStillCompressed_AndADownload()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/citations.bib");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The ETag middleware sets both from the whole body; a streamed answer has neither.
        Assert.Null(response.Headers.ETag);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal("papercatalog.bib", response.Content.Headers.ContentDisposition!.FileName);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        Assert.Equal(await BufferedAsync(catalog.Site, CitationFormat.BibTex, null, null), plain.ToArray());
    }
}
