using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Everything the report's sections are built from, measured in one streaming pass over the test data's
/// feature-map columns: the chosen images with their maps, and what each measuring section's own accumulator
/// (<see cref="IMeasuringSection"/>) took from every row, read back with <see cref="Measurement{T}"/>.
/// </summary>
public sealed class CnnReportData
{
    private readonly Dictionary<string, (float[] Weights, float[] Bias)> kernels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FeatureVisualizationResult> features = new(StringComparer.Ordinal);

    internal CnnReportData(
        TrainedCnn model,
        CnnReportOptions options,
        IReadOnlyList<ConvLayerShape> layers,
        IReadOnlyList<ReportSample> samples,
        long rowCount,
        IReadOnlyList<ICnnReportSection> sections,
        IReadOnlyDictionary<ICnnReportSection, IRowAccumulator> measurements)
    {
        Model = model;
        Options = options;
        Layers = layers;
        Samples = samples;
        RowCount = rowCount;
        Sections = sections;
        Measurements = measurements;
        MapRanges = [.. layers.Select((_, i) => SharedRange(samples.Select(s => s.Maps[i])))];
    }

    /// <summary>The network the report is about.</summary>
    public TrainedCnn Model { get; }

    /// <summary>The options the report was generated with.</summary>
    public CnnReportOptions Options { get; }

    /// <summary>The model's class names, in 0-based class order.</summary>
    public IReadOnlyList<string> ClassNames => Model.ClassNames;

    /// <summary>The conv layers shown, in network order.</summary>
    public IReadOnlyList<ConvLayerShape> Layers { get; }

    /// <summary>The chosen input images with their maps.</summary>
    internal IReadOnlyList<ReportSample> Samples { get; }

    /// <summary>How many test images were chosen to be shown (the report's images, not the rows scanned).</summary>
    public int SampleCount => Samples.Count;

    /// <summary>Rows of test data scanned.</summary>
    public long RowCount { get; }

    /// <summary>The sections the data was measured for, in page order: the page built from it has these.</summary>
    internal IReadOnlyList<ICnnReportSection> Sections { get; }

    /// <summary>Each measuring section's accumulator after the scan.</summary>
    internal IReadOnlyDictionary<ICnnReportSection, IRowAccumulator> Measurements { get; }

    /// <summary>
    /// Per shown layer, ONE colour range shared by that layer's maps of every chosen image, so the maps of
    /// different images and channels can be compared by colour.
    /// </summary>
    internal IReadOnlyList<ColorRange> MapRanges { get; }

    /// <summary>
    /// What the scan measured with an accumulator of type <typeparamref name="T"/> (the one a section gave
    /// <see cref="IMeasuringSection.CreateAccumulator"/>), or null when no section of the page measured it.
    /// </summary>
    public T? Measurement<T>()
        where T : class, IRowAccumulator
        => Sections.Select(s => Measurements.GetValueOrDefault(s)).OfType<T>().FirstOrDefault();

    /// <summary>Position of <paramref name="layerName"/> in <see cref="Layers"/>, or -1.</summary>
    public int IndexOfLayer(string layerName)
    {
        for (var i = 0; i < Layers.Count; i++)
            if (Layers[i].Name == layerName) return i;
        return -1;
    }

    /// <summary>The layer's weights [out, in, k, k] and biases, read once from the model.</summary>
    public (float[] Weights, float[] Bias) Kernels(string layerName)
    {
        if (!kernels.TryGetValue(layerName, out var k))
        {
            k = Model.GetKernels(layerName);
            kernels[layerName] = k;
        }

        return k;
    }

    /// <summary>
    /// Whether the page shows optimized pictures: asked for (<see cref="CnnReportOptions.IncludeFeatureVisualization"/>)
    /// and possible — a model with NaN or infinite weights (already reported as a load warning) has no picture to find,
    /// so its page leaves them out instead of failing.
    /// </summary>
    internal bool HasFeaturePictures => hasFeaturePictures ??= Options.IncludeFeatureVisualization && !Model.HasNonFiniteWeights();

    private bool? hasFeaturePictures;

    /// <summary>
    /// Each channel's optimized picture for conv layer <paramref name="layerName"/> (the default
    /// <see cref="FeatureVisualizer"/>), computed once and shared by the sections that show it.
    /// </summary>
    internal FeatureVisualizationResult FeaturePictures(string layerName)
    {
        if (!features.TryGetValue(layerName, out var result))
        {
            result = new FeatureVisualizer().Visualize(Model, layerName);
            features[layerName] = result;
        }

        return result;
    }

    private static ColorRange SharedRange(IEnumerable<float[]> maps)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var map in maps)
        {
            foreach (var v in map)
            {
                if (!float.IsFinite(v)) continue;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (float.IsPositiveInfinity(min)) return new ColorRange(0, 1);
        return max > min ? new ColorRange(min, max) : new ColorRange(min, min + 1);
    }
}
