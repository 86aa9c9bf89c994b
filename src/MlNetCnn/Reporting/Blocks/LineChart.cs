using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// Curves over a shared x (e.g. epoch) in side-by-side panels, e.g. panel "loss" and panel "accuracy",
/// each with series "train" and "validation". A series name keeps its colour in every panel and
/// appears once in the legend.
/// </summary>
internal sealed class LineChart : ChartBlock
{
    private readonly List<LineSeries> series = [];

    /// <summary>An empty line chart whose x axis is titled <paramref name="xTitle"/>.</summary>
    public LineChart(string xTitle = "epoch")
    {
        XTitle = xTitle ?? string.Empty;
    }

    /// <summary>The x-axis title.</summary>
    public string XTitle { get; }

    /// <summary>Figure height in pixels; the width follows the page.</summary>
    public int HeightPx { get; init; } = 380;

    /// <summary>Show a marker at every point (useful with few epochs).</summary>
    public bool ShowMarkers { get; init; } = true;

    /// <summary>The series added so far.</summary>
    public IReadOnlyList<LineSeries> Series => series;

    /// <summary>Panel names in order of first use.</summary>
    public IReadOnlyList<string> Panels => [.. series.Select(s => s.Panel).Distinct(StringComparer.Ordinal)];

    /// <inheritdoc />
    public override bool IsEmpty => series.Count == 0;

    internal override string Kind => "line-chart";

    /// <summary>Adds a curve to <paramref name="panel"/> (created on first use). Non-finite y values leave a gap.</summary>
    public LineChart AddSeries(string panel, string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(panel);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        }

        series.Add(new LineSeries(panel, name, [.. x], [.. y]));
        return this;
    }

    internal override GenericChart BuildChart()
    {
        var panels = Panels;
        var names = series.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        var shownInLegend = new HashSet<string>(StringComparer.Ordinal);
        var panelCharts = new List<GenericChart>(panels.Count);
        foreach (var panel in panels)
        {
            var lines = new List<GenericChart>();
            foreach (var s in series.Where(s => s.Panel == panel))
            {
                var color = ColorScales.Series[names.IndexOf(s.Name) % ColorScales.Series.Length];
                var line = CSharpChart.Line<double, double, string>(
                    x: s.X, y: s.Y,
                    Name: PlotlyText.Escape(s.Name), ShowMarkers: ShowMarkers, UseDefaults: false);
                foreach (var trace in GenericChart.getTraces(line))
                {
                    Set(trace,
                        ("y", s.Y.Select(Finite).ToArray()), // non-finite → null: a gap instead of invalid JSON
                        ("legendgroup", s.Name),
                        ("showlegend", shownInLegend.Add(s.Name)),
                        ("line", Obj(("color", color), ("width", 2))),
                        ("marker", Obj(("color", color), ("size", 6))),
                        ("hovertemplate", $"{PlotlyText.EscapeTemplate(s.Name)}: %{{y:.4g}}<extra></extra>"));
                }

                lines.Add(line);
            }

            panelCharts.Add(CSharpChart.Combine(lines));
        }

        var chart = CSharpChart.Grid(
            panelCharts, 1, panels.Count,
            SubPlotTitles: panels.Select(PlotlyText.Escape).ToArray(),
            XGap: 0.15, YGap: 0.0);

        var layout = GenericChart.getLayout(chart);
        for (var i = 0; i < panels.Count; i++)
        {
            Set(Axis(layout, AxisName('x', i)), ("title", Obj(("text", PlotlyText.Escape(XTitle)))), ("gridcolor", "#eaeef2"), ("zeroline", false));
            Set(Axis(layout, AxisName('y', i)), ("gridcolor", "#eaeef2"), ("zeroline", false), ("tickformat", ".3~g"));
        }

        Set(layout,
            ("hovermode", "x unified"),
            ("legend", Obj(("orientation", "h"), ("x", 0.5), ("xanchor", "center"), ("y", -0.22))));
        chart = GenericChart.setLayout(layout, chart);
        return Finish(chart, width: null, HeightPx, (60, 20, 40, 90), showLegend: true);
    }
}
