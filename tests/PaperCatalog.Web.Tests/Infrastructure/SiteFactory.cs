using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Moderation;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>A site of its own (for tests that write), with configurable limits and a moderator account.</summary>
public class SiteFactory : CatalogFactory
{
    public const string Moderator = "mira";
    public const string Password = "a long enough passphrase";

    public int RatePermits { get; init; } = 100_000;
    public int PreviewPermits { get; init; } = 100_000;

    /// <summary>The site's clock, when a test moves time on (sessions, lockouts); the system clock otherwise.</summary>
    public TestClock? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Submissions:RatePermits", RatePermits.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Submissions:PreviewPermits", PreviewPermits.ToString(CultureInfo.InvariantCulture));
        if (Clock is not null) builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Makes the moderator account, as `catalog moderator add` would.</summary>
    public async Task AddModeratorAsync()
    {
        var problem = await Services.GetRequiredService<ModeratorAccounts>().AddAsync(Moderator, Password, CancellationToken.None);
        Assert.Null(problem);
    }

    /// <summary>A client signed in as the moderator (through the real sign-in form).</summary>
    public async Task<HttpClient> SignedInAsync()
    {
        await AddModeratorAsync();
        var client = CreateReader();
        var response = await TrySignInAsync(client, Moderator, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Fills and posts the real sign-in form (with its antiforgery token) from <paramref name="client"/>.</summary>
    public static async Task<HttpResponseMessage> TrySignInAsync(HttpClient client, string name, string password, string query = "")
    {
        var doc = await Html.GetOkAsync(client, "/admin/signin");
        return await Forms.PostAsync(client, (IHtmlFormElement)doc.QuerySelector("main form")!,
            new Dictionary<string, string?> { ["Name"] = name, ["Password"] = password }, "/admin/signin" + query);
    }

    /// <summary>
    /// A reader whose cookie jar the test holds, so it can drop one cookie (the antiforgery cookie of a tab left open for a
    /// day) and keep the others. Follows no redirects.
    /// </summary>
    public HttpClient ReaderWithJar(out CookieContainer jar)
    {
        jar = new CookieContainer();
        var client = CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar));
        return client;
    }

    /// <summary>Forgets the antiforgery cookie, as a browser does after a restart or once it expires.</summary>
    public static void DropAntiforgeryCookie(CookieContainer jar, HttpClient client)
    {
        var cookies = jar.GetCookies(client.BaseAddress!);
        var dropped = 0;
        foreach (Cookie cookie in cookies)
        {
            if (!cookie.Name.StartsWith("catalog.af", StringComparison.Ordinal)) continue;
            cookie.Expired = true;
            dropped++;
        }
        Assert.True(dropped > 0, "the client had no antiforgery cookie to drop");
    }

    /// <summary>Starts the site on a real Kestrel port on 127.0.0.1 (call before any other use).</summary>
    public Uri Serve()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>
    /// A client of the real port whose connections come from <paramref name="source"/> (127.0.0.2, 127.0.0.3, ...):
    /// another client address, as the site sees it, without a proxy. Keeps its cookies; follows no redirects.
    /// </summary>
    public HttpClient ClientFrom(string source)
    {
        var port = ClientOptions.BaseAddress.Port;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
