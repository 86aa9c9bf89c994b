using System.Globalization;
using System.Text;
using MlNetCnn.Reporting.Html;

namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>
/// A link from a section to one unit in the explorer of the same page: it scrolls to the image's view and asks the
/// explorer (through its page API, <c>window.mlnetcnnExplorer</c>) to show that image and select the unit.
/// </summary>
internal sealed class ExplorerUnitLink : ReportBlock
{
    private readonly int image, layer, channel, row, col;
    private readonly string label;

    /// <param name="image">Image index (0-based, the explorer's order).</param>
    /// <param name="layer">Conv layer index in the model.</param>
    public ExplorerUnitLink(int image, int layer, int channel, int row, int col, string label) =>
        (this.image, this.layer, this.channel, this.row, this.col, this.label) = (image, layer, channel, row, col, label);

    internal override string Kind => "explorer-unit-link";

    internal override void RenderBody(StringBuilder html)
    {
        var unit = string.Join(",", new[] { image, layer, channel, row, col }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        html.Append("<p class=\"explorer-links\"><a href=\"#").Append(ExplorerBlock.ImageAnchor(image)).Append("\" data-explorer-unit=\"").Append(unit).Append("\">")
            .Append(HtmlText.Escape(label)).Append("</a></p>\n")
            // The href alone scrolls to the image; the click also selects the unit once the explorer is up.
            .Append("<script>(function (a) { a.addEventListener('click', function () {\n")
            .Append("  var u = a.getAttribute('data-explorer-unit').split(',').map(Number), x = window.mlnetcnnExplorer;\n")
            .Append("  if (x) { x.chooseImage(u[0]); x.select(u[1], u[2], u[3], u[4]); }\n")
            .Append("}); })(document.currentScript.previousElementSibling.querySelector('a'));</script>\n");
    }
}
