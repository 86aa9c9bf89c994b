namespace MlNetCnn.Interop.Onnx;

/// <summary>
/// What an ONNX file written by <c>mlContext.Model.SaveSimpleCnnAsOnnx</c> holds: the names of its input and outputs,
/// the opset it targets and the keys of its metadata (<c>metadata_props</c>). Serving code that does not reference
/// MlNetCnn uses the same strings.
/// </summary>
public static class SimpleCnnOnnx
{
    /// <summary>The input: float32 [N, C, H, W] (N dynamic), planar channels, pixels in [0, 1] as the trainer saw them.</summary>
    public const string InputName = Model.SimpleCnnOnnxGraph.InputName;

    /// <summary>Output: softmax class probabilities, float32 [N, classes], in class-name order.</summary>
    public const string ProbabilitiesName = Model.SimpleCnnOnnxGraph.ProbabilitiesName;

    /// <summary>Output: class logits (before softmax), float32 [N, classes].</summary>
    public const string LogitsName = Model.SimpleCnnOnnxGraph.LogitsName;

    /// <summary>The ONNX operator set (default domain) the graph uses: 13 (ONNX 1.8), which ONNX Runtime and older checkers (onnx 1.12) accept.</summary>
    public const int OpsetVersion = Model.SimpleCnnOnnxGraph.OpsetVersion;

    /// <summary>The ONNX IR version written: 7, the one that goes with opset 13.</summary>
    internal const int IrVersion = Model.SimpleCnnOnnxGraph.IrVersion;

    /// <summary>The producer name written into the file.</summary>
    internal const string ProducerName = "MlNetCnn";

    /// <summary>Metadata key: the class names in output order, as a JSON array of strings.</summary>
    internal const string ClassNamesKey = "class_names";

    /// <summary>Metadata key: the input shape without the batch, "C,H,W" (e.g. "3,32,32"), or "H,W,C" for a model trained on interleaved pixels.</summary>
    internal const string InputShapeKey = "input_shape";

    /// <summary>Metadata key: the network's <see cref="Model.ConvNetArchitecture"/> as JSON (the model file's format).</summary>
    internal const string ArchitectureKey = "architecture";

    /// <summary>Metadata key: how the input pixels must be prepared, in words.</summary>
    internal const string InputFormatKey = "input_format";

    /// <summary>Metadata key: the names of the conv feature-map outputs, comma-separated; empty when the file has none.</summary>
    internal const string FeatureMapOutputsKey = "feature_map_outputs";

    /// <summary>
    /// The name of the output holding conv layer <paramref name="layerIndex"/>'s post-ReLU maps (before pooling),
    /// float32 [N, channels, height, width]: <c>conv1</c>, <c>conv2</c>, …, the names the feature-map transform uses.
    /// </summary>
    internal static string FeatureMapName(int layerIndex) => Model.ConvLayerShape.NameOf(layerIndex);
}
