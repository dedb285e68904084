using System.Text;
using System.Xml;

namespace PaperCatalog.Web.Hosting;

/// <summary>An XML document (feed, sitemap, OpenSearch description) as an answer: UTF-8 without a BOM, indented.</summary>
public static class XmlAnswer
{
    public static IResult Of(string mediaType, Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }
        return Results.Bytes(buffer.ToArray(), mediaType + "; charset=utf-8");
    }
}
