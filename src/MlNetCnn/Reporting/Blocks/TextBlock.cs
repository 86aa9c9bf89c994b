using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>Prose between charts: paragraphs separated by blank lines, "- " lines as bullets; escaped.</summary>
internal sealed class TextBlock : ReportBlock
{
    /// <summary>A block of prose.</summary>
    public TextBlock(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>The prose.</summary>
    public string Text { get; }

    internal override string Kind => "text";

    internal override void RenderBody(StringBuilder html)
    {
        html.Append("<div class=\"mlnetcnn-prose\">\n");
        HtmlText.AppendProse(html, Text);
        html.Append("</div>\n");
    }
}
