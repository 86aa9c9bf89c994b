using System.IO.Compression;
using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Output;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Inputs;

/// <summary>The two model file kinds the CLI opens: our one-file model (.zip) and a PyTorch state_dict (.pth).</summary>
public static class ModelFiles
{
    public enum Kind
    {
        /// <summary>Written by <c>mlnetcnn train --output</c> / <c>SaveSimpleCnn</c>.</summary>
        MlNetCnn,

        /// <summary><c>torch.save(model.state_dict(), path)</c> of the seed's SimpleCNN.</summary>
        PyTorch,
    }

    /// <summary>By content where it can tell (a torch.save zip holds <c>…/data.pkl</c>), else by extension (.pth, .pt).</summary>
    public static Kind Detect(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            if (archive.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))) return Kind.PyTorch;
            if (archive.GetEntry("manifest.json") != null) return Kind.MlNetCnn;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Not a zip (or unreadable): the loader of the kind the name suggests reports it properly.
        }
        var extension = Path.GetExtension(path);
        return extension.Equals(".pth", StringComparison.OrdinalIgnoreCase) || extension.Equals(".pt", StringComparison.OrdinalIgnoreCase) ? Kind.PyTorch : Kind.MlNetCnn;
    }

    /// <summary>"a,b,c" → names; null when not given.</summary>
    public static IReadOnlyList<string>? ParseClassNames(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0)) throw new CliException(ExitCodes.UsageError, $"--class-names: '{text}' has an empty name (expected e.g. cat,dog,bird).");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new CliException(ExitCodes.UsageError, $"--class-names: '{text}' names a class twice.");
        return names;
    }

    /// <summary>
    /// Loadable but suspicious models (NaN or infinite weights) are warned about whatever their
    /// kind: a .zip records the warnings when loaded, a PyTorch state_dict is diagnosed here.
    /// </summary>
    internal static void WarnAbout(SimpleCnnTransformer classifier, string modelPath, ConsoleReporter reporter)
    {
        foreach (var warning in classifier.Model.LoadWarnings.Concat(classifier.Model.Diagnose()).Distinct(StringComparer.Ordinal))
            reporter.Warning($"{modelPath}: {warning}");
    }

    /// <summary>
    /// Opens a model file and the data to use it on. A PyTorch state_dict takes its input size from --image-size, else from
    /// the data's images (as <c>export</c> does), else (square images) from its fc1 weights and its class names from --class-names, else from the data. The data's labels
    /// are then put in the model's class order.
    /// </summary>
    public static (SimpleCnnTransformer Classifier, Dataset Data) OpenWithData(MLContext ml, string modelPath, DataLocation source, ImageShapeRequest shape,
        IReadOnlyList<string>? classNames, ConsoleReporter reporter, CancellationToken cancel)
    {
        // A folder is not "not found": the model loader names it as the wrong kind of input (exit 5).
        if (!File.Exists(modelPath) && !Directory.Exists(modelPath)) throw new FileNotFoundException($"Model file '{Path.GetFullPath(modelPath)}' not found.", modelPath);
        if (Detect(modelPath) == Kind.MlNetCnn)
        {
            if (classNames != null) throw new CliException(ExitCodes.UsageError, "--class-names applies to PyTorch state_dict files; a model written by `mlnetcnn train` has its class names.");
            var classifier = ml.Model.LoadSimpleCnn(modelPath);
            try
            {
                WarnAbout(classifier, modelPath, reporter);
                var data = Dataset.Open(ml, source, shape, reporter, cancel, model: classifier.Model.Architecture);
                return (classifier, data.AlignClasses(ml, classifier.Model.ClassNames));
            }
            catch
            {
                classifier.Dispose();
                throw;
            }
        }

        // A state_dict records no input size: --image-size, else the data's image size (as `export` takes it), else
        // derived from fc1 (square images only).
        (int Height, int Width)? size = shape.Height is { } h ? (h, shape.Width!.Value) : null;
        var sizeFrom = size != null ? "--image-size" : null;
        if (size == null && source.ImageSize(ml, cancel) is { } dataSize) (size, sizeFrom) = (dataSize, "the data's images");
        SimpleCnnTransformer loaded;
        Dataset? dataset = null;
        IReadOnlyList<string>? names = null;
        try
        {
            loaded = Load(size, sizeFrom);
        }
        catch (PyTorchModelException e) when (e.Key == "fc1.weight" && sizeFrom == "the data's images")
        {
            // Weights trained on another size than the data's: try fc1 (square images), as `export` does.
            try
            {
                loaded = Load(null, null);
            }
            catch (PyTorchModelException again) when (again.Key == "fc1.weight")
            {
                throw new CliException(ExitCodes.InvalidInput,
                    $"{e.Message} The data's images are {size!.Value.Height}×{size.Value.Width}: pass --image-size HEIGHTxWIDTH, the size of the images the model was trained on.", e);
            }
        }
        catch (PyTorchModelException e) when (e.Key == "fc1.weight")
        {
            throw new CliException(ExitCodes.InvalidInput, size == null
                ? $"{e.Message} Pass --image-size HEIGHTxWIDTH (or --data with images of that size), the size of the images the model was trained on."
                : $"{e.Message} --image-size gives {size.Value.Height}×{size.Value.Width} images: pass the size of the images the model was trained on.", e);
        }

        // The data is opened once the file's architecture is known, inside the load, so the .pth is read and checked once.
        SimpleCnnTransformer Load((int Height, int Width)? at, string? from) => ml.Model.LoadPyTorchSimpleCnn(modelPath, architecture =>
        {
            reporter.Info($"PyTorch state_dict {Path.GetFullPath(modelPath)}: conv channels [{string.Join(", ", architecture.ConvChannels)}], " +
                          $"{architecture.InputChannels}×{architecture.InputHeight}×{architecture.InputWidth} input " +
                          $"({from ?? "size derived from fc1; pass --image-size for other sizes"}), {architecture.ClassCount} classes.");
            dataset = Dataset.Open(ml, source, shape, reporter, cancel, model: architecture);
            names = classNames ?? dataset.ClassNames;
            if (names.Count != architecture.ClassCount)
                throw new CliException(ExitCodes.InvalidInput, classNames != null
                    ? $"--class-names gives {names.Count} names but the model has {architecture.ClassCount} outputs."
                    : $"The data has {names.Count} classes ({string.Join(", ", names)}) but the model has {architecture.ClassCount} outputs: pass --class-names with the model's classes in its output order.");
            reporter.Info(classNames != null ? $"Class names from --class-names: {string.Join(", ", names)}." : $"Class names from the data: {string.Join(", ", names)}.");
            return names;
        }, at?.Height, at?.Width);

        try
        {
            WarnAbout(loaded, modelPath, reporter);
            return (loaded, dataset!.AlignClasses(ml, names!));
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }
}
