namespace PaperCatalog;

/// <summary>The site's URLs for papers, topics and keywords, in one place for the importer and the pages.</summary>
public static class PaperUrls
{
    public static string Paper(string slug) => "/papers/" + Uri.EscapeDataString(slug);
    public static string Media(string slug, string path) =>
        Paper(slug) + "/media/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    public static string Topic(string slug) => "/topics/" + Uri.EscapeDataString(slug);
    public static string Keyword(string slug) => "/keywords/" + Uri.EscapeDataString(slug);
}
