using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>Fetches a page over real HTTP and parses it with AngleSharp.</summary>
public static class Html
{
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var document = await new HtmlParser().ParseDocumentAsync(text);
        return (response, document);
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
