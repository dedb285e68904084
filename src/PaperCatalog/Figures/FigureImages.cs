using SkiaSharp;

namespace PaperCatalog.Figures;

/// <summary>A checked figure as the site stores and serves it: re-encoded, so its bytes are the site's own.</summary>
public sealed record Figure(string ContentType, byte[] Bytes, int Width, int Height)
{
    /// <summary>The file extension for <see cref="ContentType"/> (the served path ends with it).</summary>
    public string Extension => FigureImages.ExtensionOf(ContentType);
}

/// <summary>What checking an upload came to: the figure, or a sentence saying why it was refused.</summary>
public sealed record FigureCheck(Figure? Figure, string? Problem)
{
    public static FigureCheck Refused(string problem) => new(null, problem);
}

/// <summary>
/// Checks an uploaded figure. The type is read from the bytes (never the file name or the client's content type), and
/// only PNG, JPEG, WebP and GIF pass; SVG is refused (it is a document that can carry script and links). The byte size
/// is checked first, then the pixel size from the image header, and only then is the image decoded, so a small file
/// that claims 20,000 × 20,000 pixels (a decompression bomb) is refused before any pixel memory is taken. The decoded
/// pixels are encoded again (PNG for PNG and GIF, JPEG for JPEG, WebP for WebP): whatever else the upload held
/// (metadata, a second file appended, a polyglot's HTML) does not reach the store.
/// </summary>
public static class FigureImages
{
    /// <summary>Largest upload, in bytes.</summary>
    public const long MaxBytes = 2 * 1024 * 1024;
    /// <summary>Longest side, in pixels.</summary>
    public const int MaxSide = 4096;
    /// <summary>Most pixels (width × height): 12 million, a 4000 × 3000 image; decoded, 48 MB of memory.</summary>
    public const long MaxPixels = 12_000_000;
    /// <summary>Longest figure description (the image's alternative text).</summary>
    public const int MaxDescription = 300;
    /// <summary>What the form's file input offers (a hint to the browser's picker; the bytes decide).</summary>
    public const string Accept = "image/png,image/jpeg,image/webp,image/gif";
    /// <summary>The limits as a sentence for the form.</summary>
    public static readonly string Limits = $"PNG, JPEG, WebP or GIF, at most {MaxBytes / (1024 * 1024)} MB and {MaxSide:N0} pixels a side ({MaxPixels / 1_000_000} million pixels in all). SVG is not accepted: export it as PNG.";

    private enum Kind { Png, Jpeg, Webp, Gif }

    /// <summary>Checks and re-encodes <paramref name="bytes"/>; never throws for any input.</summary>
    public static FigureCheck Check(byte[] bytes)
    {
        if (SizeProblem(bytes.Length) is { } tooLarge) return FigureCheck.Refused(tooLarge);
        if (Sniff(bytes) is not { } kind)
            return FigureCheck.Refused(LooksLikeSvg(bytes)
                ? "SVG figures are not accepted (an SVG can carry scripts and links): export the figure as PNG."
                : "This file is not a PNG, JPEG, WebP or GIF image (its content says so, whatever its name).");

        // The codec owns the stream; creating it reads the header only.
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var opened);
        if (codec is null || FormatOf(codec.EncodedFormat) != kind)
            return FigureCheck.Refused(opened == SKCodecResult.IncompleteInput ? Damaged : "The image could not be read; save it again as PNG.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0) return FigureCheck.Refused(Damaged);
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
            return FigureCheck.Refused($"The figure is {width:N0} × {height:N0} pixels; at most {MaxSide:N0} a side and {MaxPixels / 1_000_000} million pixels in all fit. Scale it down.");

        // Only now are pixels decoded, into memory sized by the checked header. An image cut short is refused, not
        // shown half grey.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success) return FigureCheck.Refused(Damaged);

        var (format, quality, contentType) = kind switch
        {
            Kind.Jpeg => (SKEncodedImageFormat.Jpeg, 90, "image/jpeg"),
            Kind.Webp => (SKEncodedImageFormat.Webp, 90, "image/webp"),
            _ => (SKEncodedImageFormat.Png, 100, "image/png"), // GIF's palette fits PNG without loss; its animation does not survive
        };
        using var encoded = bitmap.Encode(format, quality);
        if (encoded is null) return FigureCheck.Refused("The image could not be read; save it again as PNG.");
        return new FigureCheck(new Figure(contentType, encoded.ToArray(), width, height), null);
    }

    /// <summary>Why a file of <paramref name="length"/> bytes is refused unread (empty, or over <see cref="MaxBytes"/>), or null.</summary>
    public static string? SizeProblem(long length) =>
        length == 0 ? "The figure file is empty; choose the image again."
        : length > MaxBytes ? $"The figure is {Megabytes(length)}; at most {Megabytes(MaxBytes)} fit. Export it smaller, or as PNG or JPEG."
        : null;

    private const string Damaged = "The image is damaged or cut short (the upload may have been interrupted); save it again and choose it anew.";

    /// <summary>The file extension of a content type this class produces.</summary>
    public static string ExtensionOf(string contentType) => contentType switch
    {
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "png",
    };

    /// <summary>The type by signature: the first bytes of each format, as the WHATWG MIME sniffing standard lists them.</summary>
    private static Kind? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Kind.Png;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Kind.Jpeg;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return Kind.Gif;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return Kind.Webp;
        return null;
    }

    private static Kind? FormatOf(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => Kind.Png,
        SKEncodedImageFormat.Jpeg => Kind.Jpeg,
        SKEncodedImageFormat.Webp => Kind.Webp,
        SKEncodedImageFormat.Gif => Kind.Gif,
        _ => null,
    };

    /// <summary>Text that opens an SVG document (within its first kilobyte), for a refusal that says what to do.</summary>
    private static bool LooksLikeSvg(byte[] bytes)
    {
        var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 1024));
        return head.Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
