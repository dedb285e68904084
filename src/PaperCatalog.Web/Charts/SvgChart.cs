using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace PaperCatalog.Web.Charts;

/// <summary>One bar: what it is, how long, and what a reader hears and sees for it.</summary>
/// <param name="Label">The axis label (a year, a name); long names are clipped in the chart, whole in its tooltip.</param>
/// <param name="Value">The bar's length, against the chart's maximum.</param>
/// <param name="Tooltip">The bar's own &lt;title&gt; ("2024: 120 papers").</param>
public sealed record Bar(string Label, double Value, string Tooltip);

/// <summary>
/// Bar charts as inline SVG, written here rather than by a charting library: OxyPlot's SvgExporter writes every shape
/// with a <c>style="..."</c> attribute (refused by the site's <c>style-src 'self'</c>) in fixed black on white, ScottPlot
/// paints a white background with fixed colours and fonts (and needs SkiaSharp's native library), and neither gives the
/// SVG a role, a &lt;title&gt; or a &lt;desc&gt;. These charts carry <c>role="img"</c> with a title and a description,
/// take their colours and font from the site's CSS variables through classes (so dark mode follows), need no script,
/// and encode every text they show. Each chart on a page has a table beside it with the same numbers.
/// </summary>
public static class SvgChart
{
    private const int Width = 720;
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>
    /// Vertical bars along an axis of labels (years), scaled to <paramref name="max"/> (so small multiples share a scale);
    /// <paramref name="compact"/> draws a small chart for a grid of them.
    /// </summary>
    public static IHtmlContent Columns(string id, string title, string description, IReadOnlyList<Bar> bars, double max, bool compact = false)
    {
        var (width, height) = compact ? (320, 120) : (Width, 260);
        const int left = 44, top = 12, bottom = 26, right = 8;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var sb = Start(id, title, description, width, height);
        max = Math.Max(max, 1);
        // Axis: the baseline and the top of the scale, labelled.
        Line(sb, left, top + plotHeight, width - right, top + plotHeight);
        Line(sb, left, top, width - right, top, "chart-grid");
        Text(sb, left - 6, top + 4, Number(max), "chart-label", "end");
        Text(sb, left - 6, top + plotHeight, "0", "chart-label", "end");
        if (bars.Count > 0)
        {
            var step = (double)plotWidth / bars.Count;
            // Labels thin out so they never overlap: about 36 units per label at the chart's size.
            var every = Math.Max(1, (int)Math.Ceiling(bars.Count * 36.0 / plotWidth));
            for (var i = 0; i < bars.Count; i++)
            {
                var bar = bars[i];
                var h = bar.Value <= 0 ? 0 : Math.Max(1, bar.Value / max * plotHeight);
                var x = left + i * step + step * 0.15;
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bar\" x=\"{F(x)}\" y=\"{F(top + plotHeight - h)}\" width=\"{F(step * 0.7)}\" height=\"{F(h)}\">");
                sb.Append("<title>").Append(Encoder.Encode(bar.Tooltip)).Append("</title></rect>");
                if (i % every == 0 || i == bars.Count - 1 && every == 1)
                    Text(sb, x + step * 0.35, top + plotHeight + 16, bar.Label, "chart-label", "middle");
            }
        }
        return End(sb);
    }

    /// <summary>Horizontal bars, one row each, the label on the left and the value at the bar's end.</summary>
    public static IHtmlContent Rows(string id, string title, string description, IReadOnlyList<Bar> bars, Func<double, string> valueText)
    {
        const int rowHeight = 26, labelWidth = 300, valueRoom = 70, top = 4;
        const int maxLabel = 40;
        var height = top * 2 + Math.Max(1, bars.Count) * rowHeight;
        var sb = Start(id, title, description, Width, height);
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        var barRoom = Width - labelWidth - valueRoom;
        Line(sb, labelWidth, top, labelWidth, height - top);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + i * rowHeight;
            var w = bar.Value <= 0 ? 0 : Math.Max(1, bar.Value / max * barRoom);
            var label = bar.Label.Length > maxLabel ? bar.Label[..(maxLabel - 1)].TrimEnd() + "…" : bar.Label;
            sb.Append("<g><title>").Append(Encoder.Encode(bar.Tooltip)).Append("</title>");
            Text(sb, labelWidth - 8, y + rowHeight * 0.65, label, "chart-label", "end");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bar\" x=\"{labelWidth}\" y=\"{F(y + rowHeight * 0.18)}\" width=\"{F(w)}\" height=\"{F(rowHeight * 0.64)}\"></rect>");
            Text(sb, labelWidth + w + 6, y + rowHeight * 0.65, valueText(bar.Value), "chart-value", "start");
            sb.Append("</g>");
        }
        return End(sb);
    }

    private static StringBuilder Start(string id, string title, string description, int width, int height)
    {
        var sb = new StringBuilder(4096);
        var safeId = Encoder.Encode(id);
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{safeId}-title {safeId}-desc\">");
        sb.Append("<title id=\"").Append(safeId).Append("-title\">").Append(Encoder.Encode(title)).Append("</title>");
        sb.Append("<desc id=\"").Append(safeId).Append("-desc\">").Append(Encoder.Encode(description)).Append("</desc>");
        return sb;
    }

    private static HtmlString End(StringBuilder sb) => new(sb.Append("</svg>").ToString());

    private static void Line(StringBuilder sb, double x1, double y1, double x2, double y2, string css = "chart-axis") =>
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"{css}\" x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\"></line>");

    private static void Text(StringBuilder sb, double x, double y, string text, string css, string anchor) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"{css}\" x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\">")
          .Append(Encoder.Encode(text)).Append("</text>");

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A count as the charts print it: 1,234.</summary>
    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
