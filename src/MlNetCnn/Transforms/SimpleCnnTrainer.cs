using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;
using MlNetCnn.Transforms.TrainingData;

namespace MlNetCnn.Transforms;

/// <summary>
/// Trains the seed's SimpleCNN (or a deeper configured stack) on an image feature column and a key-typed label.
/// Create it with <c>mlContext.MulticlassClassification.Trainers.SimpleCnn(...)</c>.
/// </summary>
public sealed class SimpleCnnTrainer : IEstimator<SimpleCnnTransformer>
{
    /// <summary>Default values shared by the catalog verbs and <see cref="Options"/>.</summary>
    public static class Defaults
    {
        /// <summary>Default pixel column read.</summary>
        public const string FeatureColumnName = "Features";
        /// <summary>Default key-typed label column read.</summary>
        public const string LabelColumnName = "Label";
        /// <summary>Default column of class probabilities written.</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Default predicted-label column written.</summary>
        public const string PredictedLabelColumnName = "PredictedLabel";
        /// <summary>Default training epochs.</summary>
        public const int NumberOfEpochs = TrainingDefaults.Epochs;
        /// <summary>Default training mini-batch size.</summary>
        public const int BatchSize = TrainingDefaults.BatchSize;
        /// <summary>Default Adam learning rate.</summary>
        public const double LearningRate = TrainingDefaults.LearningRate;
        /// <summary>Default seed.</summary>
        public const int Seed = TrainingDefaults.Seed;
        /// <summary>Default libtorch thread count.</summary>
        public const int NumberOfThreads = TrainingDefaults.Threads;
        /// <summary>Default order of the feature column's values: planar C×H×W.</summary>
        public const PixelLayout PixelLayout = PixelLayout.Planar;
        /// <summary>Default padding of the convs: zeros, as the seed's network.</summary>
        public const ConvPadding PaddingMode = ConvPadding.Zeros;
        /// <summary>Default share of training rows held out as the validation split: none.</summary>
        public const double ValidationFraction = TrainingDefaults.ValidationFraction;
        /// <summary>Default keep-best: off (the last epoch's weights are the model's).</summary>
        public const bool KeepBest = TrainingDefaults.KeepBest;
        /// <summary>Default random-crop padding: 0, no random crops.</summary>
        public const int RandomCropPadding = TrainingDefaults.RandomCropPadding;
        /// <summary>Default horizontal flips: off.</summary>
        public const bool RandomHorizontalFlip = TrainingDefaults.RandomHorizontalFlip;
        /// <summary>Largest pixel value that passes without a warning: [0, 1] pixels with room to spare, far below unscaled 0–255.</summary>
        public const float ScaledPixelLimit = 1.5f;
    }

    /// <summary>Everything the trainer can be told. Defaults reproduce the seed experiment.</summary>
    public sealed class Options
    {
        /// <summary>Float vector of one image's values scaled to [0,1] (ExtractPixels with scaleImage: 1/255), in the order <see cref="PixelLayout"/> says.</summary>
        public string FeatureColumnName = Defaults.FeatureColumnName;

        /// <summary>
        /// The order of the feature column's values: Planar C×H×W (ExtractPixels with interleavePixelColors: false, the
        /// default) or Interleaved H×W×C (interleavePixelColors: true). Kept in the model, so its transforms, saved files,
        /// ONNX export and report read the column the same way.
        /// </summary>
        public PixelLayout PixelLayout = Defaults.PixelLayout;

        /// <summary>Key-typed label (MapValueToKey); its key values become the class names.</summary>
        public string LabelColumnName = Defaults.LabelColumnName;

        /// <summary>Output column of class probabilities (one per class).</summary>
        public string ScoreColumnName = Defaults.ScoreColumnName;

        /// <summary>Output column of the predicted label (same key type as the label).</summary>
        public string PredictedLabelColumnName = Defaults.PredictedLabelColumnName;

        /// <summary>Passes over the training data.</summary>
        public int NumberOfEpochs = Defaults.NumberOfEpochs;

        /// <summary>Training mini-batch size.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Adam learning rate.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>Seeds initial weights and the per-epoch shuffle. Same seed and thread count give identical weights.</summary>
        public int Seed = Defaults.Seed;

        /// <summary>libtorch threads (default 1: at batch 4 more threads mostly add waiting); null keeps libtorch's default (one per core).</summary>
        public int? NumberOfThreads = Defaults.NumberOfThreads;

        /// <summary>Output channels of each conv layer; {6, 12} is the seed's network, add entries for deeper stacks.</summary>
        public int[] ConvChannels = ConvNetArchitecture.Default.ConvChannels.ToArray();

        /// <summary>What the convs see past the image border: zeros (the seed's network) or the wrapped-around image (circular).</summary>
        public ConvPadding PaddingMode = Defaults.PaddingMode;

        /// <summary>Side of the square conv kernels.</summary>
        public int KernelSize = ConvNetArchitecture.Default.KernelSize;

        /// <summary>Width of the hidden fully-connected layer.</summary>
        public int HiddenUnits = ConvNetArchitecture.Default.HiddenUnits;

        /// <summary>Input channels (1 grey, 3 colour); null reads it from the feature column's (C, H, W) dimensions, else 3.</summary>
        public int? ImageChannels;

        /// <summary>Image height; null reads it from the feature column's dimensions, else 32. Each shape option is independent.</summary>
        public int? ImageHeight;

        /// <summary>Image width; null reads it from the feature column's dimensions, else 32.</summary>
        public int? ImageWidth;

        /// <summary>Number of classes; null uses the label's key count.</summary>
        public int? ClassCount;

        /// <summary>
        /// The validation split, evaluated after every epoch into the history (<c>EpochMetrics.ValidationLoss</c>); early
        /// stopping and keep-best choose on it. Same columns as the training data. Or hold one out with <see cref="ValidationFraction"/>.
        /// </summary>
        public IDataView? ValidationSet;

        /// <summary>
        /// Share of the training rows (0 ≤ f &lt; 1) held out as the validation split, drawn with <see cref="Seed"/>, trained
        /// on never. 0 (the default) holds none out, so training sees every row as the seed's procedure does.
        /// </summary>
        public double ValidationFraction = Defaults.ValidationFraction;

        /// <summary>
        /// A test split, evaluated after every epoch into the history (<c>EpochMetrics.TestLoss</c>/<c>TestAccuracy</c>) for
        /// reporting only: it never chooses weights or stops training. Same columns as the training data.
        /// </summary>
        public IDataView? TestSet;

        /// <summary>Stop after this many epochs without a lower validation loss; null (default) trains every epoch. Needs a validation split.</summary>
        public int? EarlyStoppingPatience;

        /// <summary>End with the weights of the epoch with the lowest validation loss rather than the last epoch's. Needs a validation split.</summary>
        public bool KeepBest = Defaults.KeepBest;

        /// <summary>Random-crop augmentation: pad each training image by this many zero pixels per side (4 is the CIFAR recipe) and crop back at a seeded random offset; 0 (default) is off.</summary>
        public int RandomCropPadding = Defaults.RandomCropPadding;

        /// <summary>Flip each training image left–right with probability ½, seeded (default off).</summary>
        public bool RandomHorizontalFlip = Defaults.RandomHorizontalFlip;

        /// <summary>Images per batch when validating and when the fitted model scores.</summary>
        public int InferenceBatchSize = TrainingDefaults.InferenceBatchSize;

        /// <summary>
        /// Null (default) reads the training data into memory once (8-bit images as bytes). A number streams it from the
        /// IDataView cursor every epoch through a shuffle buffer of that many images, for data larger than memory:
        /// memory stays flat, but rows are shuffled only within a window of the buffer's size (see the docs).
        /// </summary>
        public int? StreamingShuffleBuffer;

        /// <summary>Optional progress sink (besides ML.NET's log) for progress bars.</summary>
        public IProgress<TrainingProgress>? Progress;
    }

    private readonly IHostEnvironment environment;
    private readonly IHost host;
    private readonly Options options;

    internal SimpleCnnTrainer(IHostEnvironment environment, Options options)
    {
        this.environment = environment;
        host = environment.Register(nameof(SimpleCnnTrainer));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        if (string.IsNullOrWhiteSpace(options.FeatureColumnName)) throw new ArgumentException("Feature column name is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.LabelColumnName)) throw new ArgumentException("Label column name is required.", nameof(options));
        if (options.StreamingShuffleBuffer is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.StreamingShuffleBuffer, "The streaming shuffle buffer must hold at least 1 image.");
        Settings.Validate();
        if (options.ValidationFraction > 0 && options.ValidationSet != null)
            throw new ArgumentException("Give either ValidationSet or ValidationFraction (which holds the validation split out of the training data), not both.", nameof(options));
        if (options.ValidationFraction > 0 && options.StreamingShuffleBuffer != null)
            throw new ArgumentException("ValidationFraction holds rows out of training data read into memory; with StreamingShuffleBuffer give a ValidationSet instead.", nameof(options));
        if (Settings.SelectsOnValidation && options.ValidationSet == null && !(options.ValidationFraction > 0))
            throw new ArgumentException($"{(options.KeepBest ? "KeepBest" : "EarlyStoppingPatience")} chooses on the validation split: set ValidationFraction (e.g. 0.1) or ValidationSet. " +
                                        "The TestSet never chooses weights.", nameof(options));
    }

    /// <summary>The training procedure these options describe.</summary>
    public TrainingSettings Settings => new()
    {
        Epochs = options.NumberOfEpochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Seed = options.Seed,
        NumberOfThreads = options.NumberOfThreads,
        InferenceBatchSize = options.InferenceBatchSize,
        ValidationFraction = options.ValidationFraction,
        EarlyStoppingPatience = options.EarlyStoppingPatience,
        KeepBest = options.KeepBest,
        RandomCropPadding = options.RandomCropPadding,
        RandomHorizontalFlip = options.RandomHorizontalFlip,
    };

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, options.FeatureColumnName, null);
        ImageColumnValidator.CheckLabel(inputSchema, options.LabelColumnName);
        // A shape carries no sizes, only kinds and annotations, so placeholder class names describe the output fully.
        var placeholderNames = Enumerable.Range(0, options.ClassCount ?? 2).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return SchemaShapes.Append(inputSchema,
            ClassificationScorer.DescribeColumns(options.ScoreColumnName, options.PredictedLabelColumnName, placeholderNames));
    }

    /// <summary>Trains on <paramref name="input"/>; stops with <see cref="OperationCanceledException"/> when the MLContext's <c>CancelExecution()</c> is called.</summary>
    public SimpleCnnTransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    /// <summary>
    /// Trains on <paramref name="input"/>; stops within a batch with <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellation"/> is cancelled or the MLContext's <c>CancelExecution()</c> is called.
    /// </summary>
    public SimpleCnnTransformer Fit(IDataView input, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var cancel = new HostCancellation([environment, host], cancellation);
        var architecture = ResolveArchitecture(input.Schema);
        foreach (var heldOut in new[] { options.ValidationSet, options.TestSet })
        {
            if (heldOut == null) continue;
            ImageColumnValidator.CheckFeatures(heldOut.Schema, options.FeatureColumnName, architecture);
            ImageColumnValidator.CheckLabel(heldOut.Schema, options.LabelColumnName, architecture.ClassCount);
        }
        var classNames = KeyValueNames.Read(input.Schema[options.LabelColumnName], architecture.ClassCount);
        var settings = Settings;

        Native.ConvolutionBackends.Apply(); // reading the data makes the first tensors: load libtorch (failing with the cause) and pick safe kernels
        using var channel = host.Start("Training");
        // In memory unless asked to stream: then every epoch reads the cursor through a bounded shuffle buffer.
        long skipped = 0;
        var read = options.StreamingShuffleBuffer != null ? null
            : ImageSetReader.Read(input, options.FeatureColumnName, options.LabelColumnName, architecture, out skipped, cancel.Token);
        InMemoryImageSet? heldOutSplit = null;
        if (read != null && settings.ValidationFraction > 0)
        {
            // The validation split comes out of the training rows (drawn with the seed) before any training.
            try
            {
                (var kept, heldOutSplit) = read.Split(settings.ValidationFraction, settings.Seed);
                read.Dispose();
                read = kept;
            }
            catch
            {
                read.Dispose();
                throw;
            }
        }
        using var training = read;
        using var validationSplit = heldOutSplit;
        if (training != null)
        {
            if (training.Count == 0)
                throw new ArgumentException($"No training rows with a label in column '{options.LabelColumnName}'.", nameof(input));
            if (skipped > 0) channel.Warning(MessageSensitivity.None, $"Skipped {skipped} rows whose label is missing.");
            if (training.MaxValue > Defaults.ScaledPixelLimit)
                channel.Warning(MessageSensitivity.None,
                    $"Column '{options.FeatureColumnName}' has pixel values up to {training.MaxValue.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}: " +
                    "the model expects pixels scaled to [0, 1] (ExtractPixels with scaleImage: 1f / 255), as its ONNX export declares. " +
                    "It trains on unscaled values too, but every image it scores must then be unscaled the same way.");
        }
        if (options.PixelLayout == PixelLayout.Planar && ImageColumnShape.LooksInterleaved(input.Schema.GetColumnOrNull(options.FeatureColumnName)))
            channel.Warning(MessageSensitivity.None, ImageColumnShape.InterleavedHint(options.FeatureColumnName));
        ITrainingSource source = training
            ?? (ITrainingSource)new StreamingTrainingSource(input, options.FeatureColumnName, options.LabelColumnName, architecture, options.StreamingShuffleBuffer!.Value);
        using var validationSet = options.ValidationSet == null ? null
            : ImageSetReader.Read(options.ValidationSet, options.FeatureColumnName, options.LabelColumnName, architecture, out _, cancel.Token);
        var validation = validationSplit ?? validationSet;
        using var test = options.TestSet == null ? null
            : ImageSetReader.Read(options.TestSet, options.FeatureColumnName, options.LabelColumnName, architecture, out _, cancel.Token);

        var rows = training != null ? FormattableString.Invariant($"{training.Count} images") : FormattableString.Invariant($"images streamed through a shuffle buffer of {options.StreamingShuffleBuffer}");
        if (validationSplit != null) rows += FormattableString.Invariant($" ({validationSplit.Count} more held out as the validation split)");
        // Invariant culture: the application's locale must not turn "lr 0.001" into "lr 0,001" in a log.
        channel.Info(MessageSensitivity.None, FormattableString.Invariant(
            $"SimpleCnn: training on {rows} ({architecture.InputChannels}×{architecture.InputHeight}×{architecture.InputWidth}), conv channels [{string.Join(", ", architecture.ConvChannels)}], {settings.Epochs} epoch(s), batch {settings.BatchSize}, Adam lr {settings.LearningRate}, seed {settings.Seed}."));
        var progress = new Progress(channel, options.Progress);
        var model = TrainingLoop.TrainNew(architecture, classNames, source, validation, settings, progress, cancel.Token, test);
        if (settings.KeepBest && BestValidationEpoch(model.History) is { } best && best.Epoch != model.History[^1].Epoch)
            channel.Info(MessageSensitivity.None, FormattableString.Invariant($"SimpleCnn: kept epoch {best.Epoch}'s weights (lowest validation loss, {best.ValidationLoss:F4})."));
        return new SimpleCnnTransformer(model, options.FeatureColumnName, options.ScoreColumnName, options.PredictedLabelColumnName, settings.InferenceBatchSize);
    }

    /// <summary>
    /// The architecture <see cref="Fit(IDataView)"/> builds for data with this schema, checked: the label column and
    /// its class count, the image shape (each of C, H, W from its option, else from the feature column's dimensions,
    /// else 3×32×32), the memory one batch of <see cref="Options.BatchSize"/> needs, and the feature column itself.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    public ConvNetArchitecture GetArchitecture(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ResolveArchitecture(inputSchema);
    }

    /// <summary>Builds the architecture from the options and the feature column, validating both.</summary>
    private ConvNetArchitecture ResolveArchitecture(DataViewSchema schema)
    {
        var labelCount = ImageColumnValidator.CheckLabel(schema, options.LabelColumnName, options.ClassCount);
        var template = new ConvNetArchitecture
        {
            ConvChannels = options.ConvChannels.ToArray(),
            KernelSize = options.KernelSize,
            HiddenUnits = options.HiddenUnits,
            ClassCount = options.ClassCount ?? labelCount,
            PaddingMode = options.PaddingMode,
            PixelLayout = options.PixelLayout,
        };
        // Each of C, H, W comes from its option when set, else from the column's (C, H, W) dimensions (ExtractPixels
        // records them), else the seed's 3×32×32.
        var column = schema.GetColumnOrNull(options.FeatureColumnName);
        var architecture = ImageColumnShape.Apply(template, column, options.ImageChannels, options.ImageHeight, options.ImageWidth);
        try
        {
            architecture.InferConvShapes();
        }
        catch (InvalidArchitectureException e) when (column is { } present && ImageColumnValidator.LayoutHint(present, architecture, ShapeOverrides()) is { } hint)
        {
            // Interleaved pixels read as planar make an image of H channels and W×C pixels: the conv stack then fails on
            // a thin map, so the likely cause belongs in the message.
            throw new InvalidArchitectureException(e.LayerName, $"{e.Message} {hint}");
        }
        architecture.CheckMemory(options.BatchSize);
        ImageColumnValidator.CheckFeatures(schema, options.FeatureColumnName, architecture, ShapeOverrides());
        return architecture;
    }

    /// <summary>"ImageChannels = 3, ImageWidth = 28" for the image-shape options that are set; "" when none is.</summary>
    private string ShapeOverrides()
    {
        var set = new List<string>();
        if (options.ImageChannels is { } c) set.Add($"ImageChannels = {c}");
        if (options.ImageHeight is { } h) set.Add($"ImageHeight = {h}");
        if (options.ImageWidth is { } w) set.Add($"ImageWidth = {w}");
        return string.Join(", ", set);
    }

    /// <summary>The epoch keep-best restores: the first with the lowest validation loss (null without validation figures).</summary>
    internal static EpochMetrics? BestValidationEpoch(IReadOnlyList<EpochMetrics> history) =>
        history.Where(e => e.ValidationLoss is { } loss && !double.IsNaN(loss)).MinBy(e => e.ValidationLoss!.Value);

    /// <summary>Forwards training progress to ML.NET's log (MLContext.Log) and to the caller's sink.</summary>
    private sealed class Progress : IProgress<TrainingProgress>
    {
        private readonly IChannel channel;
        private readonly IProgress<TrainingProgress>? sink;

        public Progress(IChannel channel, IProgress<TrainingProgress>? sink)
        {
            this.channel = channel;
            this.sink = sink;
        }

        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is { } e)
            {
                channel.Info(MessageSensitivity.None, FormattableString.Invariant($"Epoch {e.Epoch}/{value.Epochs}: {e.Describe()}"));
            }
            else
            {
                channel.Trace(MessageSensitivity.None, FormattableString.Invariant($"Epoch {value.Epoch}/{value.Epochs}, batch {value.Batch}/{value.BatchesPerEpoch}: running loss {value.RunningLoss:F4}"));
            }
            sink?.Report(value);
        }
    }
}
