using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>Links from a section's images to the same images in the explorer of the same page.</summary>
internal sealed class ExplorerLinks : ReportBlock
{
    private readonly IReadOnlyList<string> labels;

    /// <param name="labels">One label per chosen image, in the explorer's image order.</param>
    public ExplorerLinks(IReadOnlyList<string> labels) => this.labels = labels;

    internal override string Kind => "explorer-links";

    internal override void RenderBody(StringBuilder html)
    {
        html.Append("<ul class=\"explorer-links\">\n");
        for (var i = 0; i < labels.Count; i++)
        {
            html.Append("<li><a href=\"#").Append(ExplorerBlock.ImageAnchor(i)).Append("\">")
                .Append(HtmlText.Escape(labels[i])).Append("</a></li>\n");
        }

        html.Append("</ul>\n");
    }
}
