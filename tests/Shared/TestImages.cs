using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace PaperCatalog.TestSupport;

/// <summary>Tiny images made in code for the figure tests: real files of each kind, and the hostile ones.</summary>
public static class TestImages
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> image in two colours, encoded as <paramref name="format"/>.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int width = 24, int height = 16)
    {
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, x < width / 2 ? new SKColor(30, 90, 200) : new SKColor(240, 180, 20));
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    public static byte[] Png(int width = 24, int height = 16) => Encode(SKEncodedImageFormat.Png, width, height);
    public static byte[] Jpeg(int width = 24, int height = 16) => Encode(SKEncodedImageFormat.Jpeg, width, height);
    public static byte[] Webp(int width = 24, int height = 16) => Encode(SKEncodedImageFormat.Webp, width, height);

    /// <summary>A 1 × 1 GIF (Skia does not write GIF), byte by byte.</summary>
    public static byte[] Gif() =>
    [
        .. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0,
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B,
    ];

    public static byte[] Svg() => Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>""");

    public static byte[] Html() => Encoding.UTF8.GetBytes("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");

    /// <summary>A PNG cut off half-way through its image data, as an interrupted upload leaves it.</summary>
    public static byte[] TruncatedPng()
    {
        var png = Encode(SKEncodedImageFormat.Png, 300, 200);
        return png[..(png.Length / 2)];
    }

    /// <summary>
    /// A valid PNG that says <paramref name="width"/> × <paramref name="height"/> pixels (1-bit grey, every pixel black):
    /// a few kilobytes that decode to gigabytes, the decompression bomb a pixel limit exists for.
    /// </summary>
    public static byte[] BombPng(int width = 20_000, int height = 20_000)
    {
        var raw = new byte[(long)height * (1 + (width + 7) / 8) > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(height)) : height * (1 + (width + 7) / 8)];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(raw);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 1; // bit depth; colour type 0 (grey), compression, filter and interlace 0
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A file over the figure size limit whose first bytes are a real PNG's.</summary>
    public static byte[] OverSize(long bytes)
    {
        var png = Png();
        var file = new byte[bytes];
        png.CopyTo(file, 0);
        return file;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(typed));
        png.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, as zlib's).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
