using MlNetCnn.Model;

namespace MlNetCnn.Transforms;

/// <summary>
/// Adds one column per conv layer holding what that layer computes for each image: the layer's conv output (after
/// ReLU by default, before pooling) as a float vector whose dimensions are (channels, height, width).
/// Create it with <c>mlContext.Transforms.ExtractFeatureMaps(...)</c>. Nothing is trained: <see cref="BatchScoringEstimator{TTransformer}.Fit"/> checks
/// the input and returns the transformer.
/// </summary>
public sealed class FeatureMapExtractingEstimator : BatchScoringEstimator<FeatureMapExtractingTransformer>
{
    /// <summary>Default values shared by the catalog verbs and <see cref="Options"/>.</summary>
    public static class Defaults
    {
        /// <summary>Pixel column read when the model is a bare <see cref="TrainedCnn"/> (a classifier's own feature column otherwise).</summary>
        public const string InputColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName;
        /// <summary>Default prefix of the output columns (none: columns are named after the layers).</summary>
        public const string OutputColumnPrefix = "";
        /// <summary>Default: maps after ReLU.</summary>
        public const bool PreActivation = false;
        /// <summary>Default images per inference batch.</summary>
        public const int BatchSize = TrainingDefaults.InferenceBatchSize;
    }

    /// <summary>What to extract and where to put it.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Float vector of image values, in the order the network was trained on (its <see cref="ConvNetArchitecture.PixelLayout"/>).
        /// Null (the default): the classifier's own feature column when the verb is given a <see cref="SimpleCnnTransformer"/>,
        /// else <see cref="Defaults.InputColumnName"/>.
        /// </summary>
        public string? InputColumnName;

        /// <summary>Conv layers to extract, by name (<c>conv1</c>, <c>conv2</c>, …); null means every conv layer.</summary>
        public string[]? Layers;

        /// <summary>
        /// Output column names, one per entry of <see cref="Layers"/> (or per conv layer when Layers is null).
        /// Null names each column <see cref="OutputColumnPrefix"/> + layer name.
        /// </summary>
        public string[]? OutputColumnNames;

        /// <summary>Prepended to the layer name to form the column name when <see cref="OutputColumnNames"/> is null.</summary>
        public string OutputColumnPrefix = Defaults.OutputColumnPrefix;

        /// <summary>
        /// False: the map after ReLU and before max-pooling (what the next layer sees, all values ≥ 0).
        /// True: the conv output before ReLU (negative where the filter anti-correlates).
        /// </summary>
        public bool PreActivation = Defaults.PreActivation;

        /// <summary>Images per forward pass.</summary>
        public int BatchSize = Defaults.BatchSize;
    }

    /// <param name="defaultInputColumnName">The column read when <see cref="Options.InputColumnName"/> is null: the classifier's feature column.</param>
    internal FeatureMapExtractingEstimator(TrainedCnn model, Options options, string defaultInputColumnName = Defaults.InputColumnName)
        : base(Create(model, options, defaultInputColumnName))
    {
    }

    // Arguments are checked before the base constructor runs, so a bad option never yields an estimator.
    private static FeatureMapExtractingTransformer Create(TrainedCnn model, Options options, string defaultInputColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var inputColumnName = options.InputColumnName ?? defaultInputColumnName;
        if (string.IsNullOrWhiteSpace(inputColumnName))
            throw new ArgumentException("The input column name is required.", nameof(options));
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        var (layers, outputs) = ResolveColumns(model, options.Layers, options.OutputColumnNames, options.OutputColumnPrefix ?? "");
        return new FeatureMapExtractingTransformer(model, inputColumnName, layers, outputs, options.PreActivation, options.BatchSize);
    }

    /// <summary>
    /// Resolves layer names to shapes and picks output names. Unknown layers are reported with the layers the model
    /// has; duplicate layers or column names and a count mismatch are argument errors.
    /// </summary>
    internal static (IReadOnlyList<ConvLayerShape> Layers, IReadOnlyList<string> OutputColumnNames) ResolveColumns(
        TrainedCnn model, IReadOnlyList<string>? layerNames, IReadOnlyList<string>? outputColumnNames, string prefix)
    {
        var available = model.ConvLayers;
        var existing = string.Join(", ", available.Select(l => l.Name));
        IReadOnlyList<ConvLayerShape> layers;
        if (layerNames == null)
        {
            layers = available;
        }
        else
        {
            if (layerNames.Count == 0)
                throw new ArgumentException($"Layers is empty; name at least one of {existing}, or pass null for all of them.", "Layers");
            layers = layerNames.Select(name => available.Find(name, "Layers")).ToArray();
            var repeated = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
            if (repeated != null)
                throw new ArgumentException($"Layer '{repeated.Key}' is listed more than once in Layers.", "Layers");
        }

        IReadOnlyList<string> outputs;
        if (outputColumnNames == null)
        {
            outputs = layers.Select(l => prefix + l.Name).ToArray();
        }
        else
        {
            if (outputColumnNames.Count != layers.Count)
                throw new ArgumentException(
                    $"OutputColumnNames has {outputColumnNames.Count} names but {layers.Count} layers are extracted ({string.Join(", ", layers.Select(l => l.Name))}).",
                    "OutputColumnNames");
            if (outputColumnNames.Any(string.IsNullOrWhiteSpace))
                throw new ArgumentException("OutputColumnNames contains an empty name.", "OutputColumnNames");
            outputs = outputColumnNames.ToArray();
        }
        var clash = outputs.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (clash != null)
            throw new ArgumentException($"Output column '{clash.Key}' would be written by more than one layer.", "OutputColumnNames");
        return (layers, outputs);
    }
}
