namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Configuration section <c>Site</c>: how the site is reached from outside (environment: <c>Site__BaseUrl</c>,
/// <c>Site__TrustedProxies__0</c>, ...).
/// </summary>
public sealed class SiteOptions
{
    /// <summary>
    /// The public address readers use, e.g. <c>https://papers.example.org</c>. Absolute links (the private status link)
    /// are built from it, never from the request's Host header, and its host is an allowed host. Empty: absolute links
    /// use the request's own address, which host filtering has already checked.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed: single addresses
    /// (<c>127.0.0.1</c>) or networks (<c>10.0.0.0/8</c>). Empty: no forwarded header is believed, so a client cannot
    /// pick its own address or scheme.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Host names the site answers to (<c>Host</c> header); others get 400. Empty: the host of <see cref="BaseUrl"/> plus
    /// localhost, 127.0.0.1 and [::1]; with no base URL either, any host (a site on a developer's machine).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
