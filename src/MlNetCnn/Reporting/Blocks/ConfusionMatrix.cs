using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// Confusion matrix: rows are the actual class, columns the predicted class, each cell annotated with its count.
/// Colour is the share of the row (recall per cell), so classes with fewer examples read the same.
/// </summary>
internal sealed class ConfusionMatrix : ChartBlock
{
    private readonly int[,] counts;
    private readonly string[] classNames;

    /// <param name="counts">counts[actual, predicted]; square, non-negative.</param>
    /// <param name="classNames">One name per row/column.</param>
    public ConfusionMatrix(int[,] counts, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(classNames);
        var n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
        {
            throw new ArgumentException($"counts must be square and non-empty, but is {counts.GetLength(0)} × {counts.GetLength(1)}.", nameof(counts));
        }

        if (classNames.Count != n)
        {
            throw new ArgumentException($"counts is {n} × {n} but {classNames.Count} class names were given.", nameof(classNames));
        }

        foreach (var c in counts)
        {
            if (c < 0)
            {
                throw new ArgumentException("counts must not be negative.", nameof(counts));
            }
        }

        this.counts = (int[,])counts.Clone();
        this.classNames = [.. classNames.Select(c => c ?? string.Empty)];
    }

    /// <summary>Class names, in index order.</summary>
    public IReadOnlyList<string> ClassNames => classNames;

    /// <summary>Images of 0-based class <paramref name="actual"/> predicted as class <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>Side of one cell in pixels.</summary>
    public int CellSize { get; init; } = 52;

    /// <inheritdoc />
    public override bool IsEmpty => false;

    internal override string Kind => "confusion-matrix";

    internal override GenericChart BuildChart()
    {
        var n = classNames.Length;
        var names = classNames.Select(PlotlyText.Escape).ToArray();
        var idx = Enumerable.Range(0, n).ToArray();
        var share = new double[n][];
        var text = new string[n][];
        var custom = new object[n][][];
        for (var a = 0; a < n; a++)
        {
            var rowTotal = 0L;
            for (var p = 0; p < n; p++)
            {
                rowTotal += counts[a, p];
            }

            share[a] = new double[n];
            text[a] = new string[n];
            custom[a] = new object[n][];
            for (var p = 0; p < n; p++)
            {
                share[a][p] = rowTotal > 0 ? (double)counts[a, p] / rowTotal : 0.0;
                text[a][p] = counts[a, p].ToString(System.Globalization.CultureInfo.InvariantCulture);
                custom[a][p] = [names[a], names[p], counts[a, p]];
            }
        }

        var chart = CSharpChart.Heatmap<double, int, int, string>(zData: share, X: idx, Y: idx, UseDefaults: false);
        foreach (var trace in GenericChart.getTraces(chart))
        {
            Set(trace,
                ("text", text),
                ("texttemplate", "%{text}"), // plotly picks a legible text colour per cell
                ("customdata", custom),
                ("zmin", 0.0), ("zmax", 1.0),
                ("colorscale", ColorScales.Blues),
                ("colorbar", Obj(("thickness", 14), ("tickformat", ".0%"), ("title", Obj(("text", "share of actual"), ("side", "right"))))),
                ("xgap", 1), ("ygap", 1),
                ("hovertemplate", "actual: %{customdata[0]}<br>predicted: %{customdata[1]}<br>count: %{customdata[2]}<br>share of actual: %{z:.1%}<extra></extra>"));
        }

        var layout = GenericChart.getLayout(chart);
        Set(Axis(layout, "xaxis"),
            ("title", Obj(("text", "predicted"))), ("tickmode", "array"), ("tickvals", idx), ("ticktext", names),
            ("tickangle", -45), ("automargin", true), ("showgrid", false), ("zeroline", false), ("constrain", "domain"));
        Set(Axis(layout, "yaxis"),
            ("title", Obj(("text", "actual"))), ("tickmode", "array"), ("tickvals", idx), ("ticktext", names),
            ("autorange", "reversed"), ("automargin", true), ("scaleanchor", "x"), ("constrain", "domain"), ("showgrid", false), ("zeroline", false));
        chart = GenericChart.setLayout(layout, chart);
        var longest = classNames.Max(c => c.Length);
        var labelPx = 30 + 7 * Math.Min(longest, 24);
        var side = n * CellSize;
        return Finish(chart, side + labelPx + 110, side + labelPx + 30, (labelPx, 110, 20, labelPx), showLegend: false);
    }
}
