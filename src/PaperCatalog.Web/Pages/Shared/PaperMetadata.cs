using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Html;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>
/// What a paper page tells machines about the paper: the Highwire Press <c>citation_*</c> tags that Google Scholar and
/// Zotero's "Embedded Metadata" translator read, Dublin Core, Open Graph and Twitter card tags, and schema.org
/// <c>ScholarlyArticle</c> JSON-LD. Built from stored fields only; the page encodes every value it writes.
/// </summary>
public sealed record PaperMetadata(PaperPage Page, string Url, string Description)
{
    private PaperRow Paper => Page.Paper;

    /// <summary>The month as Highwire and Zotero read a date ("2023/05"), or null.</summary>
    public string? CitationDate => PaperDates.MonthStart(Paper.Published)?.ToString("yyyy'/'MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The month as ISO 8601 ("2023-05", schema.org and Dublin Core), or null.</summary>
    public string? IsoDate => PaperDates.MonthStart(Paper.Published)?.ToString("yyyy'-'MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The PDF itself, which is all <c>citation_pdf_url</c> may point to (Scholar checks): arXiv's PDF for an arXiv
    /// paper, the link when it names a .pdf file, else none.
    /// </summary>
    public string? PdfUrl =>
        Paper.ArxivId is { } id ? "https://arxiv.org/pdf/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString))
        : PaperUrls.IsWebAddress(Paper.PdfUrl) && new Uri(Paper.PdfUrl!).AbsolutePath.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? Paper.PdfUrl
        : null;

    public string? Doi => Identifiers.Doi(Paper.PdfUrl);

    /// <summary>The Highwire tags, name and value, in the order Scholar's documentation lists them.</summary>
    public IEnumerable<(string Name, string Value)> Citation()
    {
        yield return ("citation_title", Paper.Title);
        foreach (var author in Paper.Authors) yield return ("citation_author", author);
        if (CitationDate is { } date)
        {
            yield return ("citation_publication_date", date);
            yield return ("citation_date", date);
        }
        if (Paper.Venue is { } venue) yield return ("citation_conference_title", venue);
        if (PdfUrl is { } pdf) yield return ("citation_pdf_url", pdf);
        if (Paper.ArxivId is { } arxiv) yield return ("citation_arxiv_id", arxiv);
        if (Doi is { } doi) yield return ("citation_doi", doi);
        yield return ("citation_abstract_html_url", Url);
        if (Paper.Keywords.Count > 0) yield return ("citation_keywords", string.Join("; ", Paper.Keywords.Select(k => k.Name)));
    }

    /// <summary>Dublin Core, which Zotero reads where a Highwire tag is missing.</summary>
    public IEnumerable<(string Name, string Value)> DublinCore()
    {
        yield return ("DC.title", Paper.Title);
        foreach (var author in Paper.Authors) yield return ("DC.creator", author);
        if (IsoDate is { } date) yield return ("DC.date", date);
        if (Doi is { } doi) yield return ("DC.identifier", "doi:" + doi);
        else if (Paper.ArxivId is { } arxiv) yield return ("DC.identifier", "arXiv:" + arxiv);
    }

    // The default encoder escapes <, >, & and quotes inside strings (\u003C...), so "</script>" in a title stays text.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>
    /// The schema.org JSON-LD as a complete script element. A data block (type application/ld+json) is never run, so
    /// the Content-Security-Policy's <c>script-src</c> does not apply to it; its text is JSON whose every &lt;, &gt; and
    /// &amp; is escaped, so nothing in it can close the element.
    /// </summary>
    public IHtmlContent JsonLd()
    {
        var article = new Dictionary<string, object?>
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "ScholarlyArticle",
            ["@id"] = Url,
            ["url"] = Url,
            ["headline"] = Paper.Title.Length > 110 ? Paper.Title[..110] : Paper.Title,
            ["name"] = Paper.Title,
            ["description"] = Description,
        };
        if (Paper.Authors.Count > 0) article["author"] = Paper.Authors.Select(a => new Dictionary<string, string> { ["@type"] = "Person", ["name"] = a }).ToList();
        if (IsoDate is { } date) article["datePublished"] = date;
        if (Paper.Venue is { } venue) article["isPartOf"] = new Dictionary<string, string> { ["@type"] = "PublicationEvent", ["name"] = venue };
        if (Paper.Keywords.Count > 0) article["keywords"] = Paper.Keywords.Select(k => k.Name).ToList();
        var sameAs = new List<string>();
        if (Paper.ArxivId is { } arxiv) sameAs.Add(PaperUrls.Arxiv(arxiv));
        if (Doi is { } doi) sameAs.Add("https://doi.org/" + doi);
        if (sameAs.Count > 0) article["sameAs"] = sameAs;
        if (Paper.Citations is { } citations) article["citationCount"] = citations;
        article["about"] = new Dictionary<string, string> { ["@type"] = "Thing", ["name"] = Paper.TopicName };
        return new HtmlString("<script type=\"application/ld+json\">" + JsonSerializer.Serialize(article, JsonOptions) + "</script>");
    }
}
