using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>One link to another page, e.g. from the CNN report to its experiments page.</summary>
internal sealed class LinkBlock : ReportBlock
{
    /// <param name="href">The target, as written into the page (relative to it, already URL-escaped).</param>
    /// <param name="text">The link's text.</param>
    public LinkBlock(string href, string text) => (Href, Text) = (href, text);

    public string Href { get; }

    public string Text { get; }

    internal override string Kind => "link";

    internal override void RenderBody(StringBuilder html) =>
        html.Append("<p><a href=\"").Append(HtmlText.Escape(Href)).Append("\">").Append(HtmlText.Escape(Text)).Append("</a></p>\n");
}
