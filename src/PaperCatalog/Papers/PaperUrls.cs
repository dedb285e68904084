namespace PaperCatalog;

/// <summary>
/// The site's URLs, in one place for the importer, the pages and their redirects. Every variable part is escaped, so a
/// slug in any script is a valid URL and a valid <c>Location</c> header.
/// </summary>
public static class PaperUrls
{
    public static string Paper(string slug) => "/papers/" + Uri.EscapeDataString(slug);
    public static string Media(string slug, string path) =>
        Paper(slug) + "/media/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    public static string Topic(string slug) => "/topics/" + Uri.EscapeDataString(slug);
    public static string Keyword(string slug) => "/keywords/" + Uri.EscapeDataString(slug);
    public static string EditPaper(string slug) => "/admin/papers/" + Uri.EscapeDataString(slug);
    public static string Submission(string token) => "/submissions/" + Uri.EscapeDataString(token);
}
