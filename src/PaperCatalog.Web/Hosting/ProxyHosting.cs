using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Running behind a reverse proxy on the public internet: forwarded headers only from trusted proxies, allowed hosts,
/// and absolute links from the configured public address.
/// </summary>
public static class ProxyHosting
{
    public static WebApplicationBuilder AddProxySupport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>().BindConfiguration("Site");
        var site = builder.Configuration.GetSection("Site").Get<SiteOptions>() ?? new SiteOptions();

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With no proxy named, no header is read at all: the middleware believes every sender when both lists are
            // empty. Otherwise only the proxies the operator named (the default, loopback, would trust any local process).
            options.ForwardedHeaders = site.TrustedProxies.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var entry in site.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(entry, out var network)) options.KnownIPNetworks.Add(network);
                else if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
                else throw new OptionsValidationException("Site", typeof(SiteOptions), [$"Site:TrustedProxies: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8"]);
            }
        });

        builder.Services.Configure<HostFilteringOptions>(options =>
        {
            options.AllowedHosts = AllowedHosts(site);
            options.AllowEmptyHosts = false;
            options.IncludeFailureMessage = false;
        });
        builder.Services.AddSingleton<PublicUrls>();

        // The cookie handler's redirects to sign-in are absolute URLs built from the Host header; send the path alone.
        builder.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
        {
            cookie.Events.OnRedirectToLogin = RedirectToPathOnly;
            cookie.Events.OnRedirectToAccessDenied = RedirectToPathOnly;
            cookie.Events.OnRedirectToLogout = RedirectToPathOnly;
            cookie.Events.OnRedirectToReturnUrl = RedirectToPathOnly;
        });
        return builder;
    }

    /// <summary>Forwarded headers first (everything after sees the client's address and scheme), then host filtering.</summary>
    public static WebApplication UseProxySupport(this WebApplication app)
    {
        // With no proxy trusted the step would read nothing, yet it still allocates for every request: leave it out.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders != ForwardedHeaders.None)
            app.UseForwardedHeaders();
        app.UseHostFiltering();
        return app;
    }

    private static Task RedirectToPathOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    internal static List<string> AllowedHosts(SiteOptions site)
    {
        if (site.AllowedHosts.Count > 0) return site.AllowedHosts;
        if (string.IsNullOrWhiteSpace(site.BaseUrl)) return ["*"];
        if (!Uri.TryCreate(site.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            throw new OptionsValidationException("Site", typeof(SiteOptions), [$"Site:BaseUrl: '{site.BaseUrl}' is not an absolute http(s) address"]);
        return [baseUrl.IdnHost, "localhost", "127.0.0.1", "[::1]"];
    }
}

/// <summary>Absolute addresses of the site's pages: from <see cref="SiteOptions.BaseUrl"/> when it is set.</summary>
public sealed class PublicUrls(IOptions<SiteOptions> options)
{
    private readonly string _base = options.Value.BaseUrl.TrimEnd('/');

    /// <summary><paramref name="path"/> (from <see cref="PaperUrls"/>, starting with '/') as an absolute URL.</summary>
    public string Absolute(HttpRequest request, string path) =>
        (_base.Length > 0 ? _base : request.Scheme + "://" + request.Host.ToUriComponent() + request.PathBase.ToUriComponent()) + path;
}
