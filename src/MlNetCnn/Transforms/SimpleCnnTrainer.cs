using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetCnn.Model;
using MlNetCnn.Training;

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
        public const string FeatureColumnName = "Features";
        public const string LabelColumnName = "Label";
        public const string ScoreColumnName = "Score";
        public const string PredictedLabelColumnName = "PredictedLabel";
        public const int NumberOfEpochs = TrainingDefaults.Epochs;
        public const int BatchSize = TrainingDefaults.BatchSize;
        public const double LearningRate = TrainingDefaults.LearningRate;
        public const int Seed = TrainingDefaults.Seed;
        public const int NumberOfThreads = TrainingDefaults.Threads;
    }

    /// <summary>Everything the trainer can be told. Defaults reproduce the seed experiment.</summary>
    public sealed class Options
    {
        /// <summary>Float vector of C×H×W values in planar order scaled to [0,1] (ExtractPixels with interleavePixelColors: false, scaleImage: 1/255).</summary>
        public string FeatureColumnName = Defaults.FeatureColumnName;

        /// <summary>Key-typed label (MapValueToKey); its key values become the class names.</summary>
        public string LabelColumnName = Defaults.LabelColumnName;

        public string ScoreColumnName = Defaults.ScoreColumnName;

        public string PredictedLabelColumnName = Defaults.PredictedLabelColumnName;

        public int NumberOfEpochs = Defaults.NumberOfEpochs;

        public int BatchSize = Defaults.BatchSize;

        public double LearningRate = Defaults.LearningRate;

        /// <summary>Seeds initial weights and the per-epoch shuffle. Same seed and thread count give identical weights.</summary>
        public int Seed = Defaults.Seed;

        /// <summary>libtorch threads (default 1: at batch 4 more threads mostly add waiting); null keeps libtorch's default (one per core).</summary>
        public int? NumberOfThreads = Defaults.NumberOfThreads;

        /// <summary>Output channels of each conv layer; {6, 12} is the seed's network, add entries for deeper stacks.</summary>
        public int[] ConvChannels = ConvNetArchitecture.Default.ConvChannels.ToArray();

        public int KernelSize = ConvNetArchitecture.Default.KernelSize;

        public int HiddenUnits = ConvNetArchitecture.Default.HiddenUnits;

        /// <summary>Image shape; null reads it from the feature column's (C, H, W) dimensions, else 3×32×32.</summary>
        public int? ImageChannels;

        public int? ImageHeight;

        public int? ImageWidth;

        /// <summary>Number of classes; null uses the label's key count.</summary>
        public int? ClassCount;

        /// <summary>Evaluated after every epoch into the history; same columns as the training data.</summary>
        public IDataView? ValidationSet;

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

    private readonly IHost host;
    private readonly Options options;

    internal SimpleCnnTrainer(IHostEnvironment environment, Options options)
    {
        host = environment.Register(nameof(SimpleCnnTrainer));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        if (string.IsNullOrWhiteSpace(options.FeatureColumnName)) throw new ArgumentException("Feature column name is required.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.LabelColumnName)) throw new ArgumentException("Label column name is required.", nameof(options));
        if (options.StreamingShuffleBuffer is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.StreamingShuffleBuffer, "The streaming shuffle buffer must hold at least 1 image.");
        Settings.Validate();
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
    };

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, options.FeatureColumnName, null);
        ImageColumnValidator.CheckLabel(inputSchema, options.LabelColumnName);
        // A shape carries no sizes, only kinds and annotations, so placeholder class names describe the output fully.
        var placeholderNames = Enumerable.Range(0, options.ClassCount ?? 2).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return SchemaShapes.Append(inputSchema,
            ClassificationScorer.DescribeColumns(options.ScoreColumnName, options.PredictedLabelColumnName, placeholderNames));
    }

    public SimpleCnnTransformer Fit(IDataView input)
    {
        var architecture = ResolveArchitecture(input.Schema);
        if (options.ValidationSet != null)
        {
            ImageColumnValidator.CheckFeatures(options.ValidationSet.Schema, options.FeatureColumnName, architecture);
            ImageColumnValidator.CheckLabel(options.ValidationSet.Schema, options.LabelColumnName, architecture.ClassCount);
        }
        var classNames = Data.KeyValueNames.Read(input.Schema[options.LabelColumnName], architecture.ClassCount);
        var settings = Settings;

        using var channel = host.Start("Training");
        // In memory unless asked to stream: then every epoch reads the cursor through a bounded shuffle buffer.
        long skipped = 0;
        using var training = options.StreamingShuffleBuffer != null ? null
            : TrainingDataReader.Read(input, options.FeatureColumnName, options.LabelColumnName, architecture, out skipped);
        if (training != null)
        {
            if (training.Count == 0)
                throw new ArgumentException($"No training rows with a label in column '{options.LabelColumnName}'.", nameof(input));
            if (skipped > 0) channel.Warning(MessageSensitivity.None, $"Skipped {skipped} rows whose label is missing.");
        }
        ITrainingSource source = training
            ?? (ITrainingSource)new StreamingTrainingSource(input, options.FeatureColumnName, options.LabelColumnName, architecture, options.StreamingShuffleBuffer!.Value);
        using var validation = options.ValidationSet == null ? null
            : TrainingDataReader.Read(options.ValidationSet, options.FeatureColumnName, options.LabelColumnName, architecture, out _);

        var rows = training != null ? $"{training.Count} images" : $"images streamed through a shuffle buffer of {options.StreamingShuffleBuffer}";
        channel.Info(MessageSensitivity.None,
            $"SimpleCnn: training on {rows} ({architecture.InputChannels}×{architecture.InputHeight}×{architecture.InputWidth}), " +
            $"conv channels [{string.Join(", ", architecture.ConvChannels)}], {settings.Epochs} epoch(s), batch {settings.BatchSize}, Adam lr {settings.LearningRate}, seed {settings.Seed}.");
        var progress = new Progress(channel, options.Progress);
        var network = CnnTrainingLoop.CreateModel(architecture, settings);
        try
        {
            var history = CnnTrainingLoop.Train(network, source, validation, settings, progress);
            var model = new TrainedCnn(network, classNames, history, settings);
            return new SimpleCnnTransformer(model, options.FeatureColumnName, options.ScoreColumnName, options.PredictedLabelColumnName, settings.InferenceBatchSize);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Builds the architecture from the options and the feature column, validating both.</summary>
    private ConvNetArchitecture ResolveArchitecture(DataViewSchema schema)
    {
        var labelCount = ImageColumnValidator.CheckLabel(schema, options.LabelColumnName, options.ClassCount);
        var column = schema.GetColumnOrNull(options.FeatureColumnName);
        int channels = options.ImageChannels ?? 3, height = options.ImageHeight ?? 32, width = options.ImageWidth ?? 32;
        if (column?.Type is VectorDataViewType { Dimensions.Length: 3 } vector &&
            options.ImageChannels == null && options.ImageHeight == null && options.ImageWidth == null)
        {
            // The column says what it holds (ExtractPixels records C, H, W); the check below still demands 3 channels by default.
            (height, width) = (vector.Dimensions[1], vector.Dimensions[2]);
        }
        var architecture = new ConvNetArchitecture
        {
            InputChannels = channels,
            InputHeight = height,
            InputWidth = width,
            ConvChannels = options.ConvChannels.ToArray(),
            KernelSize = options.KernelSize,
            HiddenUnits = options.HiddenUnits,
            ClassCount = options.ClassCount ?? labelCount,
        };
        architecture.InferConvShapes();
        ImageColumnValidator.CheckFeatures(schema, options.FeatureColumnName, architecture);
        return architecture;
    }

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
                channel.Info(MessageSensitivity.None, $"Epoch {e.Epoch}/{value.Epochs}: {e.Describe()}");
            }
            else
            {
                channel.Trace(MessageSensitivity.None, $"Epoch {value.Epoch}/{value.Epochs}, batch {value.Batch}/{value.BatchesPerEpoch}: running loss {value.RunningLoss:F4}");
            }
            sink?.Report(value);
        }
    }
}
