namespace PaperCatalog.Citations;

/// <summary>The citation formats the catalog exports, each with its file extension and media type.</summary>
public enum CitationFormat { BibTex, Ris, CslJson }

/// <summary>What a download of each <see cref="CitationFormat"/> is called and sent as.</summary>
public static class CitationFormats
{
    public static readonly IReadOnlyList<CitationFormat> All = [CitationFormat.BibTex, CitationFormat.Ris, CitationFormat.CslJson];

    /// <summary>The file extension, which is also the format's name in the URL (<c>citation.bib</c>).</summary>
    public static string Extension(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "bib",
        CitationFormat.Ris => "ris",
        _ => "json",
    };

    /// <summary>The registered (or customary) media type: reference managers open a download by it.</summary>
    public static string MediaType(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "application/x-bibtex",
        CitationFormat.Ris => "application/x-research-info-systems",
        _ => "application/vnd.citationstyles.csl+json",
    };

    /// <summary>The name a reader sees on a link: BibTeX, RIS, CSL-JSON.</summary>
    public static string Label(CitationFormat format) => format switch
    {
        CitationFormat.BibTex => "BibTeX",
        CitationFormat.Ris => "RIS",
        _ => "CSL-JSON",
    };

    /// <summary>The format whose extension is <paramref name="extension"/> (as a URL gives it), or null.</summary>
    public static CitationFormat? FromExtension(string? extension) =>
        All.Cast<CitationFormat?>().FirstOrDefault(f => string.Equals(Extension(f!.Value), extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The papers in <paramref name="format"/>.</summary>
    public static string Write(CitationFormat format, IReadOnlyList<CitedPaper> papers) => format switch
    {
        CitationFormat.BibTex => BibTex.Write(papers),
        CitationFormat.Ris => Ris.Write(papers),
        _ => CslJson.Write(papers),
    };

    /// <summary>
    /// The papers in <paramref name="format"/>, written to <paramref name="body"/> part by part as <paramref name="parts"/>
    /// gives them and flushed after each, so memory holds one part, never the file: the same bytes as
    /// <see cref="Write"/> over all the parts, in UTF-8 without a byte-order mark.
    /// </summary>
    public static async Task WriteAsync(CitationFormat format, Stream body, IAsyncEnumerable<IReadOnlyList<CitedPaper>> parts, CancellationToken ct)
    {
        if (format == CitationFormat.CslJson)
        {
            await using var json = new System.Text.Json.Utf8JsonWriter(body, CslJson.Options);
            json.WriteStartArray();
            await foreach (var part in parts.WithCancellation(ct))
            {
                foreach (var cited in part) CslJson.Item(json, cited);
                await json.FlushAsync(ct);
            }
            json.WriteEndArray();
            await json.FlushAsync(ct);
            return;
        }
        await using var writer = new StreamWriter(body, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
        var sb = new System.Text.StringBuilder();
        var first = true;
        await foreach (var part in parts.WithCancellation(ct))
        {
            sb.Clear();
            if (format == CitationFormat.BibTex) BibTex.Append(sb, part, first);
            else Ris.Append(sb, part);
            first &= part.Count == 0;
            await writer.WriteAsync(sb, ct);
            await writer.FlushAsync(ct);
        }
    }

    // What Encoding.UTF8.GetBytes gives (the buffered download's bytes): no byte-order mark.
    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
}

/// <summary>A paper with the key every export cites it by.</summary>
public sealed record CitedPaper(string Key, PaperRow Paper);
