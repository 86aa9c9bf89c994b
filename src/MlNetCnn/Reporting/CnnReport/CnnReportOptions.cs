using MlNetCnn.Transforms;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>What the CNN report shows and which columns of the test data it reads.</summary>
public sealed record CnnReportOptions
{
    /// <summary>Page title.</summary>
    public string Title { get; init; } = "What the CNN learned";

    /// <summary>Line under the title; default names the data and row count.</summary>
    public string? Subtitle { get; init; }

    /// <summary>
    /// Rows (0-based positions in the test data) to show as input images, in this order. Null picks
    /// <see cref="ImagesPerClass"/> images of each class, classes in order, up to <see cref="ImageCount"/>.
    /// </summary>
    public IReadOnlyList<long>? ImageIndices { get; init; }

    /// <summary>Images per class when <see cref="ImageIndices"/> is null.</summary>
    public int ImagesPerClass { get; init; } = 1;

    /// <summary>Number of images when <see cref="ImageIndices"/> is null; rows of any class fill up when classes run short.</summary>
    public int ImageCount { get; init; } = 8;

    /// <summary>Conv layers to show (conv1, conv2, …); null shows all. The worked example needs conv1.</summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>Index into the chosen images of the image used by the worked convolution example.</summary>
    public int WorkedExampleImage { get; init; }

    /// <summary>Number of classes listed per channel as exciting it most.</summary>
    public int TopClassesPerChannel { get; init; } = 3;

    /// <summary>Number of most-confused class pairs named in the confusion section.</summary>
    public int TopConfusions { get; init; } = 3;

    /// <summary>
    /// Adds the network explorer (on by default): click any unit of any conv layer, for every shown image, to see the
    /// convolution that made it and trace it back to pixels. False leaves the section out.
    /// </summary>
    public bool IncludeExplorer { get; init; } = true;

    /// <summary>
    /// Per channel, the number of test images whose strongest receptive-field crops the explorer shows ("what it
    /// responds to"); 0 shows none and skips the search.
    /// </summary>
    public int ExplorerTopPatches { get; init; } = 9;

    /// <summary>
    /// Adds feature visualization (on by default): each conv channel's optimized picture (<see cref="FeatureVisualization.FeatureVisualizer"/>
    /// with its defaults: centre unit, picture mode), in the "features by depth" section and beside each channel's top
    /// crops in the explorer. False leaves both out and skips the optimization.
    /// </summary>
    public bool IncludeFeatureVisualization { get; init; } = true;

    /// <summary>Image column, values in [0, 1], in the model's <see cref="Model.ConvNetArchitecture.PixelLayout"/> (planar C×H×W unless trained interleaved).</summary>
    public string FeatureColumnName { get; init; } = SimpleCnnTrainer.Defaults.FeatureColumnName;

    /// <summary>Key-typed true label column (1-based keys; 0 = missing).</summary>
    public string LabelColumnName { get; init; } = SimpleCnnTrainer.Defaults.LabelColumnName;

    /// <summary>Key-typed predicted label column; added by scoring the data when absent.</summary>
    public string PredictedLabelColumnName { get; init; } = SimpleCnnTrainer.Defaults.PredictedLabelColumnName;

    /// <summary>Class probability column; read when present (for the confidence shown under each image).</summary>
    public string ScoreColumnName { get; init; } = SimpleCnnTrainer.Defaults.ScoreColumnName;

    /// <summary>Page footer; default names the generator and the training settings.</summary>
    public string? Footer { get; init; }

    /// <summary>
    /// The sections built from the measured test data, in page order; null uses
    /// <see cref="CnnReportGenerator.DefaultSections()"/>.
    /// </summary>
    public IReadOnlyList<ICnnReportSection>? Sections { get; init; }

    /// <summary>
    /// Sections that need none of the measured data (e.g. <see cref="Experiments.ExperimentReport.Sections"/>), added
    /// after <see cref="Sections"/> in this order; null or empty adds none.
    /// </summary>
    public IReadOnlyList<IPrebuiltSection>? AppendedSections { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Title);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ImagesPerClass);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ImageCount);
        ArgumentOutOfRangeException.ThrowIfNegative(WorkedExampleImage);
        ArgumentOutOfRangeException.ThrowIfNegative(TopClassesPerChannel);
        ArgumentOutOfRangeException.ThrowIfNegative(TopConfusions);
        ArgumentOutOfRangeException.ThrowIfNegative(ExplorerTopPatches);
        if (ImageIndices is { Count: 0 })
            throw new ArgumentException("ImageIndices is empty; pass null to pick images automatically.", nameof(ImageIndices));
        if (ImageIndices is not null && ImageIndices.Any(i => i < 0))
            throw new ArgumentOutOfRangeException(nameof(ImageIndices), "Row indices must be >= 0.");
    }
}
