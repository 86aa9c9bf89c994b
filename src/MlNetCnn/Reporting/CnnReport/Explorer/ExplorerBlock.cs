using System.Text;

namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>
/// The explorer's page element: an empty scaffold, the data as JSON and the script that draws maps on canvases and
/// fills the computation panel when a unit is chosen. Needs no network and no library.
/// </summary>
internal sealed class ExplorerBlock : ReportBlock
{
    /// <summary>Id of the explorer's root element; links to one image's view use <c>#explorer-image-N</c> (1-based).</summary>
    public const string RootId = "explorer";

    private readonly string json;

    public ExplorerBlock(string json) => this.json = json;

    /// <summary>The anchor of image <paramref name="index"/> (0-based) in the explorer.</summary>
    public static string ImageAnchor(int index) => $"explorer-image-{index + 1}";

    internal override string Kind => "explorer";

    internal override void RenderBody(StringBuilder html)
    {
        html.Append("<style>\n").Append(ExplorerAssets.Style).Append("\n</style>\n")
            .Append("<div class=\"mlnetcnn-explorer\" id=\"").Append(RootId).Append("\" data-ready=\"false\">\n")
            .Append("<p class=\"explorer-help\">Choose an image or your own picture, paint on it, shift it, or edit a kernel: the page runs the whole network again and every map and the prediction change. ")
            .Append("Click a unit in any map (or Tab to a map, move with the arrow keys and press Enter) to see the convolution that produced it; in deeper layers, click a cell of the input patch to go to the unit it came from.</p>\n")
            .Append("<div class=\"explorer-images\" role=\"group\" aria-label=\"Images\"></div>\n")
            .Append("<div class=\"explorer-main\">\n<div class=\"explorer-input\"></div>\n<div class=\"explorer-layers\"></div>\n")
            // The panel sits beside the maps and stays in view (sticky) however deep the model, so a click's answer is on screen.
            .Append("<div class=\"explorer-side\">\n<div class=\"explorer-panel\" id=\"explorer-panel\"><p data-role=\"summary\" class=\"explorer-summary\" aria-live=\"polite\">No unit chosen yet: click a unit in a map.</p></div>\n")
            .Append("<div class=\"explorer-top\" aria-live=\"polite\"></div>\n</div>\n</div>\n")
            .Append("<noscript><p>The explorer needs JavaScript.</p></noscript>\n")
            .Append("<script type=\"application/json\" id=\"").Append(ExplorerPayload.DataElementId).Append("\">")
            .Append(json)
            .Append("</script>\n<script>\n").Append(ExplorerAssets.Script).Append("\n</script>\n</div>\n");
    }
}
