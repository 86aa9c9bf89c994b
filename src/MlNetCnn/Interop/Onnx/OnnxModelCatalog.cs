using MlNetCnn.Interop.Onnx;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>
/// ONNX export through <c>mlContext.Model</c>: a trained SimpleCnn as an ONNX file that ONNX Runtime, ML.NET's
/// <c>ApplyOnnxModel</c> (Microsoft.ML.OnnxTransformer) and other ONNX engines serve without libtorch.
/// </summary>
/// <remarks>
/// The file (opset <see cref="SimpleCnnOnnx.OpsetVersion"/>) has one input, <c>input</c>: float32 [N, C, H, W] (or [N, H, W, C]
/// for a model trained with <c>PixelLayout.Interleaved</c>, transposed inside the graph: the same layout as the model's column) with a
/// dynamic batch, planar channels, pixels in [0, 1] exactly as the trainer saw them; and the outputs
/// <c>probabilities</c> and <c>logits</c> [N, classes], plus, with <c>includeFeatureMaps</c>, each conv layer's
/// post-ReLU maps (<c>conv1</c>, <c>conv2</c>, …). Class names, input shape and architecture are in its metadata
/// (<see cref="SimpleCnnOnnx"/> lists the keys); its doc string describes the network in words.
/// </remarks>
public static class OnnxModelCatalog
{
    /// <summary>Writes <paramref name="model"/>'s network as an ONNX file, atomically (a temporary file renamed into place).</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">The classifier returned by the SimpleCnn trainer or loaded from a model file.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="includeFeatureMaps">Also output every conv layer's post-ReLU maps, named <c>conv1</c>, <c>conv2</c>, ….</param>
    /// <param name="overwrite">Replace an existing file; otherwise an existing file is an error.</param>
    /// <example>
    /// <code language="csharp">
    /// using var model = ml.MulticlassClassification.Trainers.SimpleCnn().Fit(train);
    /// ml.Model.SaveSimpleCnnAsOnnx(model, "simplecnn.onnx");
    ///
    /// // Serve it without libtorch (Microsoft.ML.OnnxTransformer + Microsoft.ML.OnnxRuntime):
    /// var scoring = ml.Transforms.LoadImages("Image", folder, "Path")
    ///     .Append(ml.Transforms.ResizeImages("Image", 32, 32))
    ///     .Append(ml.Transforms.ExtractPixels("input", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
    ///     .Append(ml.Transforms.ApplyOnnxModel("simplecnn.onnx"));
    /// </code>
    /// </example>
    /// <exception cref="IOException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="OutputFileException">The folder cannot be created or written, or the disk is full.</exception>
    public static void SaveSimpleCnnAsOnnx(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, string path, bool includeFeatureMaps = false, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnOnnxExport.Save(model.Model, OutputFile.Check(path, overwrite), includeFeatureMaps);
    }

    /// <summary>As <see cref="SaveSimpleCnnAsOnnx(ModelOperationsCatalog, SimpleCnnTransformer, string, bool, bool)"/>, to an output already checked (<see cref="OutputFile.Check"/>).</summary>
    public static void SaveSimpleCnnAsOnnx(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, OutputTarget output, bool includeFeatureMaps = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnOnnxExport.Save(model.Model, output, includeFeatureMaps);
    }

    /// <inheritdoc cref="SaveSimpleCnnAsOnnx(ModelOperationsCatalog, SimpleCnnTransformer, string, bool, bool)"/>
    public static void SaveSimpleCnnAsOnnx(this ModelOperationsCatalog catalog, TrainedCnn model, string path, bool includeFeatureMaps = false, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnOnnxExport.Save(model, OutputFile.Check(path, overwrite), includeFeatureMaps);
    }

    /// <summary>Writes <paramref name="model"/>'s network as ONNX to <paramref name="stream"/>, which stays open.</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="model">The classifier returned by the SimpleCnn trainer or loaded from a model file.</param>
    /// <param name="stream">A writable stream; the ONNX ModelProto bytes are written at its position.</param>
    /// <param name="includeFeatureMaps">Also output every conv layer's post-ReLU maps, named <c>conv1</c>, <c>conv2</c>, ….</param>
    public static void SaveSimpleCnnAsOnnx(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, Stream stream, bool includeFeatureMaps = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        SimpleCnnOnnxExport.Write(model.Model, stream, includeFeatureMaps);
    }

    /// <inheritdoc cref="SaveSimpleCnnAsOnnx(ModelOperationsCatalog, SimpleCnnTransformer, Stream, bool)"/>
    public static void SaveSimpleCnnAsOnnx(this ModelOperationsCatalog catalog, TrainedCnn model, Stream stream, bool includeFeatureMaps = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SimpleCnnOnnxExport.Write(model, stream, includeFeatureMaps);
    }
}
