using System.Text;
using PaperCatalog.Figures;
using PaperCatalog.TestSupport;
using SkiaSharp;

namespace PaperCatalog.Tests.Figures;

/// <summary>The figure check: the type from the bytes, the limits before decoding, and re-encoded output.</summary>
public sealed class FigureImagesTests
{
    public static TheoryData<string, string> Accepted => new()
    {
        { "png", "image/png" },
        { "jpeg", "image/jpeg" },
        { "webp", "image/webp" },
        { "gif", "image/png" },
    };

    private static byte[] Make(string kind) => kind switch
    {
        "png" => TestImages.Png(),
        "jpeg" => TestImages.Jpeg(),
        "webp" => TestImages.Webp(),
        _ => TestImages.Gif(),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Check_PngJpegWebpAndGif_AreAcceptedAndReencoded_KeepingTheirPixelSize(string kind, string storedAs)
    {
        var upload = Make(kind);
        var check = FigureImages.Check(upload);
        Assert.Null(check.Problem);
        var figure = check.Figure!;
        Assert.Equal(storedAs, figure.ContentType);
        using var codec = SKCodec.Create(new SKMemoryStream(figure.Bytes));
        Assert.NotNull(codec);
        Assert.Equal(kind == "gif" ? (1, 1) : (24, 16), (figure.Width, figure.Height));
        Assert.Equal((figure.Width, figure.Height), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public void Check_APngWithAnHtmlPageAppended_StoresOnlyThePixels()
    {
        // A polyglot: a valid PNG that is also an HTML page to a browser that sniffs. Re-encoding keeps only the image.
        var polyglot = TestImages.Png().Concat(Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")).ToArray();
        var figure = FigureImages.Check(polyglot).Figure!;
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(figure.Bytes), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Check_AJpegComment_DoesNotReachTheStore()
    {
        // A COM segment (metadata a camera or an editor writes) right after the start marker.
        var jpeg = TestImages.Jpeg();
        byte[] comment = [0xFF, 0xFE, 0x00, 0x0E, .. "secret-note"u8, 0];
        var tagged = jpeg[..2].Concat(comment).Concat(jpeg[2..]).ToArray();
        var figure = FigureImages.Check(tagged).Figure!;
        Assert.DoesNotContain("secret-note", Encoding.Latin1.GetString(figure.Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Svg_IsRefusedAndTheMessageSaysToExportAsPng()
    {
        var check = FigureImages.Check(TestImages.Svg());
        Assert.Null(check.Figure);
        Assert.Contains("SVG figures are not accepted", check.Problem, StringComparison.Ordinal);
        Assert.Contains("PNG", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HtmlWhateverItsName_IsRefusedAsNotAnImage()
    {
        var check = FigureImages.Check(TestImages.Html());
        Assert.Null(check.Figure);
        Assert.Contains("not a PNG, JPEG, WebP or GIF", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ADecompressionBomb_IsRefusedByItsHeaderBeforeAnyPixelIsDecoded()
    {
        var bomb = TestImages.BombPng();
        Assert.True(bomb.Length < 200_000, $"the bomb is {bomb.Length} bytes"); // small on the wire, 50 MB of pixels (1-bit), 1.6 GB as RGBA
        var check = FigureImages.Check(bomb);
        Assert.Null(check.Figure);
        Assert.Contains("20,000 × 20,000 pixels", check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FigureImages.MaxSide + 1, 10)]
    [InlineData(10, FigureImages.MaxSide + 1)]
    [InlineData(4000, 3001)] // under the side limit, over the pixel limit
    public void Check_OverThePixelLimits_IsRefused(int width, int height)
    {
        var check = FigureImages.Check(TestImages.BombPng(width, height));
        Assert.Null(check.Figure);
        Assert.Contains("Scale it down", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ATruncatedPng_IsRefusedAsDamaged()
    {
        var check = FigureImages.Check(TestImages.TruncatedPng());
        Assert.Null(check.Figure);
        Assert.Contains("damaged or cut short", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OverTheByteLimit_IsRefusedUnread_AndAnEmptyFileToo()
    {
        Assert.Contains("at most 2 MB", FigureImages.Check(TestImages.OverSize(FigureImages.MaxBytes + 1)).Problem, StringComparison.Ordinal);
        Assert.Contains("empty", FigureImages.Check([]).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AnyPrefixOrCorruptionOfARealImage_IsAnAnswerNeverAnException()
    {
        var png = TestImages.Png(40, 30);
        var random = new Random(16);
        for (var i = 0; i < 200; i++)
        {
            var bytes = i % 2 == 0 ? png[..random.Next(1, png.Length)] : png.Select(b => random.Next(20) == 0 ? (byte)random.Next(256) : b).ToArray();
            var check = FigureImages.Check(bytes);
            Assert.True(check.Figure is not null ^ check.Problem is not null);
        }
    }
}
