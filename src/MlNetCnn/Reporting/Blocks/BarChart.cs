using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>Vertical bars per category (per-class accuracy, per-channel statistics); several series are grouped side by side.</summary>
internal sealed class BarChart : ChartBlock
{
    private readonly string[] categories;
    private readonly List<(string Name, double[] Values)> series = [];

    /// <summary>A bar chart over <paramref name="categories"/> (one group of bars each).</summary>
    public BarChart(IReadOnlyList<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0)
        {
            throw new ArgumentException("A bar chart needs at least one category.", nameof(categories));
        }

        this.categories = [.. categories.Select(c => c ?? string.Empty)];
    }

    /// <summary>The categories along the x axis.</summary>
    public IReadOnlyList<string> Categories => categories;

    /// <summary>The x-axis title.</summary>
    public string? XTitle { get; init; }

    /// <summary>The y-axis title.</summary>
    public string? YTitle { get; init; }

    /// <summary>Fixed value axis range, e.g. 0..1 for accuracy; default fits the data.</summary>
    public ColorRange? YRange { get; init; }

    /// <summary>d3 number format for hover and labels, e.g. ".1%" for fractions.</summary>
    public string ValueFormat { get; init; } = ".4g";

    /// <summary>Print each value above its bar.</summary>
    public bool ShowValues { get; init; }

    /// <summary>Figure height in pixels; the width follows the page.</summary>
    public int HeightPx { get; init; } = 380;

    /// <inheritdoc />
    public override bool IsEmpty => series.Count == 0;

    internal override string Kind => "bar-chart";

    /// <summary>Adds a series with one value per category.</summary>
    public BarChart AddSeries(string name, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != categories.Length)
        {
            throw new ArgumentException(
                $"Series '{name}' has {values.Count} values but there are {categories.Length} categories.", nameof(values));
        }

        series.Add((name, [.. values]));
        return this;
    }

    internal override GenericChart BuildChart()
    {
        // Index keys with tick labels, so duplicate or markup-like category names cannot merge or break bars.
        var keys = Enumerable.Range(0, categories.Length).ToArray();
        var labels = categories.Select(PlotlyText.Escape).ToArray();
        var bars = new List<GenericChart>(series.Count);
        for (var i = 0; i < series.Count; i++)
        {
            var (name, values) = series[i];
            var bar = CSharpChart.Column<double, int, string>(
                values: values, Keys: keys, Name: PlotlyText.Escape(name), UseDefaults: false);
            foreach (var trace in GenericChart.getTraces(bar))
            {
                Set(trace,
                    ("y", values.Select(Finite).ToArray()), // non-finite → null: no bar instead of invalid JSON
                    ("marker", Obj(("color", ColorScales.Series[i % ColorScales.Series.Length]))),
                    ("customdata", labels),
                    ("hovertemplate", $"%{{customdata}}<br>{PlotlyText.EscapeTemplate(name)}: %{{y:{ValueFormat}}}<extra></extra>"));
                if (ShowValues)
                {
                    Set(trace, ("texttemplate", $"%{{y:{ValueFormat}}}"), ("textposition", "outside"), ("cliponaxis", false));
                }
            }

            bars.Add(bar);
        }

        var chart = CSharpChart.Combine(bars);
        var layout = GenericChart.getLayout(chart);
        Set(Axis(layout, "xaxis"),
            ("tickmode", "array"), ("tickvals", keys), ("ticktext", labels),
            ("title", XTitle is null ? null : Obj(("text", PlotlyText.Escape(XTitle)))));
        Set(Axis(layout, "yaxis"),
            ("title", YTitle is null ? null : Obj(("text", PlotlyText.Escape(YTitle)))),
            ("tickformat", ValueFormat.Replace("g", "~g", StringComparison.Ordinal)),
            ("range", YRange is { } r ? new[] { r.Min, r.Max } : null),
            ("gridcolor", "#eaeef2"));
        Set(layout, ("barmode", "group"), ("bargap", 0.2),
            ("legend", Obj(("orientation", "h"), ("x", 0.5), ("xanchor", "center"), ("y", 1.02), ("yanchor", "bottom"))));
        chart = GenericChart.setLayout(layout, chart);
        return Finish(chart, width: null, HeightPx, (60, 20, 40, 80), showLegend: series.Count > 1);
    }
}
