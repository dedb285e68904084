using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Serves the br or gzip copy of a static asset that the build wrote beside it (PaperCatalog.Web.csproj,
/// <c>PrecompressWebRoot</c>, at the smallest size), when the client accepts that encoding: no compression work per
/// request, and smaller answers than the dynamic compressor's fastest level. The copies are never served under their
/// own names (they would reach the client without a Content-Encoding).
/// </summary>
internal static class PrecompressedAssets
{
    private const string EncodingItem = "PaperCatalog.AssetEncoding";

    private static readonly (string Encoding, string Suffix)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>The extensions the build compresses (PrecompressWebRoot's WebRootText); no other path costs a file lookup here.</summary>
    internal static readonly string[] Compressed = [".css", ".js", ".svg", ".json", ".txt"];

    /// <summary>Before the static file middleware: picks the copy and rewrites the path to it.</summary>
    public static Func<HttpContext, RequestDelegate, Task> Select(IFileProvider webRoot) => (context, next) =>
    {
        var request = context.Request;
        var path = request.Path.Value;
        if (path is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))) return next(context);
        if (path.EndsWith(".br", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!Compressed.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase) || !webRoot.GetFileInfo(path + ".br").Exists)
            return next(context);
        // Every answer for a compressible asset varies with Accept-Encoding, the identity one included.
        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, suffix) in Encodings)
        {
            if (!accepted.Any(a => a.Quality is null or > 0 && (a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase) || a.Value == "*"))) continue;
            if (!webRoot.GetFileInfo(path + suffix).Exists) continue;
            context.Items[EncodingItem] = (encoding, path);
            request.Path = path + suffix;
            break;
        }
        return next(context);
    };

    /// <summary>The original asset's content type for its compressed copy (the static file middleware would see .br or .gz).</summary>
    public sealed class ContentTypes : IContentTypeProvider
    {
        private readonly FileExtensionContentTypeProvider _inner = new();

        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, suffix) in Encodings)
            {
                if (subpath.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    return _inner.TryGetContentType(subpath[..^suffix.Length], out contentType!);
            }
            return _inner.TryGetContentType(subpath, out contentType!);
        }
    }

    /// <summary>Labels a compressed copy with its encoding, once the static file middleware has chosen to send it.</summary>
    public static void Label(StaticFileResponseContext context)
    {
        if (context.Context.Items.TryGetValue(EncodingItem, out var value) && value is (string encoding, string _))
            context.Context.Response.Headers.ContentEncoding = encoding;
    }
}
