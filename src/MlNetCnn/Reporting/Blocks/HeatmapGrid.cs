using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// A grid of 2-D maps (feature maps, kernels, gradients), one subplot per channel, all on ONE shared
/// colour scale so channels can be compared. Drawn like images: row 0 at the top, square pixels.
/// </summary>
internal sealed class HeatmapGrid : ChartBlock
{
    private readonly float[] values;

    /// <param name="values">Planar CHW, row-major: value (c, y, x) is at <c>(c * height + y) * width + x</c>.</param>
    /// <param name="channels">Number of maps.</param>
    /// <param name="height">Rows per map.</param>
    /// <param name="width">Columns per map.</param>
    public HeatmapGrid(float[] values, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var expected = (long)channels * height * width;
        if (values.Length != expected)
        {
            throw new ArgumentException(
                $"values has length {values.Length} but channels × height × width = {channels} × {height} × {width} = {expected}.",
                nameof(values));
        }

        this.values = values;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Number of maps.</summary>
    public int Channels { get; }

    /// <summary>Rows per map.</summary>
    public int Height { get; }

    /// <summary>Columns per map.</summary>
    public int Width { get; }

    /// <summary>Subplot titles, one per channel; default "ch 0", "ch 1", ...</summary>
    public IReadOnlyList<string>? ChannelLabels
    {
        get;
        init
        {
            if (value is not null && value.Count != Channels)
            {
                throw new ArgumentException($"ChannelLabels has {value.Count} labels but there are {Channels} channels.", nameof(ChannelLabels));
            }

            field = value;
        }
    }

    /// <summary>Blue–white–red scale centred at 0, for signed values such as kernel weights.</summary>
    public bool Diverging { get; init; }

    /// <summary>Fixed colour range (e.g. to compare several grids); default is the data's range (symmetric if diverging).</summary>
    public ColorRange? Range { get; init; }

    /// <summary>Maps per row; default 6.</summary>
    public int Columns { get; init; } = 6;

    /// <summary>Side of one map in pixels.</summary>
    public int CellSize { get; init; } = 150;

    /// <summary>Name of the value in hover text, e.g. "activation" or "weight".</summary>
    public string ValueLabel { get; init; } = "value";

    /// <summary>The range shared by every map in the grid.</summary>
    public ColorRange EffectiveRange => Range ?? ColorRange.Of(values, Diverging);

    /// <inheritdoc />
    public override bool IsEmpty => false;

    /// <summary>Shortest colour bar, in pixels, at which its tick labels and vertical title stay apart.</summary>
    internal const int MinColorBarPixels = 120;

    // Space kept above and below a colour bar that sets the chart's height.
    private const int ColorBarSlackPixels = 10;

    internal override string Kind => "heatmap-grid";

    internal override GenericChart BuildChart()
    {
        var grid = SubplotGrid.For(Channels, Columns, CellSize, gapXPx: 18, gapYPx: 30);
        var labels = ChannelLabels ?? [.. Enumerable.Range(0, Channels).Select(c => $"ch {c}")];
        var xs = Enumerable.Range(0, Width).ToArray();
        var ys = Enumerable.Range(0, Height).ToArray();
        var valueLabel = PlotlyText.EscapeTemplate(ValueLabel);

        var maps = new List<GenericChart>(Channels);
        for (var c = 0; c < Channels; c++)
        {
            var z = new double?[Height][];
            for (var y = 0; y < Height; y++)
            {
                z[y] = new double?[Width];
                var offset = (c * Height + y) * Width;
                for (var x = 0; x < Width; x++)
                {
                    z[y][x] = Finite(values[offset + x]);
                }
            }

            // The typed API wants IConvertible numbers; z is then replaced by the nullable copy (NaN → gap).
            var map = CSharpChart.Heatmap<double, int, int, string>(zData: z.Select(r => r.Select(v => v ?? 0.0)), X: xs, Y: ys, UseDefaults: false);
            foreach (var trace in GenericChart.getTraces(map))
            {
                // One coloraxis for all traces: a single colour bar and identical value→colour mapping.
                Set(trace,
                    ("z", z),
                    ("coloraxis", "coloraxis"),
                    ("hovertemplate", $"{PlotlyText.EscapeTemplate(labels[c])}<br>row %{{y}}, col %{{x}}<br>{valueLabel}: %{{z:.4g}}<extra></extra>"));
            }

            maps.Add(map);
        }

        var chart = CSharpChart.Grid(
            maps, grid.Rows, grid.Columns,
            SubPlotTitles: labels.Select(PlotlyText.Escape).ToArray(),
            XGap: grid.XGap, YGap: grid.YGap);

        // The colour bar is at least MinColorBarPixels long, whatever the strip's height: a one-row strip of small maps
        // (conv2's 12 channels) otherwise gets a bar so short that its tick labels and title overlap. The margins grow
        // to make room; the maps keep their size.
        var barLength = Math.Max(MinColorBarPixels, (int)(0.9 * grid.PlotHeight));
        // The bar is centred on the maps; what it overhangs above and below them must fit in the margins.
        var overhang = (barLength - grid.PlotHeight + 1) / 2 + ColorBarSlackPixels;
        int left = 10, right = 110, top = Math.Max(30, overhang), bottom = Math.Max(10, overhang);
        var figureHeight = grid.PlotHeight + top + bottom;

        var range = EffectiveRange;
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("coloraxis", Obj(
            ("cmin", range.Min),
            ("cmax", range.Max),
            ("colorscale", Diverging ? ColorScales.Diverging : ColorScales.Sequential),
            ("colorbar", Obj(("thickness", 14), ("lenmode", "pixels"), ("len", barLength), ("yanchor", "middle"), ("y", 0.5),
                ("title", Obj(("text", PlotlyText.Escape(ValueLabel)), ("side", "right")))))));
        for (var i = 0; i < Channels; i++)
        {
            Set(Axis(layout, AxisName('x', i)), ("showticklabels", false), ("ticks", ""), ("showgrid", false), ("zeroline", false), ("constrain", "domain"));
            Set(Axis(layout, AxisName('y', i)),
                ("autorange", "reversed"), // image convention: row 0 at the top
                ("scaleanchor", AxisRef('x', i)), ("scaleratio", 1), ("constrain", "domain"),
                ("showticklabels", false), ("ticks", ""), ("showgrid", false), ("zeroline", false));
        }

        chart = GenericChart.setLayout(layout, chart);
        return Finish(chart, grid.PlotWidth + left + right, figureHeight, (left, right, top, bottom), showLegend: false, modeBar: false);
    }
}
