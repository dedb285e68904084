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

    /// <summary>A topic's table at a sort and page; the defaults (list order, page 1) stay out of the link.</summary>
    public static string Topic(string slug, string sort, string? dir, int page) =>
        WithQuery(Topic(slug), ("sort", sort == "list" ? null : sort), ("dir", dir), ("page", PageParameter(page)));

    /// <summary>The table of all papers at a sort and page; the defaults stay out of the link.</summary>
    public static string AllPapers(string sort, string? dir, int page) =>
        WithQuery("/papers", ("sort", sort == "list" ? null : sort), ("dir", dir), ("page", PageParameter(page)));

    /// <summary>A keyword's table at a page.</summary>
    public static string Keyword(string slug, int page) => WithQuery(Keyword(slug), ("page", PageParameter(page)));

    /// <summary>The <c>page</c> parameter of a table link: none for the first page.</summary>
    public static string? PageParameter(int page) => page > 1 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>A path with query parameters, each escaped; parameters without a value are left out.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? path : path + "?" + query;
    }
    public static string EditPaper(string slug) => "/admin/papers/" + Uri.EscapeDataString(slug);
    /// <summary>The submission form, prefilled with a paper's fields, as a correction of that paper.</summary>
    public static string SuggestCorrection(string slug) => "/submit?correct=" + Uri.EscapeDataString(slug);
    public static string Submission(string token) => "/submissions/" + Uri.EscapeDataString(token);
    /// <summary>A submission's figure, private to its submitter (by the status page's token).</summary>
    public static string SubmissionFigure(string token) => Submission(token) + "/figure";
    /// <summary>A submission's figure, for moderators.</summary>
    public static string SubmissionFigure(long submissionId) => Review(submissionId) + "/figure";
    public static string Review(long submissionId) => "/admin/submissions/" + submissionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A paper's citation in a format (<c>/papers/gqa/citation.bib</c>).</summary>
    public static string PaperCitation(string slug, Citations.CitationFormat format) => Paper(slug) + "/citation." + Citations.CitationFormats.Extension(format);
    /// <summary>A topic's papers as citations.</summary>
    public static string TopicCitations(string slug, Citations.CitationFormat format) => Topic(slug) + "/citations." + Citations.CitationFormats.Extension(format);
    /// <summary>A keyword's papers as citations.</summary>
    public static string KeywordCitations(string slug, Citations.CitationFormat format) => Keyword(slug) + "/citations." + Citations.CitationFormats.Extension(format);
    /// <summary>A search's results as citations; <paramref name="query"/> is the search page's query string ("?q=..." or "").</summary>
    public static string SearchCitations(string query, Citations.CitationFormat format) => "/search/citations." + Citations.CitationFormats.Extension(format) + query;
    /// <summary>The whole catalog as citations.</summary>
    public static string CatalogCitations(Citations.CitationFormat format) => "/citations." + Citations.CitationFormats.Extension(format);

    /// <summary>The Atom feed of new and updated papers, site-wide.</summary>
    public const string Feed = "/feed.atom";
    public static string TopicFeed(string slug) => Topic(slug) + "/feed.atom";
    public static string KeywordFeed(string slug) => Keyword(slug) + "/feed.atom";
    /// <summary>New and updated papers among a search's results; <paramref name="query"/> as for <see cref="SearchCitations"/>.</summary>
    public static string SearchFeed(string query) => "/search/feed.atom" + query;

    /// <summary>The catalog's shape: papers per year and topic, the most cited, the affiliations named most.</summary>
    public const string Stats = "/stats";
    public const string Sitemap = "/sitemap.xml";
    /// <summary>One file of a sitemap too long for one (counted from 1), listed by the index at <see cref="Sitemap"/>.</summary>
    public static string SitemapFile(int number) => "/sitemaps/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".xml";
    public const string Robots = "/robots.txt";
    public const string OpenSearch = "/opensearch.xml";

    /// <summary>
    /// The moderation queue at a page, order and filter (a handler's, or with how many were just rejected); defaults
    /// stay out of it, so the plain queue is <c>/admin</c>.
    /// </summary>
    public static string Queue(int page, Submissions.QueueOrder order, int? rejected = null, string? handler = null, Submissions.QueueFilter? filter = null) =>
        WithQuery("/admin",
            ("handler", handler),
            ("q", filter?.Search),
            ("topic", filter?.Topic),
            ("age", filter?.MinAgeDays?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("duplicates", filter?.DuplicatesOnly == true ? "1" : null),
            ("kind", filter?.KindParameter),
            ("page", PageParameter(page)),
            ("order", order == Submissions.QueueOrder.Newest ? "newest" : null),
            ("rejected", rejected?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Decided submissions, searched and narrowed to one outcome, at a page.</summary>
    public static string History(string? search = null, Submissions.Outcome? outcome = null, int page = 1, string? handler = null) =>
        WithQuery("/admin/history", ("handler", handler), ("q", search), ("outcome", outcome?.ToString().ToLowerInvariant()), ("page", PageParameter(page)));

    /// <summary>The page that says what deleting a paper takes with it, and asks to confirm.</summary>
    public static string DeletePaper(string slug) => EditPaper(slug) + "/delete";

    /// <summary>A submission's review page, with the note that <paramref name="decided"/> was just decided.</summary>
    public static string Review(long submissionId, long decided) =>
        WithQuery(Review(submissionId), ("decided", decided.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A paper's arXiv page; the id is normalised (<see cref="Identifiers.ArxivId"/>), old-style ids keep their slash.</summary>
    public static string Arxiv(string id) => "https://arxiv.org/abs/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// True for an absolute http(s) address with a host and no spaces: the only kind of link a reader or moderator may
    /// give a paper (its page, its code), so no <c>javascript:</c> or relative link reaches an <c>href</c>.
    /// </summary>
    public static bool IsWebAddress(string? text) =>
        text is not null && !text.Any(char.IsWhiteSpace) && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);
}
