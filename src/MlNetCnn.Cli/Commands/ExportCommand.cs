using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn export --model model.zip --output model.onnx</c>: converts a model, the format following the output's
/// extension: <c>.onnx</c> an ONNX model (ONNX Runtime, ML.NET's ApplyOnnxModel; no libtorch needed to serve it),
/// <c>.pth</c>/<c>.pt</c> a PyTorch state_dict that the seed's SimpleCNN loads with <c>load_state_dict</c>, anything
/// else (<c>.zip</c>) a model file of ours. The source is a model file of ours or a PyTorch state_dict.
/// A state_dict holds weights only, so going back needs the class names (<c>--class-names</c>, or <c>--data</c> to take
/// the data's) and, for non-square images, the input size (<c>--image-size</c>): without names export refuses (exit 2)
/// rather than write a model whose classes are "0", "1", ….
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
        var classNames = ClassNamesOption();
        var data = DataOption();
        var imageSize = ImageSizeOption();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("export",
            "Convert a model between this tool's model file (.zip), a PyTorch state_dict (.pth) of the seed's SimpleCNN and ONNX (.onnx), by the output's extension. " +
            "A state_dict holds no class names or image size: from a .pth, give --class-names or --data (and --image-size for non-square images)")
            { model, output, featureMaps, classNames, data, imageSize, force, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var source = parse.GetValue(model)!;
            var target = parse.GetValue(output)!;
            // The path first (exit 2 for an input, 6 for a folder such as 'x.onnx/.'), then what its extension asks for.
            CommonOptions.EnsureNotAnInput(target, ("--model", source), ("--data", parse.GetValue(data)));
            var written = CommonOptions.EnsureWritable(target, parse.GetValue(force))!;
            var format = FormatOf(target);
            if (parse.GetValue(featureMaps) && format != Format.Onnx)
                throw new CliException(ExitCodes.UsageError, $"--feature-maps applies to ONNX output, but '{target}' is not a .onnx file.");
            if (!File.Exists(source)) throw new FileNotFoundException($"Model file '{Path.GetFullPath(source)}' not found.", source);
            var ml = new MLContext(seed: 1);
            var names = parse.GetValue(classNames);
            var dataPath = parse.GetValue(data);
            var size = parse.GetValue(imageSize);
            var fromPyTorch = ModelFiles.Detect(source) == ModelFiles.Kind.PyTorch;
            if (!fromPyTorch)
            {
                var given = new[] { (names != null, "--class-names"), (dataPath != null, "--data"), (size != null, "--image-size") }.Where(o => o.Item1).Select(o => o.Item2).ToArray();
                if (given.Length > 0)
                    throw new CliException(ExitCodes.UsageError,
                        $"{string.Join(" and ", given)} {(given.Length == 1 ? "applies" : "apply")} to a PyTorch state_dict source; '{source}' is a model file of ours, which keeps its class names and input size: leave {(given.Length == 1 ? "it" : "them")} out.");
                if (format == Format.ModelFile)
                    throw new CliException(ExitCodes.UsageError, $"'{target}' would be a model file like '{source}': give --output a .onnx name for ONNX or a .pth name for a PyTorch state_dict.");
            }
            else
            {
                if (format == Format.PyTorch)
                    throw new CliException(ExitCodes.UsageError, $"'{source}' is already a PyTorch state_dict: give --output a .zip name to make a model file of ours, or a .onnx name for ONNX.");
                if (names == null && dataPath == null)
                    throw new CliException(ExitCodes.UsageError,
                        $"'{source}' is a PyTorch state_dict, which holds no class names: pass --class-names with the model's classes in its output order (e.g. --class-names cat,dog,bird) " +
                        "or --data with the data it was trained on (its classes are used, as `mlnetcnn report` does). Without them the model file would name its classes 0, 1, 2, ….");
            }

            using var classifier = fromPyTorch ? FromPyTorch(ml, source, names, dataPath, size, reporter, cancel) : ml.Model.LoadSimpleCnn(source);
            // The same warnings as every verb that opens a model (NaN or infinite weights would export silently).
            ModelFiles.WarnAbout(classifier, source, reporter);
            var a = classifier.Model.Architecture;
            // The last moment a signal stops the export with nothing written; once publishing starts it completes.
            cancel.ThrowIfCancellationRequested();
            switch (format)
            {
                case Format.Onnx:
                    WriteOnnx(ml, classifier, written, parse.GetValue(featureMaps), reporter);
                    break;
                case Format.PyTorch:
                    ml.Model.SavePyTorchStateDict(classifier, written);
                    reporter.Result($"PyTorch state_dict written to {Path.GetFullPath(target)} ({string.Join(", ", PyTorchStateDict.ExpectedKeys(a).Select(k => k.Key))}); " +
                                    $"classes in output order: {string.Join(", ", classifier.Model.ClassNames)}");
                    reporter.Info("A state_dict holds weights only, not the class names or the image size. To make a model file from it again: " +
                                  BackCommand(target, classifier.Model.ClassNames, a));
                    if (a.InputChannels != 3 || a.InputHeight != 32 || a.InputWidth != 32 || !a.ConvChannels.SequenceEqual([6, 12]) || a.HiddenUnits != 120 || a.ClassCount != 10)
                        reporter.Info($"This network ({a.InputChannels}×{a.InputHeight}×{a.InputWidth} input, conv channels [{string.Join(", ", a.ConvChannels)}], {a.HiddenUnits} hidden, {a.ClassCount} classes) " +
                                      "differs from the seed's SimpleCNN: change the class's layer sizes (and the view in forward) to match before load_state_dict.");
                    if (PyTorchStateDict.PaddingModeNote(a) is { } padding)
                        reporter.Warning(padding);
                    if (a.PixelLayout == PixelLayout.Interleaved)
                        reporter.Info("This model reads interleaved pixels (H×W×C) in ML.NET; PyTorch's class takes planar [N, C, H, W] batches (x.permute(0, 3, 1, 2) converts).");
                    break;
                default:
                    ml.Model.SaveSimpleCnn(classifier, written);
                    reporter.Result($"model file written to {Path.GetFullPath(target)} ({a.InputChannels}×{a.InputHeight}×{a.InputWidth} input; classes {string.Join(", ", classifier.Model.ClassNames)})");
                    break;
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static void WriteOnnx(MLContext ml, SimpleCnnTransformer classifier, OutputTarget target, bool featureMaps, ConsoleReporter reporter)
    {
        ml.Model.SaveSimpleCnnAsOnnx(classifier, target, featureMaps);
        var a = classifier.Model.Architecture;
        var outputs = new List<string> { SimpleCnnOnnx.ProbabilitiesName, SimpleCnnOnnx.LogitsName };
        if (featureMaps) outputs.AddRange(classifier.Model.ConvLayers.Select(l => l.Name));
        var input = a.PixelLayout == PixelLayout.Interleaved
            ? $"[N, {a.InputHeight}, {a.InputWidth}, {a.InputChannels}] (pixels in [0, 1], interleaved)"
            : $"[N, {a.InputChannels}, {a.InputHeight}, {a.InputWidth}] (pixels in [0, 1], planar)";
        reporter.Result($"ONNX model (opset {SimpleCnnOnnx.OpsetVersion}) written to {target.FullPath}: input '{SimpleCnnOnnx.InputName}' float {input}, outputs {string.Join(", ", outputs)}; classes in output order: {string.Join(", ", classifier.Model.ClassNames)}");
    }

    /// <summary>
    /// Opens a state_dict with the class names from <paramref name="names"/> or the data, and the input size from
    /// <paramref name="size"/>, else the data's image size when the weights fit it, else derived from fc1 (square images).
    /// The file is read once (twice only when the data's image size does not fit the weights and fc1 is asked instead).
    /// </summary>
    private static SimpleCnnTransformer FromPyTorch(MLContext ml, string source, IReadOnlyList<string>? names, string? dataPath,
        (int Height, int Width)? size, ConsoleReporter reporter, CancellationToken cancel)
    {
        var dataSource = dataPath == null ? null : new DataLocator(reporter).Locate(dataPath, cancel);
        if (size != null) return FromPyTorch(ml, source, names, dataSource, size, "--image-size", reporter, cancel);
        if (dataSource?.ImageSize(ml, cancel) is { } dataSize)
        {
            try
            {
                return FromPyTorch(ml, source, names, dataSource, dataSize, "the data's images", reporter, cancel);
            }
            catch (PyTorchModelException e) when (e.IsInputSizeMismatch)
            {
                // The weights were trained on another size than the data's: fall back to fc1 (square images) below.
            }
        }
        return FromPyTorch(ml, source, names, dataSource, null, null, reporter, cancel);
    }

    // One read of the state_dict: the data is opened and the class names settled inside the load, once the architecture is known.
    private static SimpleCnnTransformer FromPyTorch(MLContext ml, string source, IReadOnlyList<string>? names, DataLocation? dataSource,
        (int Height, int Width)? size, string? sizeFrom, ConsoleReporter reporter, CancellationToken cancel)
    {
        try
        {
            return ml.Model.LoadPyTorchSimpleCnn(source, architecture =>
            {
                reporter.Info($"PyTorch state_dict {Path.GetFullPath(source)}: {architecture.InputChannels}×{architecture.InputHeight}×{architecture.InputWidth} input " +
                              $"({sizeFrom ?? "size derived from fc1 for square images; pass --image-size for others"}), conv channels [{string.Join(", ", architecture.ConvChannels)}], {architecture.ClassCount} classes.");
                return ClassNames(ml, names, dataSource, architecture, reporter, cancel);
            }, size?.Height, size?.Width);
        }
        // Only a shape that does not fit is about the image size; a wrong value type (int64 weights) is not.
        catch (PyTorchModelException e) when (e.IsInputSizeMismatch && sizeFrom != "the data's images")
        {
            throw new CliException(ExitCodes.InvalidInput, size == null
                ? $"{e.Message} Pass --image-size HEIGHTxWIDTH, the size of the images the model was trained on."
                : $"{e.Message} {sizeFrom} gives {size.Value.Height}×{size.Value.Width} images: pass --image-size with the size of the images the model was trained on.", e);
        }
    }

    /// <summary>The model's class names: <paramref name="names"/> checked against the data, or the data's own.</summary>
    private static IReadOnlyList<string> ClassNames(MLContext ml, IReadOnlyList<string>? names, DataLocation? dataSource, ConvNetArchitecture architecture, ConsoleReporter reporter,
        CancellationToken cancel)
    {
        if (dataSource != null)
        {
            var dataset = Dataset.Open(ml, dataSource, ImageShapeRequest.None, reporter, cancel, model: architecture);
            if (names == null)
            {
                if (dataset.ClassNames.Count != architecture.ClassCount)
                    throw new CliException(ExitCodes.InvalidInput,
                        $"The data has {dataset.ClassNames.Count} classes ({string.Join(", ", dataset.ClassNames)}) but the model has {architecture.ClassCount} outputs: " +
                        "pass --class-names with the model's classes in its output order.");
                names = dataset.ClassNames;
                reporter.Info($"Class names from the data: {string.Join(", ", names)}.");
            }
            else
            {
                // The data must be usable with the names given: every class of it is one of the model's.
                dataset.AlignClasses(ml, names);
            }
        }
        if (names!.Count != architecture.ClassCount)
            throw new CliException(ExitCodes.InvalidInput, $"--class-names gives {names.Count} names ({string.Join(", ", names)}) but the model has {architecture.ClassCount} outputs.");
        return names;
    }

    /// <summary>The export command that turns the written state_dict back into the same model file.</summary>
    private static string BackCommand(string pth, IReadOnlyList<string> classNames, ConvNetArchitecture architecture)
    {
        static string Quote(string text) => text.Any(c => char.IsWhiteSpace(c) || "'\"$`\\!*?;&|<>()[]{}#~".Contains(c)) ? $"'{text.Replace("'", "'\\''")}'" : text;
        // fc1 gives the size back only for square images that every pooling halves exactly.
        var derivable = architecture.InputHeight == architecture.InputWidth && architecture.InputHeight % (1 << architecture.ConvChannels.Count) == 0;
        return $"mlnetcnn export --model {Quote(pth)} --output model.zip --class-names {Quote(string.Join(",", classNames))}" +
               (derivable ? "" : $" --image-size {architecture.InputHeight}x{architecture.InputWidth}") + " (or --data with the data it was trained on).";
    }

    // The shared options (same parsing and checks as every verb's), described for a state_dict being converted.
    private static Option<IReadOnlyList<string>?> ClassNamesOption() => Described(CommonOptions.ClassNames(),
        "From a PyTorch state_dict: the model's class names in the order of its outputs, comma separated (or --data to take the data's). " +
        "One of the two is required: a state_dict holds no class names");

    private static Option<string?> DataOption() => Described(CommonOptions.Data(),
        "From a PyTorch state_dict: the data the model was trained on (CIFAR-10 binary files or an image folder); its class names, " +
        "and an image folder's image size, go into the model file");

    // Checked while parsing, as every verb's --image-size is (a bad or too large size is exit 2 before any file is read).
    private static Option<(int Height, int Width)?> ImageSizeOption() => Described(CommonOptions.ImageSize(),
        "From a PyTorch state_dict: the HEIGHTxWIDTH of the images the model takes, e.g. 48x40 (a state_dict does not store it; " +
        "default: the --data images' size when the weights fit it, else derived from fc1 for square images)");

    private static Option<T> Described<T>(Option<T> option, string description)
    {
        option.Description = description;
        return option;
    }
}
