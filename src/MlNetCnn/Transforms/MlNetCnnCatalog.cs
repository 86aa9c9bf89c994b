using Microsoft.ML.Runtime;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>MlNetCnn's verbs on ML.NET's catalogs.</summary>
public static class MlNetCnnCatalog
{
    /// <summary>
    /// Trains the seed's SimpleCNN (conv 3→6, conv 6→12, 768→120→10) with Adam lr 0.001, cross-entropy, batch 4.
    /// </summary>
    /// <param name="featureColumnName">Float vector of C×H×W planar values in [0,1], e.g. from
    /// <c>ExtractPixels(interleavePixelColors: false, scaleImage: 1f / 255)</c> (interleaved pixels: the Options overload's <c>PixelLayout</c>).</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="seed">Seed for initial weights and shuffling.</param>
    public static SimpleCnnTrainer SimpleCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = SimpleCnnTrainer.Defaults.LabelColumnName,
        string featureColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName,
        int numberOfEpochs = SimpleCnnTrainer.Defaults.NumberOfEpochs,
        int batchSize = SimpleCnnTrainer.Defaults.BatchSize,
        double learningRate = SimpleCnnTrainer.Defaults.LearningRate,
        int seed = SimpleCnnTrainer.Defaults.Seed)
    {
        return catalog.SimpleCnn(new SimpleCnnTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
            Seed = seed,
        });
    }

    /// <summary>Trains a SimpleCNN configured by <paramref name="options"/>.</summary>
    public static SimpleCnnTrainer SimpleCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        SimpleCnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SimpleCnnTrainer(Environment(catalog), options);
    }

    /// <summary>
    /// ML.NET catalogs keep their MLContext (an IHostEnvironment) in a non-public member of a base class; our trainers
    /// need it to log through MLContext.Log like ML.NET's own. Found by type, so member renames do not break it.
    /// </summary>
    internal static IHostEnvironment Environment(object catalog)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic |
                                                     System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly;
        for (var type = catalog.GetType(); type != null; type = type.BaseType)
        {
            foreach (var property in type.GetProperties(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType) && property.GetIndexParameters().Length == 0)
                    return (IHostEnvironment)property.GetValue(catalog)!;
            }
            foreach (var field in type.GetFields(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(field.FieldType))
                    return (IHostEnvironment)field.GetValue(catalog)!;
            }
        }
        throw new InvalidOperationException($"Could not reach the MLContext behind {catalog.GetType().Name}.");
    }

    /// <summary>
    /// Adds one column per conv layer of <paramref name="model"/> with what that layer detects in each image: the
    /// layer's output maps as a float vector of (channels, height, width), named after the layer (<c>conv1</c>,
    /// <c>conv2</c>, …). Inference is lazy and batched; only the columns a consumer reads are computed.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">A trained classifier; the feature-map transformer uses its network without owning it.</param>
    /// <param name="inputColumnName">Float vector of image values, as the classifier was trained on; null (the default) reads the classifier's own feature column.</param>
    /// <param name="layers">Conv layer names to extract (<c>conv1</c>, …); null extracts every conv layer.</param>
    /// <param name="preActivation">False (default): after ReLU, before pooling. True: conv output before ReLU.</param>
    /// <example>
    /// <code language="csharp">
    /// var ml = new MLContext(seed: 1);
    /// var train = new Cifar10DataView(cifarDirectory, Cifar10Split.Train);
    /// var classifier = ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 2).Fit(train);
    ///
    /// // Score, PredictedLabel, conv1 (6×32×32) and conv2 (12×16×16) in one view.
    /// var chain = classifier.Append(ml.Transforms.ExtractFeatureMaps(classifier).Fit(train));
    /// var scored = chain.Transform(train);
    ///
    /// // Or train an ML.NET linear model on what conv2 detects.
    /// var probe = ml.Transforms.ExtractFeatureMaps(classifier, layers: new[] { "conv2" })
    ///     .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "conv2"))
    ///     .Fit(train);
    /// </code>
    /// </example>
    public static FeatureMapExtractingEstimator ExtractFeatureMaps(
        this TransformsCatalog catalog,
        SimpleCnnTransformer model,
        string? inputColumnName = null,
        string[]? layers = null,
        bool preActivation = FeatureMapExtractingEstimator.Defaults.PreActivation)
    {
        ArgumentNullException.ThrowIfNull(model);
        return catalog.ExtractFeatureMaps(model, new FeatureMapExtractingEstimator.Options
        {
            InputColumnName = inputColumnName,
            Layers = layers,
            PreActivation = preActivation,
        });
    }

    /// <summary>Adds conv feature-map columns computed by <paramref name="model"/>; see the <see cref="SimpleCnnTransformer"/> overload.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">A trained network; not owned by the returned estimator or its transformer.</param>
    /// <param name="inputColumnName">Float vector of image values in the network's pixel layout.</param>
    /// <param name="layers">Conv layer names to extract (<c>conv1</c>, …); null extracts every conv layer.</param>
    /// <param name="preActivation">False (default): after ReLU, before pooling. True: conv output before ReLU.</param>
    /// <example>
    /// <code language="csharp">
    /// var maps = ml.Transforms.ExtractFeatureMaps(classifier.Model, layers: new[] { "conv1" }, preActivation: true)
    ///     .Fit(images).Transform(images);
    /// </code>
    /// </example>
    public static FeatureMapExtractingEstimator ExtractFeatureMaps(
        this TransformsCatalog catalog,
        TrainedCnn model,
        string inputColumnName = FeatureMapExtractingEstimator.Defaults.InputColumnName,
        string[]? layers = null,
        bool preActivation = FeatureMapExtractingEstimator.Defaults.PreActivation)
    {
        return catalog.ExtractFeatureMaps(model, new FeatureMapExtractingEstimator.Options
        {
            InputColumnName = inputColumnName,
            Layers = layers,
            PreActivation = preActivation,
        });
    }

    /// <summary>Adds conv feature-map columns as configured by <paramref name="options"/> (layers, column names, batch size).</summary>
    /// <example>
    /// <code language="csharp">
    /// var estimator = ml.Transforms.ExtractFeatureMaps(classifier, new FeatureMapExtractingEstimator.Options
    /// {
    ///     InputColumnName = "Pixels",
    ///     Layers = new[] { "conv2" },
    ///     OutputColumnNames = new[] { "Conv2Maps" },
    ///     BatchSize = 128,
    /// });
    /// </code>
    /// </example>
    public static FeatureMapExtractingEstimator ExtractFeatureMaps(
        this TransformsCatalog catalog,
        SimpleCnnTransformer model,
        FeatureMapExtractingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        return new FeatureMapExtractingEstimator(model.Model, options, model.FeatureColumnName);
    }

    /// <summary>Adds conv feature-map columns computed by <paramref name="model"/> as configured by <paramref name="options"/>.</summary>
    /// <example>
    /// <code language="csharp">
    /// var estimator = ml.Transforms.ExtractFeatureMaps(trainedCnn, new FeatureMapExtractingEstimator.Options { OutputColumnPrefix = "Maps." });
    /// // Columns Maps.conv1, Maps.conv2, …
    /// </code>
    /// </example>
    public static FeatureMapExtractingEstimator ExtractFeatureMaps(
        this TransformsCatalog catalog,
        TrainedCnn model,
        FeatureMapExtractingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeatureMapExtractingEstimator(model, options);
    }

    /// <summary>
    /// Adds a column with each image's attribution map: where, by <paramref name="method"/>, the evidence for the
    /// predicted class (or the label, or a fixed class) lies. The column is a float vector with (height, width)
    /// dimensions, or (channels, height, width) for methods that keep channels
    /// (<c>IAttributionMethod.KeepsChannels</c>). Computed lazily in batches; only cursors that read it pay for it. Named
    /// after the verb every attribution method answers (<c>IAttributionMethod.Attribute</c>, Captum's <c>attribute</c>).
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">A trained classifier; used, not owned.</param>
    /// <param name="method">The name of a method registered in <c>AttributionRegistry.Default</c>.</param>
    /// <param name="outputColumnName">The column to add.</param>
    /// <param name="inputColumnName">Float vector of image values, as the classifier was trained on; null (the default) reads the classifier's own feature column.</param>
    /// <param name="target">Which class each row's map explains; <see cref="AttributionTarget.Label"/> reads <paramref name="labelColumnName"/>.</param>
    /// <param name="layer">Conv layer for Grad-CAM (<c>conv1</c>, …); null = the last one. Other methods ignore it.</param>
    /// <param name="classIndex">0-based class for <see cref="AttributionTarget.FixedClass"/>.</param>
    /// <param name="labelColumnName">Key-typed label column for <see cref="AttributionTarget.Label"/>.</param>
    /// <example>
    /// <code language="csharp">
    /// var classifier = ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 2).Fit(train);
    /// // Score, PredictedLabel and Attribution (32×32 Grad-CAM maps of the predicted class) in one view.
    /// var chain = classifier.Append(ml.Transforms.Attribute(classifier, method: "gradcam").Fit(train));
    /// var engine = ml.Model.CreatePredictionEngine&lt;Image, Explained&gt;(chain);
    /// </code>
    /// </example>
    public static AttributionEstimator Attribute(
        this TransformsCatalog catalog,
        SimpleCnnTransformer model,
        string method = AttributionEstimator.Defaults.Method,
        string outputColumnName = AttributionEstimator.Defaults.OutputColumnName,
        string? inputColumnName = null,
        AttributionTarget target = AttributionEstimator.Defaults.Target,
        string? layer = null,
        int? classIndex = null,
        string labelColumnName = AttributionEstimator.Defaults.LabelColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        return catalog.Attribute(model, new AttributionEstimator.Options
        {
            Method = method,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Target = target,
            Layer = layer,
            ClassIndex = classIndex,
            LabelColumnName = labelColumnName,
        });
    }

    /// <summary>Adds an attribution column as configured by <paramref name="options"/>; see the flat overload.</summary>
    public static AttributionEstimator Attribute(this TransformsCatalog catalog, SimpleCnnTransformer model, AttributionEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        return new AttributionEstimator(model.Model, options, model.FeatureColumnName);
    }

    /// <summary>Adds an attribution column computed with <paramref name="model"/> as configured by <paramref name="options"/>.</summary>
    public static AttributionEstimator Attribute(this TransformsCatalog catalog, TrainedCnn model, AttributionEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AttributionEstimator(model, options);
    }
}
