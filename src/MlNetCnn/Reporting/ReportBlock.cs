using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting;

/// <summary>
/// One element of a report section (a chart, an image strip, a table, text).
/// Only this library defines blocks, so rendering stays consistent and Plotly.NET stays internal.
/// </summary>
internal abstract class ReportBlock
{
    private protected ReportBlock()
    {
    }

    /// <summary>Optional heading shown above the block.</summary>
    public string? Title { get; init; }

    /// <summary>Optional explanation shown below the block (same prose format as section explanations).</summary>
    public string? Caption { get; init; }

    /// <summary>Number of plotly charts this block puts on the page.</summary>
    public virtual int ChartCount => 0;

    /// <summary>Stable name of the block kind, written to the page as data-kind.</summary>
    internal abstract string Kind { get; }

    internal abstract void RenderBody(StringBuilder html);

    internal void Render(StringBuilder html)
    {
        html.Append("<figure class=\"mlnetcnn-block\" data-kind=\"").Append(Kind).Append("\">\n");
        if (!string.IsNullOrWhiteSpace(Title))
        {
            html.Append("<h3>").Append(HtmlText.Escape(Title)).Append("</h3>\n");
        }

        RenderBody(html);
        if (!string.IsNullOrWhiteSpace(Caption))
        {
            html.Append("<figcaption>");
            HtmlText.AppendProse(html, Caption);
            html.Append("</figcaption>\n");
        }

        html.Append("</figure>\n");
    }
}
