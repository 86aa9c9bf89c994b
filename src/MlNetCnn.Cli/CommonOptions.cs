using System.CommandLine;
using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Cli;

/// <summary>Options several commands share; each call makes a fresh instance for one command.</summary>
public static class CommonOptions
{
    /// <summary>The CLI trains 10 epochs by default (the library's default is the seed's single epoch): ~47% in PyTorch.</summary>
    public const int CliEpochs = 10;

    public static Option<string?> Data() => new("--data")
    {
        Description = "CIFAR-10 binary files, or an image folder (one sub-folder of PNG/JPEG/… images per class, or train/ and test/ trees of them); " +
                      "default: data/cifar-10-batches-bin, then ../shared/cifar-10-subset",
    };

    public static Option<string?> ImageSize() => new("--image-size")
    {
        Description = "Image-folder data: resize every image to HEIGHTxWIDTH, e.g. 28x28 (default: the most common size of the training images)",
    };

    public static Option<bool> Grayscale() => new("--grayscale")
    {
        Description = "Image-folder data: read one grey channel instead of three colour channels (default when every image is greyscale)",
    };

    /// <summary>The --image-size / --grayscale pair as one request.</summary>
    public static ImageShapeRequest ShapeRequest(System.CommandLine.ParseResult parse, Option<string?> imageSize, Option<bool> grayscale)
    {
        var size = ImageShapeRequest.ParseSize(parse.GetValue(imageSize));
        return new ImageShapeRequest(size?.Height, size?.Width, parse.GetValue(grayscale));
    }

    public static Option<string?> ClassNames() => new("--class-names")
    {
        Description = "PyTorch state_dict models: class names in the order of the model's outputs, comma separated (default: the data's classes)",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print results only: no progress bars (for CI and scripts)" };

    public static Option<bool> Force() => new("--force") { Description = "Overwrite output files that already exist" };

    public static Option<int> Epochs() => new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => CliEpochs };

    public static Option<int> Seed() => new("--seed") { Description = "Seed for weights, shuffling and experiments", DefaultValueFactory = _ => TrainingDefaults.Seed };

    public static Option<int?> Threads() => new("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => TrainingDefaults.Threads };

    public static Option<int> BatchSize() => new("--batch-size") { Description = "Training mini-batch size", DefaultValueFactory = _ => TrainingDefaults.BatchSize };

    public static Option<double> LearningRate() => new("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => TrainingDefaults.LearningRate };

    public static Option<string> ConvChannels() => new("--conv-channels")
    {
        Description = "Output channels of each conv layer, comma separated (6,12 is the seed's network; 6,12,24 adds a layer)",
        DefaultValueFactory = _ => string.Join(",", ConvNetArchitecture.Default.ConvChannels),
    };

    public static Option<int?> MaxTrainImages() => new("--max-train") { Description = "Use only the first N training images (quick runs)" };

 /// <summary>Fails with exit code 4 when <paramref name="path"/> exists and --force was not given.</summary>
    public static void EnsureWritable(string? path, bool force)
    {
        if (path != null && File.Exists(path) && !force)
            throw new CliException(ExitCodes.OutputExists, $"{Path.GetFullPath(path)} already exists; pass --force to overwrite it.");
    }

    /// <summary>Parses "6,12,24" into channel counts with a message naming the bad entry.</summary>
    public static int[] ParseChannels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var channels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out channels[i]) || channels[i] < 1)
                throw new CliException(ExitCodes.UsageError, $"--conv-channels: '{parts[i]}' is not a positive whole number (expected e.g. 6,12).");
        }
        if (channels.Length == 0) throw new CliException(ExitCodes.UsageError, "--conv-channels needs at least one layer, e.g. 6,12.");
        return channels;
    }
}
