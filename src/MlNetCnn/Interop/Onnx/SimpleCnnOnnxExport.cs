using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using MlNetCnn.Interop.Onnx.Proto;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using static MlNetCnn.Interop.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace MlNetCnn.Interop.Onnx;

/// <summary>
/// Builds the ONNX graph of a trained <see cref="SimpleCnn"/>, op for op what <see cref="SimpleCnn.Forward"/> runs:
/// per conv layer Conv (k×k, stride 1, padding k/2: zeros as Conv's pads, circular as a wrap-around of Slice + Concat
/// first) → Relu → MaxPool 2×2 stride 2 (floor, ceil_mode 0); then Flatten(axis 1, the row-major C,H,W order of
/// <c>torch.flatten(1)</c>) → Gemm (fc1, transB) → Relu → Gemm (fc2) = <c>logits</c> → Softmax(axis 1) =
/// <c>probabilities</c>. No pixel normalisation happens inside the network, so none is in the graph.
/// </summary>
internal static class SimpleCnnOnnxExport
{
    /// <summary>
    /// The ONNX model of <paramref name="model"/>; with <paramref name="includeFeatureMaps"/> each conv layer's post-ReLU
    /// maps are outputs too, and with <paramref name="includePreActivations"/> its conv outputs before ReLU
    /// (<see cref="PreActivationName"/>; the in-process ONNX Runtime engine's, not written to files). The input is in the
    /// model's pixel layout, except with <paramref name="planarInput"/>: the engine is fed the planar rows the network
    /// computes on, whatever layout the model's column has.
    /// </summary>
    public static ModelProto Build(TrainedCnn model, bool includeFeatureMaps, bool includePreActivations = false, bool planarInput = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        var layers = model.ConvLayers;
        using var use = model.Use(); // a Dispose on another thread waits for the export to end
        var network = model.Network;
        var graph = new OnnxGraphBuilder("SimpleCnn");
        var x = SimpleCnnOnnx.InputName;
        if (a.PixelLayout == PixelLayout.Interleaved && !planarInput)
        {
            // The input is what the model's ML.NET column holds, [N, H, W, C]; the convs compute on [N, C, H, W].
            graph.Input(SimpleCnnOnnx.InputName, InputFormat(a), null, a.InputHeight, a.InputWidth, a.InputChannels);
            x = graph.Node("Transpose", "input_planar", [x], Ints("perm", 0, 3, 1, 2));
        }
        else
        {
            graph.Input(SimpleCnnOnnx.InputName, InputFormat(a), null, a.InputChannels, a.InputHeight, a.InputWidth);
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var layer in layers)
        {
            var name = layer.Name;
            var conv = network.ConvLayers[layer.Index];
            var weight = graph.FloatTensor(name + ".weight", TensorData.ToArray(conv.weight!), layer.OutChannels, layer.InChannels, layer.KernelSize, layer.KernelSize);
            var bias = graph.FloatTensor(name + ".bias", TensorData.ToArray(conv.bias!), layer.OutChannels);
            var p = a.Padding;
            long[] pads = [p, p, p, p];
            if (a.PaddingMode == ConvPadding.Circular && p > 0)
            {
                // torch's circular padding: padded[i] = x[(i - p) mod size], i.e. the last p rows/columns before, the first p after.
                x = Wrap(graph, x, name, axis: 2, size: layer.OutHeight, p);
                x = Wrap(graph, x, name, axis: 3, size: layer.OutWidth, p);
                pads = [0, 0, 0, 0];
            }
            x = graph.Node("Conv", PreActivationName(layer), [x, weight, bias],
                Ints("kernel_shape", layer.KernelSize, layer.KernelSize), Ints("strides", 1, 1), Ints("pads", pads), Ints("dilations", 1, 1), Int("group", 1));
            var maps = graph.Node("Relu", name, [x]);
            x = graph.Node("MaxPool", name + "_pool", [maps],
                Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Ints("pads", 0, 0, 0, 0), Int("ceil_mode", 0));
        }

        var last = layers[^1];
        x = graph.Node("Flatten", "flatten", [x], Int("axis", 1));
        var fc1 = network.HiddenLayer;
        x = graph.Node("Gemm", "fc1_linear", [x,
                graph.FloatTensor("fc1.weight", TensorData.ToArray(fc1.weight!), a.HiddenUnits, (long)last.OutChannels * last.PooledHeight * last.PooledWidth),
                graph.FloatTensor("fc1.bias", TensorData.ToArray(fc1.bias!), a.HiddenUnits)],
            Int("transB", 1));
        x = graph.Node("Relu", "fc1", [x]);
        var fc2 = network.OutputLayer;
        var logits = graph.Node("Gemm", SimpleCnnOnnx.LogitsName, [x,
                graph.FloatTensor("fc2.weight", TensorData.ToArray(fc2.weight!), a.ClassCount, a.HiddenUnits),
                graph.FloatTensor("fc2.bias", TensorData.ToArray(fc2.bias!), a.ClassCount)],
            Int("transB", 1));
        graph.Node("Softmax", SimpleCnnOnnx.ProbabilitiesName, [logits], Int("axis", 1));
        // Probabilities first: serving code that takes "the" output without naming one gets them.
        graph.Output(SimpleCnnOnnx.ProbabilitiesName, $"Softmax class probabilities, [N, {a.ClassCount}], in class-name order.", null, a.ClassCount);
        graph.Output(SimpleCnnOnnx.LogitsName, $"Class logits before softmax, [N, {a.ClassCount}].", null, a.ClassCount);
        if (includeFeatureMaps)
        {
            foreach (var layer in layers)
                graph.Output(layer.Name, $"Post-ReLU maps of {layer.Name} (before pooling), [N, {layer.OutChannels}, {layer.OutHeight}, {layer.OutWidth}].",
                    null, layer.OutChannels, layer.OutHeight, layer.OutWidth);
        }
        if (includePreActivations)
        {
            foreach (var layer in layers)
                graph.Output(PreActivationName(layer), $"Output of {layer.Name} before ReLU, [N, {layer.OutChannels}, {layer.OutHeight}, {layer.OutWidth}].",
                    null, layer.OutChannels, layer.OutHeight, layer.OutWidth);
        }
        var description = Describe(model, includeFeatureMaps);
        graph.Graph.DocString = description;

        var onnx = new ModelProto
        {
            IrVersion = SimpleCnnOnnx.IrVersion,
            ProducerName = SimpleCnnOnnx.ProducerName,
            ProducerVersion = ProducerVersion(),
            Domain = "ai.mlnetcnn",
            ModelVersion = 1,
            DocString = description,
            Graph = graph.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = SimpleCnnOnnx.OpsetVersion });
        AddMetadata(onnx, SimpleCnnOnnx.ClassNamesKey, JsonSerializer.Serialize(model.ClassNames));
        AddMetadata(onnx, SimpleCnnOnnx.InputShapeKey, a.PixelLayout == PixelLayout.Interleaved
            ? string.Create(CultureInfo.InvariantCulture, $"{a.InputHeight},{a.InputWidth},{a.InputChannels}")
            : string.Create(CultureInfo.InvariantCulture, $"{a.InputChannels},{a.InputHeight},{a.InputWidth}"));
        AddMetadata(onnx, SimpleCnnOnnx.ArchitectureKey, JsonSerializer.Serialize(a, SimpleCnnModelFile.JsonOptions));
        AddMetadata(onnx, SimpleCnnOnnx.InputFormatKey, InputFormat(a));
        AddMetadata(onnx, SimpleCnnOnnx.FeatureMapOutputsKey, includeFeatureMaps ? string.Join(",", layers.Select(l => l.Name)) : "");
        return onnx;
    }

    /// <summary>The name of conv layer <paramref name="layer"/>'s Conv node output (its maps before ReLU): <c>conv1_conv</c>, ….</summary>
    public static string PreActivationName(ConvLayerShape layer) => layer.Name + "_conv";

    /// <summary>Writes the model to <paramref name="stream"/> (left open).</summary>
    public static void Write(TrainedCnn model, Stream stream, bool includeFeatureMaps)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(model, includeFeatureMaps).WriteTo(stream);
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <exception cref="IOException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="OutputFileException">The folder cannot be created or written, or the disk is full.</exception>
    public static void Save(TrainedCnn model, string path, bool includeFeatureMaps, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        // Fail on an existing file before building the graph; AtomicFile checks again at the rename.
        OutputFile.Check(full, overwrite, existsError: null);
        var bytes = Build(model, includeFeatureMaps).ToByteArray();
        AtomicFile.Write(full, stream => stream.Write(bytes), overwrite);
    }


    // Circular padding along one axis: Concat(x[size-p:size], x, x[0:p]).
    private static string Wrap(OnnxGraphBuilder graph, string x, string layer, int axis, int size, int p)
    {
        var side = axis == 2 ? "h" : "w";
        var axes = graph.Int64Tensor($"{layer}_wrap_{side}_axes", axis);
        var tail = graph.Node("Slice", $"{layer}_wrap_{side}_tail", [x, graph.Int64Tensor($"{layer}_wrap_{side}_tail_starts", size - p), graph.Int64Tensor($"{layer}_wrap_{side}_tail_ends", size), axes]);
        var head = graph.Node("Slice", $"{layer}_wrap_{side}_head", [x, graph.Int64Tensor($"{layer}_wrap_{side}_head_starts", 0), graph.Int64Tensor($"{layer}_wrap_{side}_head_ends", p), axes]);
        return graph.Node("Concat", $"{layer}_wrap_{side}", [tail, x, head], Int("axis", axis));
    }

    private static string InputFormat(ConvNetArchitecture a) => a.PixelLayout == PixelLayout.Interleaved
        ? $"float32 [N, {a.InputHeight}, {a.InputWidth}, {a.InputChannels}]: {(a.InputChannels == 3 ? "interleaved R, G, B values of each pixel" : $"{a.InputChannels} interleaved channels")}, " +
          "pixel values in [0, 1] (byte / 255), no mean/std normalisation: what ML.NET's ExtractPixels(interleavePixelColors: true, scaleImage: 1f / 255) gives."
        : $"float32 [N, {a.InputChannels}, {a.InputHeight}, {a.InputWidth}]: {(a.InputChannels == 3 ? "planar R, G, B planes" : a.InputChannels == 1 ? "one grey plane" : $"{a.InputChannels} planar channels")}, " +
          "pixel values in [0, 1] (byte / 255), no mean/std normalisation: what ML.NET's ExtractPixels(interleavePixelColors: false, scaleImage: 1f / 255) gives.";

    private static string Describe(TrainedCnn model, bool includeFeatureMaps)
    {
        var a = model.Architecture;
        var blocks = string.Join(" → ", model.ConvLayers.Select(l => $"{l.Name} {l.InChannels}→{l.OutChannels} {l.KernelSize}×{l.KernelSize}"));
        return $"SimpleCnn trained with MlNetCnn: {blocks} (each conv, {a.PaddingMode.ToString().ToLowerInvariant()} padding {a.Padding}, → ReLU → max-pool 2×2), " +
               $"flatten → fc1 {a.FlattenedFeatures()}→{a.HiddenUnits} → ReLU → fc2 {a.HiddenUnits}→{a.ClassCount}. " +
               $"Input '{SimpleCnnOnnx.InputName}': {InputFormat(a)} Outputs: '{SimpleCnnOnnx.ProbabilitiesName}' [N, {a.ClassCount}], '{SimpleCnnOnnx.LogitsName}' [N, {a.ClassCount}]" +
               (includeFeatureMaps ? ", and each conv layer's post-ReLU maps (" + string.Join(", ", model.ConvLayers.Select(l => l.Name)) + ")" : "") +
               $". Classes in output order: {string.Join(", ", model.ClassNames)}.";
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    private static string ProducerVersion()
    {
        var assembly = typeof(SimpleCnnOnnxExport).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "0";
        // Drop Source Link's "+<commit>" suffix: the producer version is the package version.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
