#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The floor under the site's cached page (web-bench.sh runs it): a bare Kestrel app that answers every request with
// one file's bytes from memory, gzipped once at start for clients that ask. No middleware, no routing, no cache
// lookup: what a cached page would cost if the site did nothing per request but write it.
//   dotnet run floor.cs -- FILE http://127.0.0.1:PORT
using System.IO.Compression;

var plain = File.ReadAllBytes(args[0]);
using var packed = new MemoryStream();
using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
var gzipped = packed.ToArray();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls(args[1]);
var app = builder.Build();
app.Run(context =>
{
    var zipped = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal);
    var body = zipped ? gzipped : plain;
    context.Response.ContentType = "text/html; charset=utf-8";
    if (zipped) context.Response.Headers.ContentEncoding = "gzip";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.Run();
