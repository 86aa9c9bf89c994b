using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace MlNetCnn.Reporting;

/// <summary>A block drawn by plotly.js. Each renders into one <c>div.mlnetcnn-chart</c>.</summary>
internal abstract partial class ChartBlock : ReportBlock
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
        var chart = BuildChart();
        html.Append("<div class=\"").Append(ChartCssClass).Append("\" data-kind=\"").Append(Kind).Append('"');
        // Charts are drawn in the background after loading: reserve each one's height so the page does not grow (and
        // what the reader is looking at, such as the explorer, does not jump) while they appear.
        if (LayoutHeight(chart) is { } height) html.Append(" style=\"min-height: ").Append(height.ToString(CultureInfo.InvariantCulture)).Append("px\"");
        html.Append('>')
            .Append(Deferred(GenericChart.toChartHTML(chart)))
            .Append("</div>\n");
    }

    /// <summary>The figure's layout height in pixels, when it sets one.</summary>
    private static int? LayoutHeight(GenericChart chart)
    {
        using var figure = JsonDocument.Parse(GenericChart.toFigureJson(chart));
        return figure.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty("height", out var height) && height.TryGetInt32(out var pixels)
            ? pixels
            : null;
    }

    /// <summary>Name of the page-global queue of chart drawers that <see cref="ReportDocument"/> empties after parsing.</summary>
    internal const string QueueName = "mlnetcnnCharts";

    /// <summary>
    /// Plotly.NET's fragment draws the chart as soon as it is parsed; dozens of charts then keep the page busy for
    /// seconds before anything responds. Queue the drawer instead: the page runs plotly.js and draws charts one at a time
    /// after parsing, yielding between them, so it answers clicks while the charts appear.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fragment has no immediate <c>renderPlotly_…();</c> call (Plotly.NET changed its output).</exception>
    internal static string Deferred(string fragment)
    {
        var calls = ImmediateCall().Matches(fragment);
        if (calls.Count != 1)
            throw new InvalidOperationException($"Expected one 'renderPlotly_…();' call in Plotly.NET's chart fragment, found {calls.Count}; its output format changed and the page's chart loader must follow it.");
        return ImmediateCall().Replace(fragment, m => $"(window.{QueueName} = window.{QueueName} || []).push({m.Groups[1].Value});", 1);
    }

    [GeneratedRegex(@"^(renderPlotly_[0-9a-f]+)\(\);[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ImmediateCall();
}
