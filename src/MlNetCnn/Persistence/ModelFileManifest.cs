namespace MlNetCnn.Persistence;

/// <summary>The <c>manifest.json</c> entry: format identity and version, and the pipeline stages in order.</summary>
internal sealed class ModelFileManifest
{
    public string? Format { get; set; }

    public int FormatVersion { get; set; }

    /// <summary>Informational: the MlNetCnn version that wrote the file.</summary>
    public string? WrittenBy { get; set; }

    /// <summary>Entry holding the pipeline's input schema (an empty ML.NET model), when one was saved.</summary>
    public string? InputSchemaEntry { get; set; }

    public List<ModelFileStage> Stages { get; set; } = new();

    /// <summary>SHA-256 (lowercase hex) of every other entry, checked on load: zip's own CRC is not always verified.</summary>
    public Dictionary<string, string> Sha256 { get; set; } = new();
}

/// <summary>One pipeline stage: an ML.NET model entry, the classifier, or the feature-map extractor.</summary>
internal sealed class ModelFileStage
{
    public const string MlNetKind = "mlnet";
    public const string ClassifierKind = "simpleCnnClassifier";
    public const string FeatureMapsKind = "featureMaps";

    public string? Kind { get; set; }

    /// <summary>For <see cref="MlNetKind"/>: the zip entry with the ML.NET model (written by mlContext.Model.Save).</summary>
    public string? Entry { get; set; }

    public string? FeatureColumnName { get; set; }

    public string? ScoreColumnName { get; set; }

    public string? PredictedLabelColumnName { get; set; }

    public int? BatchSize { get; set; }

    public string[]? Layers { get; set; }

    public string[]? OutputColumnNames { get; set; }

    public bool? PreActivation { get; set; }
}
