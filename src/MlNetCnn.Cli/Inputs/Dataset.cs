using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Model;

namespace MlNetCnn.Cli.Inputs;

/// <summary>
/// A <see cref="DataLocation"/> opened: training and test images as the CNN reads them — a <c>Features</c> column (C×H×W planar floats in [0,1]) and a
/// key <c>Label</c> with class names — from CIFAR-10 binary files or an image-folder tree.
/// </summary>
public sealed class Dataset
{
    private Dataset(DataLocation source, IDataView train, IDataView test, long trainCount, long testCount, IReadOnlyList<string> classNames, int channels, int height, int width)
    {
        Source = source;
        Train = train;
        Test = test;
        TrainCount = trainCount;
        TestCount = testCount;
        ClassNames = classNames;
        (Channels, Height, Width) = (channels, height, width);
    }

    public DataLocation Source { get; }

    public IDataView Train { get; }

    public IDataView Test { get; }

    public long TrainCount { get; }

    public long TestCount { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>"3×32×32 images" and so on, for messages.</summary>
    public string ShapeText => $"{Channels}×{Height}×{Width}";

    /// <summary>
    /// Opens the data. For an image folder the size is <paramref name="request"/>'s or the most common size of the
    /// training images, and the channel count 1 when asked or when every image is grey, else 3; the model, when given,
    /// fixes both (its input shape must be used). <paramref name="maxTrain"/> keeps a seeded random sample of that many
    /// training images (image folders list them by class, so the first N would miss classes).
    /// </summary>
    /// <param name="cancel">Stops the scan of an image folder (Ctrl+C, SIGTERM).</param>
    public static Dataset Open(MLContext ml, DataLocation source, ImageShapeRequest request, ConsoleReporter reporter, CancellationToken cancel, int? maxTrain = null,
        ConvNetArchitecture? model = null, int seed = 1)
    {
        if (source.Kind == DataFolderKind.Cifar10)
        {
            if (request.IsSet)
                throw new CliException(ExitCodes.UsageError,
                    "--image-size and --grayscale apply to image-folder data; CIFAR-10 binary files are 32×32 colour images and are read as they are.");
            var train = ml.Data.LoadFromCifar10(source.Directory, Cifar10Split.Train, maxTrain);
            var test = ml.Data.LoadFromCifar10(source.Directory, Cifar10Split.Test);
            return new Dataset(source, train, test, train.RowCount, test.RowCount, train.ClassNames, 3, 32, 32);
        }

        // Every image is decoded in full here (VerifyImages), so a truncated or corrupt file is exit 5 naming it before any training.
        // The library's default split (a seeded share of each class when there is no test/ tree), the same in every command.
        var folderOptions = new ImageFolderOptions();
        var (trainFiles, testFiles) = ml.Data.LoadFromImageFolderSplits(source.Directory, folderOptions, cancel);
        var (height, width, channels) = ChooseShape(trainFiles, request, model, reporter);
        var layout = trainFiles.Layout switch
        {
            ImageFolderLayout.TrainTestTrees => "train/ and test/ trees",
            ImageFolderLayout.TrainTreeOnly => $"a train/ tree, {folderOptions.TestFraction:P0} of each class held out for testing (no test/ tree)",
            _ => $"one tree, {folderOptions.TestFraction:P0} of each class held out for testing",
        };
        reporter.Info($"{trainFiles.ClassNames.Count} classes ({string.Join(", ", trainFiles.ClassNames)}): {trainFiles.RowCount:N0} training / {testFiles.RowCount:N0} test images ({layout}); " +
                      $"read as {channels}×{height}×{width}.");
        if (testFiles.RowCount == 0)
            throw new CliException(ExitCodes.InvalidInput, $"The image folder '{source.Directory}' has no test images (each class needs at least 2 images, or a test/ tree).");

        var pixels = ml.Transforms.LoadImagePixels(trainFiles.RootDirectory, height, width, grayscale: channels == 1);
        // Rows come sorted by class; a seeded full shuffle of the (tiny) path rows makes any first-N sample cover every class.
        IDataView Shuffled(IDataView files) => ml.Data.ShuffleRows(files, seed, shufflePoolSize: (int)Math.Max(1, files.GetRowCount() ?? 1));
        IDataView trainRows = Shuffled(trainFiles);
        var trainCount = trainFiles.RowCount;
        if (maxTrain is { } max && max < trainCount)
        {
            trainRows = ml.Data.TakeRows(trainRows, max);
            trainCount = max;
        }
        var fitted = pixels.Fit(trainFiles);
        return new Dataset(source, fitted.Transform(trainRows), fitted.Transform(Shuffled(testFiles)), trainCount, testFiles.RowCount,
            trainFiles.ClassNames, channels, height, width);
    }

    private static (int Height, int Width, int Channels) ChooseShape(ImageFolderDataView train, ImageShapeRequest request, ConvNetArchitecture? model, ConsoleReporter reporter)
    {
        if (model != null)
        {
            if (request.Height is { } h && (h, request.Width) != (model.InputHeight, model.InputWidth))
                throw new CliException(ExitCodes.UsageError, $"--image-size {h}x{request.Width} does not fit the model, which takes {model.InputHeight}×{model.InputWidth} images; leave it out.");
            if (request.Grayscale && model.InputChannels != 1)
                throw new CliException(ExitCodes.UsageError, $"--grayscale does not fit the model, which takes {model.InputChannels}-channel images; leave it out.");
            if (model.InputChannels is not (1 or 3))
                throw new CliException(ExitCodes.InvalidInput, $"The model takes {model.InputChannels}-channel images; image files give 1 (grey) or 3 (colour) channels.");
            return (model.InputHeight, model.InputWidth, model.InputChannels);
        }

        var sizes = train.ImageSizes;
        int height, width;
        if (request.Height is { } rh)
        {
            (height, width) = (rh, request.Width!.Value);
        }
        else
        {
            (height, width, var count) = sizes[0];
            if (sizes.Count > 1)
                reporter.Info($"The training images have {sizes.Count} different sizes; all are resized to the most common one, {height}×{width} ({count:N0} images). Pass --image-size HxW to choose.");
        }
        var channels = 3;
        if (request.Grayscale)
        {
            channels = 1;
        }
        else if (train.AllGrayscale)
        {
            channels = 1;
            reporter.Info("Every training image is greyscale: training a 1-channel model.");
        }
        return (height, width, channels);
    }

    /// <summary>
    /// The same data with its labels in the model's class order, matched by name (folder names sort ordinally, a
    /// PyTorch model's outputs may be in another order; a test folder may hold only some of the classes). A data class the
    /// model does not know fails with exit code 5.
    /// </summary>
    public Dataset AlignClasses(MLContext ml, IReadOnlyList<string> modelClasses)
    {
        if (modelClasses.SequenceEqual(ClassNames, StringComparer.Ordinal)) return this;
        var unknown = ClassNames.Where(n => !modelClasses.Contains(n, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
            throw new CliException(ExitCodes.InvalidInput,
                ClassMismatchMessage(ClassNames, unknown, modelClasses) +
                " Use data with the model's classes" + (Source.Kind == DataFolderKind.ImageFolder ? ", or for a PyTorch model pass --class-names in its output order." : "."));
        var keyData = ml.Data.LoadFromEnumerable(modelClasses.Select(n => new ClassName { Value = n }));
        var remap = ml.Transforms.Conversion.MapKeyToValue("Label")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData));
        IDataView Map(IDataView view) => remap.Fit(view).Transform(view);
        return new Dataset(Source, Map(Train), Map(Test), TrainCount, TestCount, modelClasses, Channels, Height, Width);
    }

    /// <summary>
    /// Says which of the data's classes the model does not know, listing each side once: the data's classes (or just
    /// the unknown ones when only some are) and the model's.
    /// </summary>
    public static string ClassMismatchMessage(IReadOnlyList<string> dataClasses, IReadOnlyList<string> unknown, IReadOnlyList<string> modelClasses)
    {
        var model = string.Join(", ", modelClasses);
        return unknown.Count == dataClasses.Count
            ? $"None of the data's classes ({string.Join(", ", dataClasses)}) is a class of the model (its classes: {model})."
            : $"{unknown.Count} of the data's {dataClasses.Count} classes, {string.Join(", ", unknown)}, {(unknown.Count == 1 ? "is" : "are")} not a class of the model (its classes: {model}).";
    }

    private sealed class ClassName
    {
        public string Value { get; set; } = "";
    }
}
