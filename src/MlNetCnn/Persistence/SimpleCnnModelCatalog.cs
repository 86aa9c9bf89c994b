using Microsoft.ML.Data;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using MlNetCnn.Transforms;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>
/// Saving and loading SimpleCnn models through <c>mlContext.Model</c>, next to ML.NET's own <c>Save</c>/<c>Load</c>
/// (which cannot hold transformers written outside ML.NET). One file holds the network, its class names, training
/// history and settings and, when given a pipeline, the ML.NET transformers around it.
/// </summary>
public static class SimpleCnnModelCatalog
{
    /// <summary>Saves a trained SimpleCnn classifier (network, class names, history, settings, column names) to one file, atomically.</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">The classifier returned by the SimpleCnn trainer.</param>
    /// <param name="filePath">Target file; replaced (with <paramref name="overwrite"/>) only once the new file is complete.</param>
    /// <param name="overwrite">Replace an existing file; when false (the default, as for <c>SavePyTorchStateDict</c> and reports) the file is
    /// never replaced: when it exists, or appears while saving (another writer), the save fails and the existing file is left as it was.
    /// Even with <paramref name="overwrite"/> only a regular file is replaced, never a folder, device, FIFO, socket or symbolic link.</param>
    /// <exception cref="IOException"><paramref name="filePath"/> exists and <paramref name="overwrite"/> is false
    /// (<see cref="OutputFileExistsException"/> when it appeared while saving).</exception>
    /// <exception cref="OutputFileException">The path is not a regular file, or its folder cannot be created or written.</exception>
    /// <example>
    /// <code language="csharp">
    /// var ml = new MLContext(seed: 1);
    /// using var model = ml.MulticlassClassification.Trainers.SimpleCnn().Fit(train);
    /// ml.Model.SaveSimpleCnn(model, "cifar-cnn.zip");
    ///
    /// // Later, in another process:
    /// using var loaded = ml.Model.LoadSimpleCnn("cifar-cnn.zip");
    /// var scored = loaded.Transform(test);
    /// </code>
    /// </example>
    public static void SaveSimpleCnn(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, string filePath, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnModelFile.SavePipeline(catalog, model, null, OutputFile.Check(filePath, overwrite));
    }

    /// <summary>As <see cref="SaveSimpleCnn(ModelOperationsCatalog, SimpleCnnTransformer, string, bool)"/>, to an output already checked (<see cref="OutputFile.Check"/>).</summary>
    public static void SaveSimpleCnn(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, OutputTarget output)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnModelFile.SavePipeline(catalog, model, null, output);
    }

    /// <summary>
    /// Saves a pipeline that contains SimpleCnn stages — e.g. image loading and pixel extraction, then the classifier,
    /// then feature maps or key-to-value mapping — to one file, atomically. ML.NET transformers are stored with
    /// <c>mlContext.Model.Save</c> inside the file; all SimpleCnn stages must share one network.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">A <see cref="TransformerChain{TLastTransformer}"/> (nested chains are flattened) or a single SimpleCnn stage.</param>
    /// <param name="inputSchema">The schema the pipeline reads (as for <c>mlContext.Model.Save</c>); required when the pipeline has ML.NET stages.</param>
    /// <param name="filePath">Target file; replaced (with <paramref name="overwrite"/>) only once the new file is complete.</param>
    /// <param name="overwrite">Replace an existing file; when false (the default) an existing file is an error.</param>
    /// <exception cref="IOException"><paramref name="filePath"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <example>
    /// <code language="csharp">
    /// var pixels = ml.Transforms.LoadImages("Image", imageFolder, "ImagePath")
    ///     .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
    ///     .Fit(index);
    /// using var cnn = ml.MulticlassClassification.Trainers.SimpleCnn().Fit(pixels.Transform(index));
    /// var pipeline = pixels.Append(cnn);
    /// ml.Model.SaveSimpleCnn(pipeline, index.Schema, "pipeline.zip");
    ///
    /// var loaded = ml.Model.LoadSimpleCnn("pipeline.zip", out var inputSchema);
    /// var engine = ml.Model.CreatePredictionEngine&lt;ImageInput, Prediction&gt;(loaded);
    /// </code>
    /// </example>
    public static void SaveSimpleCnn(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SimpleCnnModelFile.SavePipeline(catalog, model, inputSchema, OutputFile.Check(filePath, overwrite));
    }

    /// <summary>
    /// Saves a fitted pipeline — what <c>estimatorChain.Fit(data)</c> returns, e.g.
    /// <c>MapValueToKey → SimpleCnn → MapKeyToValue</c> — to one file, atomically, without an input schema: the ML.NET
    /// stages are stored as they are, and loading gives no input schema back. Pass the schema (the overload with
    /// <c>inputSchema</c>) to keep it, as <c>mlContext.Model.Save</c> does.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">A fitted chain holding a SimpleCnn stage.</param>
    /// <param name="filePath">Target file; replaced (with <paramref name="overwrite"/>) only once the new file is complete.</param>
    /// <param name="overwrite">Replace an existing file; when false (the default) an existing file is an error.</param>
    /// <example>
    /// <code language="csharp">
    /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(ml.MulticlassClassification.Trainers.SimpleCnn())
    ///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    /// var fitted = pipeline.Fit(train);
    /// ml.Model.SaveSimpleCnn(fitted, "pipeline.zip");
    /// using var loaded = ml.Model.LoadSimpleCnn("pipeline.zip", out _);
    /// SimpleCnnTransformer cnn = loaded.GetSimpleCnn();
    /// </code>
    /// </example>
    public static void SaveSimpleCnn<TLastTransformer>(this ModelOperationsCatalog catalog, TransformerChain<TLastTransformer> model, string filePath, bool overwrite = false)
        where TLastTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SimpleCnnModelFile.SavePipeline(catalog, model, null, OutputFile.Check(filePath, overwrite));
    }

    /// <summary>
    /// The SimpleCnn classifier of a fitted or loaded pipeline (nested chains included), e.g. one ending in
    /// <c>MapKeyToValue</c>: its network, history and columns, to export, report or explain.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline has no <see cref="SimpleCnnTransformer"/>, or several.</exception>
    public static SimpleCnnTransformer GetSimpleCnn(this ITransformer pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var found = SimpleCnnModelFile.Flatten(pipeline).OfType<SimpleCnnTransformer>().ToArray();
        return found.Length switch
        {
            1 => found[0],
            0 => throw new InvalidOperationException(
                $"The pipeline ({string.Join(", ", SimpleCnnModelFile.Flatten(pipeline).Select(s => s.GetType().Name))}) has no SimpleCnnTransformer."),
            _ => throw new InvalidOperationException($"The pipeline has {found.Length} SimpleCnnTransformer stages; pick one with .OfType<SimpleCnnTransformer>()."),
        };
    }

    /// <summary>
    /// Loads a SimpleCnn classifier saved by <see cref="SaveSimpleCnn(ModelOperationsCatalog, SimpleCnnTransformer, string, bool)"/>
    /// (or a bare network saved by <see cref="SimpleCnnModelFile.Save"/>, which gets the default column names).
    /// Files holding a longer pipeline are loaded with the overload that returns the input schema.
    /// </summary>
    /// <exception cref="ModelFileException">The file is truncated, corrupted, lacks an entry or has an unsupported format version.</exception>
    /// <example>
    /// <code language="csharp">
    /// using var classifier = ml.Model.LoadSimpleCnn("cifar-cnn.zip");
    /// var engine = ml.Model.CreatePredictionEngine&lt;ImageRow, Prediction&gt;(classifier);
    /// </code>
    /// </example>
    public static SimpleCnnTransformer LoadSimpleCnn(this ModelOperationsCatalog catalog, string filePath)
    {
        var chain = catalog.LoadSimpleCnn(filePath, out _);
        var stages = chain.ToArray();
        if (stages is [SimpleCnnTransformer classifier])
            return classifier;
        NetworkIn(stages).Dispose();
        throw new InvalidOperationException(
            $"'{filePath}' holds a pipeline of {stages.Length} stages ({string.Join(", ", stages.Select(s => s.GetType().Name))}), not a lone classifier; " +
            "load it with LoadSimpleCnn(filePath, out inputSchema).");
    }

    /// <summary>
    /// Loads a file written by either <c>SaveSimpleCnn</c> overload as a flat chain of its stages: ML.NET transformers
    /// read back with <c>mlContext.Model.Load</c>, and the SimpleCnn classifier and feature-map stages on one network
    /// (owned by the <see cref="SimpleCnnTransformer"/>, or by the feature-map stages when the file has no classifier;
    /// dispose the chain when done).
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="filePath">A file written by <c>SaveSimpleCnn</c> or <see cref="SimpleCnnModelFile.Save"/>.</param>
    /// <param name="inputSchema">The schema passed when saving, or null when none was.</param>
    /// <exception cref="ModelFileException">The file is truncated, corrupted, lacks an entry or has an unsupported format version.</exception>
    /// <example>
    /// <code language="csharp">
    /// var pipeline = ml.Model.LoadSimpleCnn("pipeline.zip", out var inputSchema);
    /// var scored = pipeline.Transform(ml.Data.LoadFromTextFile("index.tsv", ...));
    /// </code>
    /// </example>
    public static TransformerChain<ITransformer> LoadSimpleCnn(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema? inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // ML.NET finds a saved transformer's loader among registered assemblies; make sure image transforms are known
        // in a fresh process that has not touched Microsoft.ML.ImageAnalytics yet.
        var environment = MlNetCnnCatalog.Environment(catalog);
        environment.ComponentCatalog.RegisterAssembly(typeof(ImageLoadingTransformer).Assembly);
        var chain = SimpleCnnModelFile.LoadPipeline(catalog, filePath, out inputSchema);
        // Loadable but suspicious (NaN or infinite weights): say so in ML.NET's log; TrainedCnn.LoadWarnings keeps them.
        var warnings = NetworkIn(chain).LoadWarnings;
        if (warnings.Count > 0)
        {
            using var channel = environment.Register(nameof(SimpleCnnModelCatalog)).Start("Loading " + filePath);
            foreach (var warning in warnings)
                channel.Warning(Runtime.MessageSensitivity.None, $"'{filePath}': {warning}");
        }
        return chain;
    }

    /// <summary>The one network of a loaded file's stages (every file has a SimpleCnn stage; all share one network).</summary>
    private static TrainedCnn NetworkIn(IEnumerable<ITransformer> stages) => stages.Select(SimpleCnnModelFile.NetworkOf).First(n => n != null)!;
}
