using MlNetCnn.Attribution;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms;

/// <summary>
/// Adds an attribution column: for each image, a registered method's map (<c>gradcam</c>, <c>saliency</c>, …) of where
/// the evidence for the predicted class, the label or a fixed class lies, as a float vector with [H,W] or [C,H,W]
/// dimensions. Create it with <c>mlContext.Transforms.Attribute(...)</c>. Nothing is trained: <see cref="BatchScoringEstimator{TTransformer}.Fit"/> checks
/// the input and returns the transformer.
/// </summary>
public sealed class AttributionEstimator : BatchScoringEstimator<AttributionTransformer>
{
    /// <summary>Default values shared by the catalog verbs and <see cref="Options"/>.</summary>
    public static class Defaults
    {
        /// <summary>Pixel column read when the model is a bare <see cref="TrainedCnn"/> (a classifier's own feature column otherwise).</summary>
        public const string InputColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName;
        /// <summary>Default attribution-map column written.</summary>
        public const string OutputColumnName = "Attribution";
        /// <summary>Default method (registry name).</summary>
        public const string Method = "gradcam";
        /// <summary>Default class explained: the predicted one.</summary>
        public const AttributionTarget Target = AttributionTarget.PredictedClass;
        /// <summary>Default label column (read when the target is the label).</summary>
        public const string LabelColumnName = SimpleCnnTrainer.Defaults.LabelColumnName;
        /// <summary>Default images explained per batch.</summary>
        public const int BatchSize = AttributionMethod.DefaultBatchSize;
        /// <summary>Default seed of methods that draw noise (SmoothGrad's).</summary>
        public const int Seed = SmoothGrad.Defaults.Seed;
    }

    /// <summary>Which method, for which class, from which column to which column.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Float vector of image values, in the order the network was trained on (its <see cref="ConvNetArchitecture.PixelLayout"/>).
        /// Null (the default): the classifier's own feature column when the verb is given a <see cref="SimpleCnnTransformer"/>,
        /// else <see cref="Defaults.InputColumnName"/>.
        /// </summary>
        public string? InputColumnName;

        /// <summary>The attribution column to add.</summary>
        public string OutputColumnName = Defaults.OutputColumnName;

        /// <summary>The name of a method registered in <see cref="AttributionRegistry.Default"/>.</summary>
        public string Method = Defaults.Method;

        /// <summary>Conv layer for layer methods (Grad-CAM); null = the last conv layer.</summary>
        public string? Layer;

        /// <summary>Which class each row's map explains.</summary>
        public AttributionTarget Target = Defaults.Target;

        /// <summary>Key-typed label column, read when <see cref="Target"/> is <see cref="AttributionTarget.Label"/>.</summary>
        public string LabelColumnName = Defaults.LabelColumnName;

        /// <summary>0-based class explained for every row when <see cref="Target"/> is <see cref="AttributionTarget.FixedClass"/>.</summary>
        public int? ClassIndex;

        /// <summary>Images per pass through the network.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Seed for methods that draw noise (SmoothGrad).</summary>
        public int Seed = Defaults.Seed;

        /// <summary>What the registry passes to the method: the method-side share of these options.</summary>
        internal AttributionSettings ToMethodSettings() => new() { Layer = Layer, BatchSize = BatchSize, Seed = Seed };
    }

    /// <param name="defaultInputColumnName">The column read when <see cref="Options.InputColumnName"/> is null: the classifier's feature column.</param>
    internal AttributionEstimator(TrainedCnn model, Options options, string defaultInputColumnName = Defaults.InputColumnName)
        : base(Create(model, options, defaultInputColumnName))
    {
    }

    // Arguments are checked before the base constructor runs, so a bad option never yields an estimator.
    private static AttributionTransformer Create(TrainedCnn model, Options options, string defaultInputColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var inputColumnName = options.InputColumnName ?? defaultInputColumnName;
        if (string.IsNullOrWhiteSpace(inputColumnName))
            throw new ArgumentException("The input column name is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.OutputColumnName))
            throw new ArgumentException("The output column name is required.", nameof(options));
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        var classes = model.Architecture.ClassCount;
        var classIndex = 0;
        switch (options.Target)
        {
            case AttributionTarget.FixedClass:
                classIndex = options.ClassIndex ?? throw new ArgumentException("Target FixedClass needs ClassIndex (a 0-based class index).", nameof(options));
                if (classIndex < 0 || classIndex >= classes)
                    throw new ArgumentOutOfRangeException(nameof(options), classIndex, $"ClassIndex is 0-based: 0–{classes - 1} for this model.");
                break;
            case AttributionTarget.Label when string.IsNullOrWhiteSpace(options.LabelColumnName):
                throw new ArgumentException("Target Label needs LabelColumnName.", nameof(options));
            case AttributionTarget.PredictedClass or AttributionTarget.Label:
                if (options.ClassIndex != null)
                    throw new ArgumentException($"ClassIndex is only used with Target FixedClass, not {options.Target}.", nameof(options));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Target, "Unknown attribution target.");
        }
        var method = AttributionRegistry.Default.Create(options.Method ?? throw new ArgumentException("Method is required.", nameof(options)),
            options.ToMethodSettings());
        // A method's own options (the layer exists, the patch fits) are checked now, before any data flows.
        if (method is AttributionMethod checkable) checkable.CheckArguments(AttributionModel.From(model), 0, Array.Empty<int>());
        return new AttributionTransformer(model, method, inputColumnName, options.OutputColumnName, options.Target,
            options.LabelColumnName, classIndex, options.BatchSize);
    }
}
