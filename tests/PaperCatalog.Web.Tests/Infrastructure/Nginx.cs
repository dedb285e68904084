using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's package, <c>/usr/sbin/nginx</c>) run unprivileged from a temp folder, on loopback only, as the
/// reverse proxy an operator puts in front of the site. It terminates TLS with a self-signed certificate made here, and
/// passes the client's address and scheme on as <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>.
/// </summary>
public sealed class Nginx : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly string _folder;
    private readonly Process _process;

    private Nginx(string folder, Process process, int httpsPort, int httpPort)
    {
        _folder = folder;
        _process = process;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
    }

    public int HttpsPort { get; }
    public int HttpPort { get; }

    /// <summary>Starts nginx in front of <paramref name="upstreams"/> (round robin when several) and waits until it listens.</summary>
    public static async Task<Nginx> StartAsync(params Uri[] upstreams)
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"Proxy tests need Debian's nginx at {Binary}: apt-get install nginx-light");
        var folder = Path.Combine(Path.GetTempPath(), "papercatalog-nginx", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        WriteCertificate(folder);
        int https = FreePort(), http = FreePort();
        var servers = string.Join("\n", upstreams.Select(u => $"    server 127.0.0.1:{u.Port};"));
        var proxy = """
                location / {
                    proxy_pass http://site;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
            """;
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/tmp/body;
                proxy_temp_path {{folder}}/tmp/proxy;
                fastcgi_temp_path {{folder}}/tmp/fastcgi;
                uwsgi_temp_path {{folder}}/tmp/uwsgi;
                scgi_temp_path {{folder}}/tmp/scgi;
                upstream site {
            {{servers}}
                }
                server {
                    listen 127.0.0.1:{{https}} ssl;
                    ssl_certificate {{folder}}/cert.pem;
                    ssl_certificate_key {{folder}}/key.pem;
            {{proxy}}
                }
                server {
                    listen 127.0.0.1:{{http}};
            {{proxy}}
                }
            }
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf") }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var nginx = new Nginx(folder, process, https, http);
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) throw new InvalidOperationException("nginx did not start: " + await process.StandardError.ReadToEndAsync() + nginx.ErrorLog());
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, https);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        nginx.Dispose();
        throw new InvalidOperationException("nginx did not listen within 5 s");
    }

    public string ErrorLog() => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    /// <summary>
    /// A client of the proxy connecting from <paramref name="source"/> (another loopback address is another client),
    /// over HTTPS (the test certificate accepted) or plain HTTP.
    /// </summary>
    public HttpClient Client(string source = "127.0.0.1", bool https = true)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var baseUrl = https ? $"https://localhost:{HttpsPort}/" : $"http://localhost:{HttpPort}/";
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WriteCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
