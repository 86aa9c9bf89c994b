namespace MlNetCnn.Experiments.Figures;

/// <summary>
/// A stack of heatmaps: <see cref="Values"/> holds <see cref="Channels"/> maps of <see cref="Height"/>×<see cref="Width"/>
/// (planar, row-major), one panel per channel titled by <see cref="PanelTitles"/>. When <see cref="Background"/> is set the
/// maps have its size and are meant to be drawn over it (Grad-CAM, occlusion).
/// </summary>
public sealed record HeatmapFigure(
    string Title,
    float[] Values,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> PanelTitles,
    HeatmapScale Scale = HeatmapScale.Sequential,
    ImagePanel? Background = null)
{
    /// <summary>Channels × Height × Width values, planar and row-major.</summary>
    /// <exception cref="ArgumentException">The length or the number of panel titles does not match the shape.</exception>
    public float[] Values { get; init; } = Check(Values, Channels, Height, Width, PanelTitles);

    /// <summary>The values of one panel.</summary>
    public ReadOnlySpan<float> Panel(int channel) => Values.AsSpan(channel * Height * Width, Height * Width);

    private static float[] Check(float[] values, int channels, int height, int width, IReadOnlyList<string> titles)
    {
        if (values.Length != channels * height * width)
            throw new ArgumentException($"A heatmap of {channels}×{height}×{width} needs {channels * height * width} values, got {values.Length}.", nameof(values));
        if (titles.Count != channels)
            throw new ArgumentException($"Expected {channels} panel titles, got {titles.Count}.", nameof(titles));
        return values;
    }
}
