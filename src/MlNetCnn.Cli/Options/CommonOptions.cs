using System.CommandLine;
using System.Globalization;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Options;

/// <summary>
/// Options several commands share; each call makes a fresh instance for one command. Values are checked while
/// parsing (see <see cref="OptionChecks"/>), so a bad value is a usage error naming the option before any work.
/// </summary>
public static class CommonOptions
{
    /// <summary>The CLI trains 10 epochs by default (the library's default is the seed's single epoch): ~47% in PyTorch.</summary>
    public const int CliEpochs = 10;

    public static Option<string?> Data() => new Option<string?>("--data")
    {
        Description = "CIFAR-10 binary files, or an image folder (one sub-folder of PNG/JPEG/… images per class, or train/ and test/ trees of them); " +
                      $"default: {string.Join(", then ", Cifar10Locator.SearchedRelativePaths)}",
    };

    public static Option<(int Height, int Width)?> ImageSize() => new Option<(int Height, int Width)?>("--image-size")
    {
        Description = $"Image-folder data: resize every image to HEIGHTxWIDTH, e.g. 28x28, each side at most {ImageShapeRequest.MaxSide} (default: the most common size of the training images)",
    }.ParsedAs(ImageShapeRequest.ParseSize);

    public static Option<bool> Grayscale() => new("--grayscale")
    {
        Description = "Image-folder data: read one grey channel instead of three colour channels (default when every image is greyscale)",
    };

    /// <summary>The --image-size / --grayscale pair as one request.</summary>
    public static ImageShapeRequest ShapeRequest(ParseResult parse, Option<(int Height, int Width)?> imageSize, Option<bool> grayscale)
    {
        var size = parse.GetValue(imageSize);
        return new ImageShapeRequest(size?.Height, size?.Width, parse.GetValue(grayscale));
    }

    public static Option<IReadOnlyList<string>?> ClassNames() => new Option<IReadOnlyList<string>?>("--class-names")
    {
        Description = "PyTorch state_dict models: class names in the order of the model's outputs, comma separated (default: the data's classes)",
    }.ParsedAs(ModelFiles.ParseClassNames, listExample: "cat,dog,bird");

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print results only: no progress bars (for CI and scripts)" };

    public static Option<bool> Force() => new("--force")
    {
        Description = "Replace an output file that already exists (a regular file only: never a folder, device, FIFO, socket or symbolic link)",
    };

    public static Option<int> Epochs() => new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => CliEpochs }.AtLeast(1);

    public static Option<int> Seed() => new("--seed") { Description = "Seed for weights, shuffling and experiments", DefaultValueFactory = _ => SimpleCnnTrainer.Defaults.Seed };

    public static Option<int?> Threads() => new Option<int?>("--threads")
    {
        Description = $"libtorch threads (more than the machine's {Environment.ProcessorCount} cores are capped to the cores, with a note)",
        DefaultValueFactory = _ => SimpleCnnTrainer.Defaults.NumberOfThreads,
    }.AtLeast(1);

    /// <summary>--threads capped at the machine's cores (more only start threads that wait for each other), with a note when capped.</summary>
    public static int? CapThreads(int? requested, Output.ConsoleReporter reporter)
    {
        var cores = Environment.ProcessorCount;
        if (requested is not { } threads || threads <= cores) return requested;
        reporter.Warning($"--threads {threads} is more than this machine's {cores} core(s); using {cores}.");
        return cores;
    }

    public static Option<int> BatchSize() => new Option<int>("--batch-size") { Description = "Training mini-batch size", DefaultValueFactory = _ => SimpleCnnTrainer.Defaults.BatchSize }.AtLeast(1);

    public static Option<double> LearningRate() =>
        new Option<double>("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => SimpleCnnTrainer.Defaults.LearningRate }
            .Check(v => double.IsFinite(v) && v > 0, "a positive number, e.g. " + SimpleCnnTrainer.Defaults.LearningRate.ToString(CultureInfo.InvariantCulture));

    /// <summary>--conv-channels; not given, the seed's network (<see cref="ConvNetArchitecture.Default"/>), which the help names.</summary>
    public static Option<int[]?> ConvChannels() => new Option<int[]?>("--conv-channels")
    {
        Description = $"Output channels of each conv layer, comma separated ({SeedChannels} is the seed's network; {SeedChannels},{2 * ConvNetArchitecture.Default.ConvChannels[^1]} adds a layer) [default: {SeedChannels}]",
    }.ParsedAs(ParseChannels, listExample: "6,12");

    public static Option<double> ValidationFraction() =>
        new Option<double>("--validation-fraction")
        {
            Description = "Hold out this share of the training images (drawn with --seed) as a validation split, never trained on; " +
                          "early stopping and --keep-best choose on it, never on the test split (default 0: train on every image, as the seed does)",
            DefaultValueFactory = _ => SimpleCnnTrainer.Defaults.ValidationFraction,
        }.Check(v => v >= 0 && v < 1, "at least 0 and below 1, e.g. 0.1");

    public static Option<int?> EarlyStoppingPatience() =>
        new Option<int?>("--early-stopping-patience")
        {
            Description = "Stop after N epochs without a lower validation loss (needs --validation-fraction; default: train every epoch)",
        }.AtLeast(1);

    public static Option<bool> KeepBest() => new("--keep-best")
    {
        Description = "End with the weights of the epoch with the lowest validation loss, not the last epoch's (needs --validation-fraction)",
    };

    /// <summary>The CIFAR recipe's random-crop padding that --augment turns on.</summary>
    public const int AugmentCropPadding = 4;

    public static Option<bool> Augment() => new("--augment")
    {
        Description = $"Augment training images: random crop after {AugmentCropPadding}-pixel zero padding, and left-right flips (seeded by --seed; default off)",
    };

    /// <summary>
    /// The options that need a validation split, refused (exit 2, naming them) without --validation-fraction: the test
    /// split never chooses weights.
    /// </summary>
    public static void RequireValidationSplit(ParseResult parse, Option<double> fraction, Option<int?> patience, Option<bool> keepBest)
    {
        if (parse.GetValue(fraction) > 0) return;
        var needing = new List<string>();
        if (parse.GetValue(patience) != null) needing.Add(patience.Name);
        if (parse.GetValue(keepBest)) needing.Add(keepBest.Name);
        if (needing.Count > 0)
            throw new CliException(ExitCodes.UsageError,
                $"{string.Join(" and ", needing)} choose{(needing.Count == 1 ? "s" : "")} on a validation split: add {fraction.Name} (e.g. 0.1). The test split never chooses the model.");
    }

    /// <summary>
    /// --padding: what the convs see past the image border (the trainer's PaddingMode), typed when parsed; null when not
    /// given (the trainer's default). Help names the values and the default as they are typed ("zeros"): a default
    /// value factory would print the enum's own name, "[default: Zeros]".
    /// </summary>
    public static Option<ConvPadding?> Padding() => new Option<ConvPadding?>("--padding")
    {
        HelpName = string.Join("|", Enum.GetValues<ConvPadding>().Select(PaddingName)),
        Description = "What the convs see past the image border: zeros (the seed's network) or circular (the image wraps around: " +
                      "convolutions become exactly equivariant to circular shifts, and border units stop lighting up at the zero edge) " +
                      $"(default: {PaddingName(SimpleCnnTrainer.Defaults.PaddingMode)})",
    }.ParsedAs(text => (ConvPadding?)ParsePadding(text));

    /// <summary>The --padding value of a padding mode ("zeros", "circular").</summary>
    public static string PaddingName(ConvPadding padding) => padding.ToString().ToLowerInvariant();

    // Its error names the option ("--padding must be zeros or circular, got reflect"). Any case is taken.
    private static ConvPadding ParsePadding(string name)
    {
        foreach (var padding in Enum.GetValues<ConvPadding>())
            if (string.Equals(PaddingName(padding), name.Trim(), StringComparison.OrdinalIgnoreCase)) return padding;
        throw new CliException(ExitCodes.UsageError, $"--padding must be {string.Join(" or ", Enum.GetValues<ConvPadding>().Select(PaddingName))}, got {name}");
    }

    // The library's default architecture (the seed's network) in --conv-channels syntax: the option's default and its help.
    private static string SeedChannels => string.Join(",", ConvNetArchitecture.Default.ConvChannels);

    public static Option<int?> MaxTrainImages() => new Option<int?>("--max-train") { Description = "Use only the first N training images (quick runs)" }.AtLeast(1);

    /// <summary>A file to write; blank is a usage error.</summary>
    public static Option<string?> Output(string description, string? defaultPath = null)
    {
        var option = new Option<string?>("--output", "-o") { Description = description };
        if (defaultPath != null) option.DefaultValueFactory = _ => defaultPath;
        return option;
    }

    /// <summary>
    /// The one output check, run by every verb that writes before any slow work: exit 4 when a file is at
    /// <paramref name="path"/> and --force was not given; exit 6 when the path ends with a separator, its name or length
    /// is over the file system's limits, something other than a regular file is there (a folder, device, FIFO, socket or
    /// symbolic link: never replaced, even with --force), or its folder cannot be created or written. Returns the checked
    /// target (null when no path was given), which the verb hands to the library's save so the question is asked once a
    /// run; the write itself only refuses, by its no-replace rename, a file that appeared meanwhile (without --force).
    /// </summary>
    public static OutputTarget? EnsureWritable(string? path, bool force)
    {
        if (path == null) return null;
        try
        {
            // OutputFileException (exit 6) names the folder or the permission at fault.
            return OutputFile.Check(path, overwrite: force);
        }
        catch (OutputFileExistsException e)
        {
            throw new CliException(ExitCodes.OutputExists, $"{e.FilePath} already exists; pass --force to overwrite it.", e);
        }
    }

    /// <summary>
    /// An output is never one of the run's inputs, with or without --force: exit 2 naming both when
    /// <paramref name="output"/> reaches (by device and inode, links followed) an input file or any file inside an input
    /// folder. <paramref name="inputs"/> pairs each input with the option that named it (null paths are skipped).
    /// </summary>
    public static void EnsureNotAnInput(string? output, params (string Option, string? Path)[] inputs)
    {
        if (output == null) return;
        foreach (var (option, path) in inputs)
        {
            if (path == null) continue;
            try
            {
                OutputFile.CheckNotAnInput(output, [path]);
            }
            catch (OutputIsInputException e)
            {
                var root = Path.GetFullPath(path);
                var input = e.InputPath == root ? $"{option} '{root}'" : $"'{e.InputPath}' in {option} '{root}'";
                throw new CliException(ExitCodes.UsageError,
                    $"--output '{e.FilePath}' is the same file as {input}: writing it would destroy that input, with or without --force. Choose another output path.", e);
            }
        }
    }

    /// <summary>Parses "6,12,24" into channel counts with a message naming the bad entry.</summary>
    public static int[] ParseChannels(string text)
    {
        if (text.Trim().Length == 0) throw new CliException(ExitCodes.UsageError, "--conv-channels needs at least one layer, e.g. 6,12.");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var channels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
                throw new CliException(ExitCodes.UsageError, $"--conv-channels: '{text}' has an empty item (expected e.g. 6,12).");
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out channels[i]) || channels[i] < 1)
                throw new CliException(ExitCodes.UsageError, $"--conv-channels: '{parts[i]}' is not a positive whole number (expected e.g. 6,12).");
        }
        return channels;
    }
}
