using System.Text;
using Plotly.NET;

namespace MlNetCnn.Reporting;

/// <summary>A block drawn by plotly.js. Each renders into one <c>div.mlnetcnn-chart</c>.</summary>
public abstract class ChartBlock : ReportBlock
{
    private protected ChartBlock()
    {
    }

    /// <summary>CSS class of the container of every chart, so tests and styles can find them.</summary>
    internal const string ChartCssClass = "mlnetcnn-chart";

    /// <summary>True when there is nothing to plot; the block then shows a note instead of a chart.</summary>
    public abstract bool IsEmpty { get; }

    /// <inheritdoc />
    public override int ChartCount => IsEmpty ? 0 : 1;

    /// <summary>The plotly figure ({"data", "layout"}) as JSON, for inspection and tests.</summary>
    public string ToFigureJson() => GenericChart.toFigureJson(BuildChart());

    internal abstract GenericChart BuildChart();

    internal override void RenderBody(StringBuilder html)
    {
        if (IsEmpty)
        {
            html.Append("<p class=\"mlnetcnn-empty\">(nothing to show)</p>\n");
            return;
        }

        // toChartHTML emits the div and its newPlot call but not plotly.js, which the page embeds once.
        html.Append("<div class=\"").Append(ChartCssClass).Append("\" data-kind=\"").Append(Kind).Append("\">")
            .Append(GenericChart.toChartHTML(BuildChart()))
            .Append("</div>\n");
    }
}
