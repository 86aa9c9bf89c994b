using MlNetCnn.Model.Inference.Proto;
using static MlNetCnn.Model.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// The ONNX graph of a trained <see cref="SimpleCnn"/>, op for op what <see cref="SimpleCnn.Forward"/> runs:
/// per conv layer Conv (k×k, stride 1, padding k/2: zeros as Conv's pads, circular as a wrap-around of Slice + Concat
/// first) → Relu → MaxPool 2×2 stride 2 (floor, ceil_mode 0); then Flatten(axis 1, the row-major C,H,W order of
/// <c>torch.flatten(1)</c>) → Gemm (fc1, transB) → Relu → Gemm (fc2) = <c>logits</c> → Softmax(axis 1) =
/// <c>probabilities</c>. No pixel normalisation happens inside the network, so none is in the graph.
/// Here in Model because the in-process ONNX Runtime engine runs it; the ONNX export (Interop/Onnx) adds the file's
/// metadata around the same graph.
/// </summary>
internal static class SimpleCnnOnnxGraph
{
    /// <summary>The input's name (public as <c>SimpleCnnOnnx.InputName</c>).</summary>
    public const string InputName = "input";

    /// <summary>The softmax output's name (public as <c>SimpleCnnOnnx.ProbabilitiesName</c>).</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The logits output's name (public as <c>SimpleCnnOnnx.LogitsName</c>).</summary>
    public const string LogitsName = "logits";

    /// <summary>The default-domain opset the graph uses (public as <c>SimpleCnnOnnx.OpsetVersion</c>).</summary>
    public const int OpsetVersion = 13;

    /// <summary>The ONNX IR version that goes with <see cref="OpsetVersion"/>.</summary>
    public const int IrVersion = 7;

    /// <summary>
    /// A ModelProto holding only the graph, IR version and opset of <paramref name="model"/>; with
    /// <paramref name="includeFeatureMaps"/> each conv layer's post-ReLU maps are outputs too, and with
    /// <paramref name="includePreActivations"/> its conv outputs before ReLU (<see cref="PreActivationName"/>; the
    /// in-process engine's, not written to files). The input is in the model's pixel layout, except with
    /// <paramref name="planarInput"/>: the engine is fed the planar rows the network computes on, whatever layout the
    /// model's column has. With <paramref name="lastLayer"/> the graph ends at that conv layer's maps (no pooling after
    /// it, no classifier head, no probabilities): the engine's graph for maps alone, which ONNX Runtime would otherwise
    /// compute the head of for nothing (it runs every node, whatever is fetched).
    /// </summary>
    public static ModelProto Build(TrainedCnn model, bool includeFeatureMaps, bool includePreActivations = false, bool planarInput = false, int? lastLayer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        IReadOnlyList<ConvLayerShape> layers = lastLayer is { } end ? [.. model.ConvLayers.Take(end + 1)] : model.ConvLayers;
        using var use = model.Use(); // a Dispose on another thread waits for the build to end
        var network = model.Network;
        var graph = new OnnxGraphBuilder("SimpleCnn");
        var x = InputName;
        if (a.PixelLayout == PixelLayout.Interleaved && !planarInput)
        {
            // The input is what the model's ML.NET column holds, [N, H, W, C]; the convs compute on [N, C, H, W].
            graph.Input(InputName, InputFormat(a), null, a.InputHeight, a.InputWidth, a.InputChannels);
            x = graph.Node("Transpose", "input_planar", [x], Ints("perm", 0, 3, 1, 2));
        }
        else
        {
            graph.Input(InputName, InputFormat(a), null, a.InputChannels, a.InputHeight, a.InputWidth);
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
            if (layer.Index == lastLayer) break;
            x = graph.Node("MaxPool", name + "_pool", [maps],
                Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Ints("pads", 0, 0, 0, 0), Int("ceil_mode", 0));
        }

        if (lastLayer is null)
        {
            var last = layers[^1];
            x = graph.Node("Flatten", "flatten", [x], Int("axis", 1));
            var fc1 = network.HiddenLayer;
            x = graph.Node("Gemm", "fc1_linear", [x,
                    graph.FloatTensor("fc1.weight", TensorData.ToArray(fc1.weight!), a.HiddenUnits, (long)last.OutChannels * last.PooledHeight * last.PooledWidth),
                    graph.FloatTensor("fc1.bias", TensorData.ToArray(fc1.bias!), a.HiddenUnits)],
                Int("transB", 1));
            x = graph.Node("Relu", "fc1", [x]);
            var fc2 = network.OutputLayer;
            var logits = graph.Node("Gemm", LogitsName, [x,
                    graph.FloatTensor("fc2.weight", TensorData.ToArray(fc2.weight!), a.ClassCount, a.HiddenUnits),
                    graph.FloatTensor("fc2.bias", TensorData.ToArray(fc2.bias!), a.ClassCount)],
                Int("transB", 1));
            graph.Node("Softmax", ProbabilitiesName, [logits], Int("axis", 1));
            // Probabilities first: serving code that takes "the" output without naming one gets them.
            graph.Output(ProbabilitiesName, $"Softmax class probabilities, [N, {a.ClassCount}], in class-name order.", null, a.ClassCount);
            graph.Output(LogitsName, $"Class logits before softmax, [N, {a.ClassCount}].", null, a.ClassCount);
        }
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

        var onnx = new ModelProto { IrVersion = IrVersion, Graph = graph.Graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return onnx;
    }

    /// <summary>The name of conv layer <paramref name="layer"/>'s Conv node output (its maps before ReLU): <c>conv1_conv</c>, ….</summary>
    public static string PreActivationName(ConvLayerShape layer) => layer.Name + "_conv";

    /// <summary>How the input pixels must be prepared, in words: the input's doc string and the export's metadata.</summary>
    public static string InputFormat(ConvNetArchitecture a) => a.PixelLayout == PixelLayout.Interleaved
        ? $"float32 [N, {a.InputHeight}, {a.InputWidth}, {a.InputChannels}]: {(a.InputChannels == 3 ? "interleaved R, G, B values of each pixel" : $"{a.InputChannels} interleaved channels")}, " +
          "pixel values in [0, 1] (byte / 255), no mean/std normalisation: what ML.NET's ExtractPixels(interleavePixelColors: true, scaleImage: 1f / 255) gives."
        : $"float32 [N, {a.InputChannels}, {a.InputHeight}, {a.InputWidth}]: {(a.InputChannels == 3 ? "planar R, G, B planes" : a.InputChannels == 1 ? "one grey plane" : $"{a.InputChannels} planar channels")}, " +
          "pixel values in [0, 1] (byte / 255), no mean/std normalisation: what ML.NET's ExtractPixels(interleavePixelColors: false, scaleImage: 1f / 255) gives.";

    // Circular padding along one axis: Concat(x[size-p:size], x, x[0:p]).
    private static string Wrap(OnnxGraphBuilder graph, string x, string layer, int axis, int size, int p)
    {
        var side = axis == 2 ? "h" : "w";
        var axes = graph.Int64Tensor($"{layer}_wrap_{side}_axes", axis);
        var tail = graph.Node("Slice", $"{layer}_wrap_{side}_tail", [x, graph.Int64Tensor($"{layer}_wrap_{side}_tail_starts", size - p), graph.Int64Tensor($"{layer}_wrap_{side}_tail_ends", size), axes]);
        var head = graph.Node("Slice", $"{layer}_wrap_{side}_head", [x, graph.Int64Tensor($"{layer}_wrap_{side}_head_starts", 0), graph.Int64Tensor($"{layer}_wrap_{side}_head_ends", p), axes]);
        return graph.Node("Concat", $"{layer}_wrap_{side}", [tail, x, head], Int("axis", axis));
    }
}
