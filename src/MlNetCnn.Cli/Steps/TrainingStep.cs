using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>A training run from the command line, shared by <c>train</c> and the one-shot default command.</summary>
public static class TrainingStep
{
    /// <summary>Options of a training run, shared with the one-shot default command.</summary>
    public sealed class TrainingArguments
    {
        public Option<string?> Data { get; } = CommonOptions.Data();
        public Option<int> Epochs { get; } = CommonOptions.Epochs();
        public Option<int> Seed { get; } = CommonOptions.Seed();
        public Option<int?> Threads { get; } = CommonOptions.Threads();
        public Option<int> BatchSize { get; } = CommonOptions.BatchSize();
        public Option<double> LearningRate { get; } = CommonOptions.LearningRate();
        public Option<int[]?> ConvChannels { get; } = CommonOptions.ConvChannels();
        public Option<ConvPadding?> Padding { get; } = CommonOptions.Padding();
        public Option<double> ValidationFraction { get; } = CommonOptions.ValidationFraction();
        public Option<int?> EarlyStoppingPatience { get; } = CommonOptions.EarlyStoppingPatience();
        public Option<bool> KeepBest { get; } = CommonOptions.KeepBest();
        public Option<bool> Augment { get; } = CommonOptions.Augment();
        public Option<int?> MaxTrain { get; } = CommonOptions.MaxTrainImages();
        public Option<bool> Quiet { get; } = CommonOptions.Quiet();
        public Option<(int Height, int Width)?> ImageSize { get; } = CommonOptions.ImageSize();
        public Option<bool> Grayscale { get; } = CommonOptions.Grayscale();

        /// <summary>Stream the training data through a shuffle buffer of N images instead of reading it into memory.</summary>
        public Option<int?> StreamBuffer { get; } = new Option<int?>("--stream-buffer")
        {
            Description = "Stream the training data from disk every epoch through a shuffle buffer of N images (flat memory for data " +
                          "larger than RAM; rows are shuffled only within the buffer's window) instead of reading it into memory",
        }.AtLeast(1);

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, ImageSize, Grayscale, Epochs, Seed, Threads, BatchSize, LearningRate, ConvChannels, Padding, ValidationFraction, EarlyStoppingPatience, KeepBest, Augment, MaxTrain, StreamBuffer, Quiet })
                command.Options.Add(option);
        }
    }

    /// <summary>Finds the data, trains with progress, evaluates on the test split and prints the accuracy.</summary>
    /// <param name="outputs">The files the run will write: none may be a file of the data found (exit 2).</param>
    public static TrainingOutcome Run(ParseResult parse, TrainingArguments arguments, ConsoleReporter reporter, CancellationToken cancel, IReadOnlyList<string?> outputs)
    {
        // Not given reads as an empty array (a given value is never empty: blank and empty items are refused while parsing).
        var convChannels = parse.GetValue(arguments.ConvChannels) is { Length: > 0 } given ? given : [.. ConvNetArchitecture.Default.ConvChannels];
        CommonOptions.RequireValidationSplit(parse, arguments.ValidationFraction, arguments.EarlyStoppingPatience, arguments.KeepBest);
        var shape = CommonOptions.ShapeRequest(parse, arguments.ImageSize, arguments.Grayscale);
        var source = new DataLocator(reporter).Locate(parse.GetValue(arguments.Data), cancel);
        foreach (var output in outputs) CommonOptions.EnsureNotAnInput(output, ("--data", source.Directory));
        var mlContext = new MLContext(seed: parse.GetValue(arguments.Seed));
        var data = Dataset.Open(mlContext, source, shape, reporter, cancel, parse.GetValue(arguments.MaxTrain), seed: parse.GetValue(arguments.Seed));
        var batchSize = CapBatch(parse.GetValue(arguments.BatchSize), data.TrainCount, reporter);
        CheckArchitecture(mlContext, convChannels, batchSize, data);
        var (train, test) = (data.Train, data.Test);
        var epochs = parse.GetValue(arguments.Epochs);
        var options = new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = epochs,
            Seed = parse.GetValue(arguments.Seed),
            NumberOfThreads = CommonOptions.CapThreads(parse.GetValue(arguments.Threads), reporter),
            BatchSize = batchSize,
            LearningRate = parse.GetValue(arguments.LearningRate),
            ConvChannels = convChannels,
            PaddingMode = parse.GetValue(arguments.Padding) ?? SimpleCnnTrainer.Defaults.PaddingMode,
            // Measured after every epoch and printed as "test": never chooses the model (only the validation split does).
            TestSet = test,
            ValidationFraction = parse.GetValue(arguments.ValidationFraction),
            EarlyStoppingPatience = parse.GetValue(arguments.EarlyStoppingPatience),
            KeepBest = parse.GetValue(arguments.KeepBest),
            RandomCropPadding = parse.GetValue(arguments.Augment) ? CommonOptions.AugmentCropPadding : SimpleCnnTrainer.Defaults.RandomCropPadding,
            RandomHorizontalFlip = parse.GetValue(arguments.Augment),
            StreamingShuffleBuffer = parse.GetValue(arguments.StreamBuffer),
        };
        reporter.Info($"Training conv channels [{string.Join(", ", options.ConvChannels)}]{(options.PaddingMode == SimpleCnnTrainer.Defaults.PaddingMode ? "" : $" ({CommonOptions.PaddingName(options.PaddingMode)} padding)")} on {data.TrainCount:N0} {data.ShapeText} images for {epochs} epoch(s), batch {options.BatchSize}, Adam lr {options.LearningRate}, seed {options.Seed}.");
        reporter.Info($"The \"test\" figures after each epoch are measured on the test split ({data.TestCount:N0} images), which training never sees" +
                      (options.ValidationFraction > 0
                          ? $"; the \"validation\" figures on {options.ValidationFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of the training images, held out" +
                            (options.KeepBest || options.EarlyStoppingPatience != null ? ", which alone choose the model." : ".")
                          : "."));
        var model = reporter.RunTraining(epochs, progress =>
        {
            options.Progress = progress;
            return mlContext.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train, cancel);
        });
        cancel.ThrowIfCancellationRequested();
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
        reporter.Result($"test accuracy: {metrics.MicroAccuracy:P2} ({data.TestCount:N0} test images, {epochs} epoch(s))");
        return new TrainingOutcome(mlContext, model, data, metrics.MicroAccuracy);
    }

    /// <summary>A batch larger than the training data is the whole data: capped to the rows, with a note.</summary>
    public static int CapBatch(int batchSize, long trainRows, ConsoleReporter reporter)
    {
        if (trainRows < 1 || batchSize <= trainRows) return batchSize;
        reporter.Warning($"--batch-size {batchSize} is more than the {trainRows:N0} training images; using {trainRows:N0}.");
        return (int)trainRows;
    }

    /// <summary>
    /// Shape and memory of the network for the data's image shape and classes, checked once the data is found (opening
    /// it reads no pixels) and before training: <c>--conv-channels 100000,100000</c> fails here naming the layer and
    /// the bytes, not inside libtorch's allocator.
    /// </summary>
    public static void CheckArchitecture(MLContext mlContext, int[] convChannels, int batchSize, Dataset data)
    {
        try
        {
            // The trainer's own resolution (shape from the Features column, classes from the Label key), so this check
            // builds exactly the network Fit will; it reads the schema only.
            mlContext.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { ConvChannels = convChannels, BatchSize = batchSize })
                .GetArchitecture(data.Train.Schema);
        }
        catch (InvalidArchitectureException e)
        {
            // Every option that drives the memory, so the user sees which to lower.
            throw new CliException(ExitCodes.InvalidInput,
                $"--conv-channels {string.Join(",", convChannels)} with --batch-size {batchSize} on {data.Channels}×{data.Height}×{data.Width} images " +
                $"(--image-size/--grayscale for image folders): {e.Message} Lower --batch-size, --conv-channels or --image-size.", e);
        }
    }
}
