using System.Globalization;
using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// Values measured once per seed, one small panel per measurement: every seed's value drawn as a point (hover shows
/// the seed) beside the mean with a ± one standard deviation bar, so the spread is seen, not only read.
/// </summary>
internal sealed class SeedSpreadChart : ChartBlock
{
    private readonly List<(string Name, IReadOnlyList<int> Seeds, IReadOnlyList<double> Values)> panels = [];

    /// <summary>Panels per row.</summary>
    public int Columns { get; init; } = 4;

    /// <summary>The panels added so far: measurement name, seeds and one value per seed.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<int> Seeds, IReadOnlyList<double> Values)> Panels => panels;

    /// <inheritdoc />
    public override bool IsEmpty => panels.Count == 0;

    internal override string Kind => "seed-spread";

    /// <summary>Adds a panel for <paramref name="name"/>: one value per seed, same order as <paramref name="seeds"/>.</summary>
    public SeedSpreadChart Add(string name, IReadOnlyList<int> seeds, IReadOnlyList<double> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(values);
        if (seeds.Count != values.Count)
            throw new ArgumentException($"Measurement '{name}' has {seeds.Count} seeds but {values.Count} values.", nameof(values));
        panels.Add((name, seeds.ToArray(), values.ToArray()));
        return this;
    }

    internal override GenericChart BuildChart()
    {
        var columns = Math.Max(1, Math.Min(Columns, panels.Count));
        var rows = (panels.Count + columns - 1) / columns;
        var pointColor = ColorScales.Series[0];
        var meanColor = ColorScales.Series[1 % ColorScales.Series.Length];
        var charts = new List<GenericChart>();
        for (var p = 0; p < panels.Count; p++)
        {
            var (name, seeds, values) = panels[p];
            var finite = values.Where(double.IsFinite).ToArray();
            var mean = finite.Length == 0 ? double.NaN : finite.Average();
            var sd = finite.Length < 2 ? 0 : Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1));
            // Seeds spread a little around x = 0 so equal values stay visible; the mean sits at x = 1.
            var x = seeds.Select((_, i) => seeds.Count == 1 ? 0.0 : -0.15 + 0.3 * i / (seeds.Count - 1)).ToArray();
            var points = CSharpChart.Point<double, double, string>(x: x, y: values.Select(v => double.IsFinite(v) ? v : 0).ToArray(), Name: "per seed", UseDefaults: false);
            foreach (var trace in GenericChart.getTraces(points))
            {
                Set(trace,
                    ("y", values.Select(Finite).ToArray()),
                    ("text", seeds.Select(s => "seed " + s.ToString(CultureInfo.InvariantCulture)).ToArray()),
                    ("legendgroup", "per seed"),
                    ("showlegend", p == 0),
                    ("marker", Obj(("color", pointColor), ("size", 8), ("opacity", 0.8))),
                    ("hovertemplate", "%{text}: %{y:.4g}<extra></extra>"));
            }

            var meanPoint = CSharpChart.Point<double, double, string>(x: [1.0], y: [double.IsFinite(mean) ? mean : 0], Name: "mean ± sd", UseDefaults: false);
            foreach (var trace in GenericChart.getTraces(meanPoint))
            {
                Set(trace,
                    ("y", new[] { Finite(mean) }),
                    ("legendgroup", "mean ± sd"),
                    ("showlegend", p == 0),
                    ("marker", Obj(("color", meanColor), ("size", 11), ("symbol", "diamond"))),
                    ("error_y", Obj(("type", "data"), ("array", new[] { sd }), ("visible", true), ("color", meanColor), ("thickness", 2), ("width", 8))),
                    ("hovertemplate", $"mean %{{y:.4g}} ± {sd.ToString("G4", CultureInfo.InvariantCulture)} (sd)<extra></extra>"));
            }

            charts.Add(CSharpChart.Combine([points, meanPoint]));
        }

        var chart = CSharpChart.Grid(charts, rows, columns,
            SubPlotTitles: panels.Select(p => PlotlyText.Escape(p.Name)).ToArray(), XGap: 0.25, YGap: 0.45);
        var layout = GenericChart.getLayout(chart);
        for (var i = 0; i < panels.Count; i++)
        {
            Set(Axis(layout, AxisName('x', i)),
                ("range", new[] { -0.5, 1.5 }), ("tickvals", new[] { 0.0, 1.0 }), ("ticktext", new[] { "seeds", "mean" }), ("zeroline", false));
            Set(Axis(layout, AxisName('y', i)), ("gridcolor", "#eaeef2"), ("zeroline", false), ("tickformat", ".3~g"));
        }

        Set(layout, ("legend", Obj(("orientation", "h"), ("x", 0.5), ("xanchor", "center"), ("y", -0.12))));
        chart = GenericChart.setLayout(layout, chart);
        return Finish(chart, width: null, 60 + 230 * rows, (60, 20, 50, 70), showLegend: true);
    }
}
