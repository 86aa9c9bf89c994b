using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Model.Inference.Proto;
using MlNetCnn.Persistence;

namespace MlNetCnn.Interop.Onnx;

/// <summary>
/// The ONNX file of a trained <see cref="SimpleCnn"/>: <see cref="SimpleCnnOnnxGraph"/>'s graph (the same one the
/// in-process ONNX Runtime engine runs) with the producer, a description in words and the metadata of
/// <see cref="SimpleCnnOnnx"/> around it.
/// </summary>
internal static class SimpleCnnOnnxExport
{
    /// <summary>
    /// The ONNX model of <paramref name="model"/>, input in the model's pixel layout; with
    /// <paramref name="includeFeatureMaps"/> each conv layer's post-ReLU maps are outputs too.
    /// </summary>
    public static ModelProto Build(TrainedCnn model, bool includeFeatureMaps)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        var onnx = SimpleCnnOnnxGraph.Build(model, includeFeatureMaps);
        var description = Describe(model, includeFeatureMaps);
        onnx.Graph.DocString = description;
        onnx.ProducerName = SimpleCnnOnnx.ProducerName;
        onnx.ProducerVersion = ProducerVersion();
        onnx.Domain = "ai.mlnetcnn";
        onnx.ModelVersion = 1;
        onnx.DocString = description;
        AddMetadata(onnx, SimpleCnnOnnx.ClassNamesKey, JsonSerializer.Serialize(model.ClassNames));
        AddMetadata(onnx, SimpleCnnOnnx.InputShapeKey, a.PixelLayout == PixelLayout.Interleaved
            ? string.Create(CultureInfo.InvariantCulture, $"{a.InputHeight},{a.InputWidth},{a.InputChannels}")
            : string.Create(CultureInfo.InvariantCulture, $"{a.InputChannels},{a.InputHeight},{a.InputWidth}"));
        AddMetadata(onnx, SimpleCnnOnnx.ArchitectureKey, JsonSerializer.Serialize(a, SimpleCnnModelFile.JsonOptions));
        AddMetadata(onnx, SimpleCnnOnnx.InputFormatKey, SimpleCnnOnnxGraph.InputFormat(a));
        AddMetadata(onnx, SimpleCnnOnnx.FeatureMapOutputsKey, includeFeatureMaps ? string.Join(",", model.ConvLayers.Select(l => l.Name)) : "");
        return onnx;
    }

    /// <summary>Writes the model to <paramref name="stream"/> (left open).</summary>
    public static void Write(TrainedCnn model, Stream stream, bool includeFeatureMaps)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Build(model, includeFeatureMaps).WriteTo(stream);
    }

    /// <summary>Writes the model to the checked <paramref name="output"/> atomically (temporary file, then rename).</summary>
    /// <exception cref="OutputFileExistsException">A file appeared there since the check and overwriting was not allowed.</exception>
    /// <exception cref="OutputFileException">The folder cannot be created or written, or the disk is full.</exception>
    public static void Save(TrainedCnn model, OutputTarget output, bool includeFeatureMaps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var bytes = Build(model, includeFeatureMaps).ToByteArray();
        AtomicFile.Write(output, stream => stream.Write(bytes));
    }

    private static string Describe(TrainedCnn model, bool includeFeatureMaps)
    {
        var a = model.Architecture;
        var blocks = string.Join(" → ", model.ConvLayers.Select(l => $"{l.Name} {l.InChannels}→{l.OutChannels} {l.KernelSize}×{l.KernelSize}"));
        return $"SimpleCnn trained with MlNetCnn: {blocks} (each conv, {a.PaddingMode.ToString().ToLowerInvariant()} padding {a.Padding}, → ReLU → max-pool 2×2), " +
               $"flatten → fc1 {a.FlattenedFeatures()}→{a.HiddenUnits} → ReLU → fc2 {a.HiddenUnits}→{a.ClassCount}. " +
               $"Input '{SimpleCnnOnnx.InputName}': {SimpleCnnOnnxGraph.InputFormat(a)} Outputs: '{SimpleCnnOnnx.ProbabilitiesName}' [N, {a.ClassCount}], '{SimpleCnnOnnx.LogitsName}' [N, {a.ClassCount}]" +
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
