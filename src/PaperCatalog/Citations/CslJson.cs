using System.Text.Encodings.Web;
using System.Text.Json;

namespace PaperCatalog.Citations;

/// <summary>
/// CSL-JSON (the Citation Style Language's data format, which Zotero, Pandoc and citeproc read): an array of items,
/// <c>paper-conference</c> for a paper with a venue (its <c>container-title</c>), <c>article</c> (CSL's preprint type)
/// for any other, with an arXiv paper's number and publisher as arXiv's own CSL export gives them.
/// </summary>
public static class CslJson
{
    // The default encoder escapes <, >, & and quotes too, so the text is also safe inside HTML.
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.Default };

    public static string Write(IReadOnlyList<CitedPaper> papers)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartArray();
            foreach (var cited in papers) Item(json, cited);
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    internal static void Item(Utf8JsonWriter json, CitedPaper cited)
    {
        var p = cited.Paper;
        json.WriteStartObject();
        json.WriteString("id", cited.Key);
        json.WriteString("citation-key", cited.Key);
        json.WriteString("type", p.Venue is null ? "article" : "paper-conference");
        json.WriteString("title", p.Title);
        if (p.Authors.Count > 0)
        {
            json.WriteStartArray("author");
            foreach (var author in p.Authors)
            {
                var name = PersonName.Parse(author);
                json.WriteStartObject();
                if (name.Given is null) json.WriteString("literal", name.Family);
                else
                {
                    json.WriteString("family", name.Family);
                    json.WriteString("given", name.Given);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (PaperDates.MonthStart(p.Published) is { } date)
        {
            json.WriteStartObject("issued");
            json.WriteStartArray("date-parts");
            json.WriteStartArray();
            json.WriteNumberValue(date.Year);
            json.WriteNumberValue(date.Month);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (p.Venue is not null) json.WriteString("container-title", p.Venue);
        if (p.ArxivId is { } arxiv)
        {
            if (p.Venue is null) json.WriteString("publisher", "arXiv");
            json.WriteString("number", "arXiv:" + arxiv);
        }
        if (Identifiers.Doi(p.PdfUrl) is { } doi) json.WriteString("DOI", doi);
        if (PaperUrls.IsWebAddress(p.PdfUrl)) json.WriteString("URL", p.PdfUrl);
        if (p.Keywords.Count > 0) json.WriteString("keyword", string.Join(", ", p.Keywords.Select(k => k.Name)));
        json.WriteEndObject();
    }
}
