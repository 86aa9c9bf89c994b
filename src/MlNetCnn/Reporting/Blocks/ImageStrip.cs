using MlNetCnn.Reporting.Plotting;
using Plotly.NET;
using static MlNetCnn.Reporting.Plotting.PlotlyObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// RGB images in a row (wrapping after <see cref="Columns"/>), each upscaled with visible pixels and
/// captioned. Drawn as plotly image traces so hovering shows pixel coordinates and colour.
/// </summary>
internal sealed class ImageStrip : ChartBlock
{
    private const string CorrectColor = "#1a7f37";
    private const string WrongColor = "#cf222e";
    // Widest average character of the 12 px caption font (DejaVu Sans, plotly's fallback, measures 6.7 px): a safe estimate.
    private const double CaptionCharPx = 7.2;
    private readonly List<LabeledImage> images = [];

    /// <summary>The images, in order.</summary>
    public IReadOnlyList<LabeledImage> Images => images;

    /// <summary>Images per row; default 8.</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Displayed side of each image in pixels (CIFAR's 32 px become 128 px).</summary>
    public int TileSize { get; init; } = 128;

    /// <summary>Caption lines (split by "\n") per image; reserves room above each tile.</summary>
    public int CaptionLines { get; init; } = 2;

    /// <inheritdoc />
    public override bool IsEmpty => images.Count == 0;

    internal override string Kind => "image-strip";

    /// <summary>Appends <paramref name="image"/>; returns this strip.</summary>
    public ImageStrip Add(LabeledImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        images.Add(image);
        return this;
    }

    /// <summary>Adds an image; see <see cref="LabeledImage"/> for the layout of <paramref name="rgb"/>.</summary>
    public ImageStrip Add(float[] rgb, int height, int width, string caption, bool? correct = null) =>
        Add(new LabeledImage(rgb, height, width, caption, correct));

    /// <summary>Adds a classified image captioned "true: …" / "pred: …", green when they agree, red otherwise.</summary>
    public ImageStrip AddPrediction(float[] rgb, int height, int width, string trueLabel, string predictedLabel) =>
        Add(rgb, height, width, $"true: {trueLabel}\npred: {predictedLabel}", string.Equals(trueLabel, predictedLabel, StringComparison.Ordinal));

    internal override GenericChart BuildChart()
    {
        var captionPx = 16 * Math.Max(1, CaptionLines) + 6;
        // A caption is centred over its tile; when it is wider than the tile it reaches past it by `overhang` on each
        // side: the margins and the gaps make room, or the first column's caption is cut at the chart's left edge.
        var overhang = Math.Max(0, (int)Math.Ceiling((images.Max(i => i.Caption.Split('\n').Max(l => l.Length)) * CaptionCharPx - TileSize) / 2));
        var grid = SubplotGrid.For(images.Count, Columns, TileSize, gapXPx: Math.Max(16, 2 * overhang + 6), gapYPx: captionPx);
        var tiles = images.Select(ToChart).ToArray();
        var chart = CSharpChart.Grid(
            tiles, grid.Rows, grid.Columns,
            SubPlotTitles: images.Select(CaptionMarkup).ToArray(),
            XGap: grid.XGap, YGap: grid.YGap);

        var layout = GenericChart.getLayout(chart);
        for (var i = 0; i < images.Count; i++)
        {
            // Image traces already put row 0 on top and keep pixels square; just hide the axes.
            Set(Axis(layout, AxisName('x', i)), ("visible", false), ("constrain", "domain"));
            Set(Axis(layout, AxisName('y', i)), ("visible", false), ("constrain", "domain"), ("scaleanchor", AxisRef('x', i)));
        }

        if (layout.TryGetPropertyValue("annotations") is { } annotations && annotations.Value is IEnumerable<object> items)
        {
            foreach (var a in items.OfType<DynamicObj.DynamicObj>())
            {
                Set(a, ("font", Obj(("size", 12))));
            }
        }

        chart = GenericChart.setLayout(layout, chart);
        int left = 4 + overhang, right = 4 + overhang, bottom = 4;
        var top = captionPx + 4;
        return Finish(chart, grid.PlotWidth + left + right, grid.PlotHeight + top + bottom, (left, right, top, bottom), showLegend: false, modeBar: false);
    }

    private static GenericChart ToChart(LabeledImage image)
    {
        var plane = image.Height * image.Width;
        var z = new int[image.Height][][];
        for (var y = 0; y < image.Height; y++)
        {
            z[y] = new int[image.Width][];
            for (var x = 0; x < image.Width; x++)
            {
                var i = y * image.Width + x;
                z[y][x] = [ToByte(image.Rgb[i]), ToByte(image.Rgb[plane + i]), ToByte(image.Rgb[2 * plane + i])];
            }
        }

        var chart = CSharpChart.Image<int>(Z: z, UseDefaults: false);
        foreach (var trace in GenericChart.getTraces(chart))
        {
            Set(trace, ("hovertemplate", "row %{y}, col %{x}<br>rgb %{z[0]}, %{z[1]}, %{z[2]}<extra></extra>"));
        }

        return chart;
    }

    private static string CaptionMarkup(LabeledImage image)
    {
        var text = string.Join("<br>", image.Caption.Split('\n').Select(PlotlyText.Escape));
        return image.Correct is { } ok ? $"<span style=\"color:{(ok ? CorrectColor : WrongColor)}\">{text}</span>" : text;
    }

    private static int ToByte(float v) => float.IsFinite(v) ? (int)MathF.Round(Math.Clamp(v, 0f, 1f) * 255f) : 0;
}
