using AngleSharp;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>Fetches a page over real HTTP and parses it with AngleSharp.</summary>
public static class Html
{
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response, await ParseAsync(response));
    }

    /// <summary>The response's body parsed as HTML.</summary>
    /// <summary>The document knows its address, so a form without an action posts back to its page, as in a browser.</summary>
    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var address = response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/";
        var context = AngleSharp.BrowsingContext.New(AngleSharp.Configuration.Default);
        return (IHtmlDocument)await context.OpenAsync(request => request.Content(text).Address(address));
    }

    public static async Task<IHtmlDocument> GetOkAsync(HttpClient client, string url)
    {
        var (response, document) = await GetAsync(client, url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        return document;
    }

    public static string Text(this AngleSharp.Dom.IElement? element) =>
        string.Join(' ', (element?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
