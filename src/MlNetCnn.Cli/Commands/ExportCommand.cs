using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Interop;
using MlNetCnn.Persistence;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn export --model model.zip --output model.onnx</c>: converts a model, the format following the output's
/// extension: <c>.onnx</c> an ONNX model (ONNX Runtime, ML.NET's ApplyOnnxModel; no libtorch needed to serve it),
/// <c>.pth</c>/<c>.pt</c> a PyTorch state_dict that the seed's SimpleCNN loads with <c>load_state_dict</c>, anything
/// else (<c>.zip</c>) a model file of ours. The source is a model file of ours or a PyTorch state_dict.
/// </summary>
public static class ExportCommand
{
    /// <summary>The formats <c>export</c> writes, chosen by the output's extension.</summary>
    public enum Format
    {
        /// <summary>A model file of ours (.zip, or any other extension).</summary>
        ModelFile,

        /// <summary>A PyTorch state_dict (.pth, .pt).</summary>
        PyTorch,

        /// <summary>An ONNX model (.onnx).</summary>
        Onnx,
    }

    /// <summary>The format <paramref name="path"/>'s extension asks for.</summary>
    public static Format FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".onnx" => Format.Onnx,
        ".pth" or ".pt" => Format.PyTorch,
        _ => Format.ModelFile,
    };

    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model to convert: a file from `mlnetcnn train --output`, or a PyTorch state_dict (.pth)", Required = true };
        var output = new Option<string>("--output", "-o")
        {
            Description = "File to write, format by extension: .onnx for an ONNX model (ONNX Runtime, ML.NET ApplyOnnxModel), " +
                          ".pth/.pt for a PyTorch state_dict (torch.load + load_state_dict), .zip for a model file of ours",
            Required = true,
        };
        var featureMaps = new Option<bool>("--feature-maps")
        {
            Description = "ONNX only: also output every conv layer's post-ReLU maps, named conv1, conv2, … (float [N, C, H, W])",
        };
        var classNames = CommonOptions.ClassNames();
        var imageSize = CommonOptions.ImageSize();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("export", "Convert a model between this tool's model file, a PyTorch state_dict of the seed's SimpleCNN and ONNX (by the output's extension)")
            { model, output, featureMaps, classNames, imageSize, force, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), reporter =>
        {
            var source = parse.GetValue(model)!;
            var target = parse.GetValue(output)!;
            var format = FormatOf(target);
            if (parse.GetValue(featureMaps) && format != Format.Onnx)
                throw new CliException(ExitCodes.UsageError, $"--feature-maps applies to ONNX output, but '{target}' is not a .onnx file.");
            CommonOptions.EnsureWritable(target, parse.GetValue(force));
            if (!File.Exists(source)) throw new FileNotFoundException($"Model file '{Path.GetFullPath(source)}' not found.", source);
            var ml = new MLContext(seed: 1);
            var fromPyTorch = ModelFiles.Detect(source) == ModelFiles.Kind.PyTorch;
            if (!fromPyTorch && format == Format.ModelFile)
                throw new CliException(ExitCodes.UsageError, $"'{target}' would be a model file like '{source}': give --output a .onnx name for ONNX or a .pth name for a PyTorch state_dict.");
            if (fromPyTorch && format == Format.PyTorch)
                throw new CliException(ExitCodes.UsageError, $"'{source}' is already a PyTorch state_dict: give --output a .zip name to make a model file of ours, or a .onnx name for ONNX.");

            using var classifier = fromPyTorch ? OpenPyTorch() : ml.Model.LoadSimpleCnn(source);
            switch (format)
            {
                case Format.Onnx:
                    WriteOnnx(ml, classifier, target, parse.GetValue(featureMaps), reporter);
                    break;
                case Format.PyTorch:
                    WritePyTorch(ml, classifier, target, reporter);
                    break;
                default:
                    ml.Model.SaveSimpleCnn(classifier, target);
                    reporter.Result($"model file written to {Path.GetFullPath(target)} (classes {string.Join(", ", classifier.Model.ClassNames)})");
                    break;
            }
            return Task.FromResult(ExitCodes.Success);

            SimpleCnnTransformer OpenPyTorch()
            {
                var size = ImageShapeRequest.ParseSize(parse.GetValue(imageSize));
                return ml.Model.LoadPyTorchSimpleCnn(source, ModelFiles.ParseClassNames(parse.GetValue(classNames)), size?.Height, size?.Width);
            }
        }));
        return command;
    }

    private static void WriteOnnx(MLContext ml, SimpleCnnTransformer classifier, string target, bool featureMaps, Output.ConsoleReporter reporter)
    {
        ml.Model.SaveSimpleCnnAsOnnx(classifier, target, featureMaps, overwrite: true);
        var a = classifier.Model.Architecture;
        var outputs = new List<string> { SimpleCnnOnnx.ProbabilitiesName, SimpleCnnOnnx.LogitsName };
        if (featureMaps) outputs.AddRange(classifier.Model.ConvLayers.Select(l => l.Name));
        reporter.Result($"ONNX model (opset {SimpleCnnOnnx.OpsetVersion}) written to {Path.GetFullPath(target)}: input '{SimpleCnnOnnx.InputName}' float [N, {a.InputChannels}, {a.InputHeight}, {a.InputWidth}] " +
                        $"(pixels in [0, 1], planar), outputs {string.Join(", ", outputs)}; classes in output order: {string.Join(", ", classifier.Model.ClassNames)}");
    }

    private static void WritePyTorch(MLContext ml, SimpleCnnTransformer classifier, string target, Output.ConsoleReporter reporter)
    {
        ml.Model.SavePyTorchStateDict(classifier, target, overwrite: true);
        var a = classifier.Model.Architecture;
        reporter.Result($"PyTorch state_dict written to {Path.GetFullPath(target)} ({string.Join(", ", PyTorchStateDict.ExpectedKeys(a).Select(k => k.Key))}); " +
                        $"classes in output order: {string.Join(", ", classifier.Model.ClassNames)}");
        if (a.InputChannels != 3 || a.InputHeight != 32 || a.InputWidth != 32 || !a.ConvChannels.SequenceEqual([6, 12]) || a.HiddenUnits != 120 || a.ClassCount != 10)
            reporter.Info($"This network ({a.InputChannels}×{a.InputHeight}×{a.InputWidth} input, conv channels [{string.Join(", ", a.ConvChannels)}], {a.HiddenUnits} hidden, {a.ClassCount} classes) " +
                          "differs from the seed's SimpleCNN: change the class's layer sizes (and the view in forward) to match before load_state_dict.");
    }
}
