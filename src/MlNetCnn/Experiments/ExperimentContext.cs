using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.TrainingData;

namespace MlNetCnn.Experiments;

/// <summary>
/// Everything an experiment runs on: training and test images, the model under study (trained on first use when none
/// was given), the seed and thread count that make runs reproducible, the size budget, progress and cancellation.
/// Dispose it to free the data and any model it trained.
/// </summary>
public sealed class ExperimentContext : IDisposable
{
    private readonly bool ownsData;
    private readonly object gate = new();
    private readonly bool modelGiven;
    private TrainedCnn? model;
    private bool ownsModel;

    // Networks experiments train for architectures of their own (the depth sweep's, the depth-features network), one
    // per architecture (the channel list compared by value), shared by every experiment of this context. Its own lock:
    // `gate` is held while the model under study trains.
    private readonly object trainedGate = new();
    private readonly Dictionary<(ConvNetArchitecture Shape, string Channels), Lazy<TrainedCnn>> trained = new();
    private float[]? testPixels;

    // Numbers that depend on the data alone (no seed, no model), computed once by whichever seed asks first and shared
    // with every WithSeed copy: the seeds of `experiment all --seeds 5` read the same images, so computing them once per
    // seed only repeated the work. Set by WithSeed to the parent's.
    private ConcurrentDictionary<string, Lazy<object>> dataOnly = new();

    // The init-only settings live in one record so WithSeed copies them all with one `with`: a new setting is added
    // here and as a property, never to a list of copies.
    private Settings settings = new();

    private sealed record Settings
    {
        public ConvNetArchitecture Architecture { get; init; } = ConvNetArchitecture.Default;
        public ExperimentBudget Budget { get; init; } = ExperimentBudget.Default;
        public int Seed { get; init; } = TrainingDefaults.Seed;
        public int Threads { get; init; } = TrainingDefaults.Threads;
        public bool Parallel { get; init; } = true;
        public IProgress<ExperimentProgress>? Progress { get; init; }
        public CancellationToken Cancellation { get; init; }
    }

    /// <param name="train">Training images (labels 0-based).</param>
    /// <param name="test">Held-out images every accuracy and analysis uses.</param>
    /// <param name="classNames">One name per class; null uses the model's names or "0", "1", ….</param>
    /// <param name="model">The trained model to explain; null trains <see cref="Architecture"/> on first use.</param>
    /// <param name="ownsData">Whether disposing the context disposes <paramref name="train"/> and <paramref name="test"/>.</param>
    public ExperimentContext(InMemoryImageSet train, InMemoryImageSet test, IReadOnlyList<string>? classNames = null, TrainedCnn? model = null, bool ownsData = false)
    {
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Test = test ?? throw new ArgumentNullException(nameof(test));
        if (train.Count == 0 || test.Count == 0) throw new ArgumentException("Training and test sets must not be empty.");
        if ((train.Channels, train.Height, train.Width) != (test.Channels, test.Height, test.Width))
            throw new ArgumentException($"Training images are {train.Channels}×{train.Height}×{train.Width} but test images {test.Channels}×{test.Height}×{test.Width}.", nameof(test));
        (Channels, Height, Width) = (train.Channels, train.Height, train.Width);
        this.model = model;
        modelGiven = model != null;
        this.ownsData = ownsData;
        var classCount = model?.Architecture.ClassCount ?? classNames?.Count ?? (int)Math.Max(train.Labels.Max(), test.Labels.Max()) + 1;
        ClassNames = classNames?.ToArray() ?? model?.ClassNames.ToArray()
            ?? Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // No column here, only the images' size: the same helper the trainer and FromDataViews size the network with.
        Architecture = model?.Architecture
            ?? ImageColumnShape.Apply(new ConvNetArchitecture { ClassCount = ClassNames.Count }, column: null, Channels, Height, Width);
    }

    /// <summary>Training images.</summary>
    public InMemoryImageSet Train { get; }

    /// <summary>Held-out images every accuracy and analysis uses.</summary>
    public InMemoryImageSet Test { get; }

    /// <summary>One name per class, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Colour planes per image.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>The architecture under study: the model's, or the seed's SimpleCNN sized to the images.</summary>
    public ConvNetArchitecture Architecture { get => settings.Architecture; init => settings = settings with { Architecture = value }; }

    /// <summary>Image counts and the training settings the experiments use.</summary>
    public ExperimentBudget Budget
    {
        get => settings.Budget;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            settings = settings with { Budget = value };
        }
    }

    /// <summary>Seeds every weight initialisation, shuffle, permutation and sample; same seed + threads ⇒ same numbers.</summary>
    public int Seed { get => settings.Seed; init => settings = settings with { Seed = value }; }

    /// <summary>libtorch intra-op threads (1 is fastest for these small networks and bit-for-bit repeatable).</summary>
    public int Threads { get => settings.Threads; init => settings = settings with { Threads = value }; }

    /// <summary>
    /// Whether independent trainings inside an experiment, and independent experiments, run side by side (one per
    /// core) when <see cref="Threads"/> is 1. Results are the same either way; false runs everything serially.
    /// </summary>
    public bool Parallel { get => settings.Parallel; init => settings = settings with { Parallel = value }; }

    /// <summary>Receives progress reports from running experiments; null for none.</summary>
    public IProgress<ExperimentProgress>? Progress { get => settings.Progress; init => settings = settings with { Progress = value }; }

    /// <summary>Stops experiments and their trainings when cancelled.</summary>
    public CancellationToken Cancellation { get => settings.Cancellation; init => settings = settings with { Cancellation = value }; }

    /// <summary>How every network trained for the experiments is trained: the budget's <see cref="ExperimentBudget.Training"/> with this context's seed and threads.</summary>
    public TrainingSettings TrainingSettings => Budget.Training with { Seed = Seed, NumberOfThreads = Threads };

    /// <summary>Whether a model was given or has been trained already.</summary>
    public bool HasModel => model != null;

    /// <summary>The model under study; trained here with <see cref="TrainingSettings"/> on first use when none was given.</summary>
    public TrainedCnn Model
    {
        get
        {
            lock (gate)
            {
                if (model != null) return model;
                Cancellation.ThrowIfCancellationRequested();
                model = TrainingLoop.TrainNew(Architecture, ClassNames, Train, null, TrainingSettings, null, Cancellation);
                ownsModel = true;
                return model;
            }
        }
    }

    /// <summary>
    /// A network of <paramref name="architecture"/> trained on <see cref="Train"/> with <see cref="TrainingSettings"/>,
    /// trained on the first request and shared by every later one in this context: the same seed and settings give the
    /// same weights, so experiments studying the same architecture need not each train it (the depth sweep's deepest
    /// network is the depth-features experiment's; its shallowest is the model under study, which is reused when it
    /// was trained here). The context owns it: callers neither dispose it nor change its weights.
    /// <paramref name="progress"/> hears the fraction of epochs done when this call is the one that trains.
    /// </summary>
    internal TrainedCnn TrainedNetwork(ConvNetArchitecture architecture, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        static (ConvNetArchitecture, string) Key(ConvNetArchitecture a) => (a with { ConvChannels = Array.Empty<int>() }, string.Join(",", a.ConvChannels));
        var key = Key(architecture);
        if (!modelGiven && key == Key(Architecture)) return Model;
        Lazy<TrainedCnn> entry;
        lock (trainedGate)
        {
            if (!trained.TryGetValue(key, out entry!))
            {
                trained[key] = entry = new Lazy<TrainedCnn>(() => TrainingLoop.TrainNew(architecture, ClassNames, Train, null, TrainingSettings,
                    progress == null ? null : new EpochProgress(progress), Cancellation));
            }
        }
        return entry.Value;
    }

    /// <summary>
    /// <paramref name="compute"/>'s value for <paramref name="key"/>, computed once for this context and every context
    /// <see cref="WithSeed"/> made from it. Only for numbers that depend on the data and <paramref name="key"/> alone
    /// (never on the seed or a model): whichever seed asks first computes it, so anything else would make results depend
    /// on the order runs happen to take.
    /// </summary>
    internal T DataOnly<T>(string key, Func<T> compute) where T : notnull =>
        (T)dataOnly.GetOrAdd(key, _ => new Lazy<object>(() => compute())).Value;

    /// <summary>The test images as planar floats, N×C×H×W (for <see cref="TrainedCnn.Infer"/>).</summary>
    public float[] TestPixels
    {
        get
        {
            lock (gate) return testPixels ??= ImageTensors.Pixels(Test, Test.Count);
        }
    }

    /// <summary>Values in one image: C×H×W.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>
    /// A context on the same data, architecture, budget, threads, progress and cancellation with another seed. A model
    /// that was given to this context is shared (only the experiments' own randomness changes); one this context
    /// trained is not, so the new context trains its own from <paramref name="seed"/> on first use. The new context
    /// does not own the data: dispose it before this one.
    /// </summary>
    internal ExperimentContext WithSeed(int seed)
    {
        TrainedCnn? given;
        lock (gate) given = ownsModel ? null : model;
        return new ExperimentContext(Train, Test, ClassNames, given, ownsData: false) { settings = settings with { Seed = seed }, dataOnly = dataOnly };
    }

    /// <summary>Seeds libtorch and sets its threads; experiments call this before any random or timed tensor work.</summary>
    internal void ConfigureTorch() => TorchRuntime.Configure(Seed, Threads);

    /// <summary>The model under study (<see cref="Model"/>, trained on first use), then libtorch seeded for the experiment's own work.</summary>
    internal TrainedCnn StudiedModel()
    {
        var studied = Model;
        ConfigureTorch();
        return studied;
    }

    internal void Report(string experiment, string stage, double fraction)
    {
        Cancellation.ThrowIfCancellationRequested();
        Progress?.Report(new ExperimentProgress(experiment, stage, Math.Clamp(fraction, 0, 1)));
    }

    /// <summary>
    /// Reads two IDataViews (a float vector image column and a key label, as <see cref="Cifar10DataView"/> provides) into
    /// memory, keeping at most the budget's <see cref="ExperimentBudget.TrainImages"/> / <see cref="ExperimentBudget.TestImages"/> rows.
    /// </summary>
    public static ExperimentContext FromDataViews(
        IDataView train,
        IDataView test,
        ExperimentBudget? budget = null,
        int seed = TrainingDefaults.Seed,
        int threads = TrainingDefaults.Threads,
        TrainedCnn? model = null,
        IProgress<ExperimentProgress>? progress = null,
        CancellationToken cancellation = default,
        string featureColumn = Cifar10DataView.FeaturesColumnName,
        string labelColumn = Cifar10DataView.LabelColumnName,
        bool parallel = true)
    {
        budget ??= ExperimentBudget.Default;
        budget.Validate();
        var ml = new MLContext(seed);
        var classNames = ReadClassNames(train.Schema[labelColumn]);
        var architecture = model?.Architecture ?? ImageColumnShape.Apply(new ConvNetArchitecture { ClassCount = classNames.Count }, train.Schema[featureColumn]);
        if (model != null)
        {
            // The rows are read in the model's pixel layout: a column of the other layout (or another shape) is refused
            // here, naming the layout, instead of being reordered into nonsense.
            ImageColumnValidator.CheckFeatures(train.Schema, featureColumn, architecture);
            ImageColumnValidator.CheckFeatures(test.Schema, featureColumn, architecture);
        }
        if (budget.TrainImages is { } trainRows) train = ml.Data.TakeRows(train, trainRows);
        if (budget.TestImages is { } testRows) test = ml.Data.TakeRows(test, testRows);
        var trainSet = ImageSetReader.Read(train, featureColumn, labelColumn, architecture, out _);
        InMemoryImageSet? testSet = null;
        try
        {
            testSet = ImageSetReader.Read(test, featureColumn, labelColumn, architecture, out _);
            return new ExperimentContext(trainSet, testSet, model?.ClassNames ?? classNames, model, ownsData: true)
            {
                Architecture = architecture,
                Budget = budget,
                Seed = seed,
                Threads = threads,
                Parallel = parallel,
                Progress = progress,
                Cancellation = cancellation,
            };
        }
        catch
        {
            trainSet.Dispose();
            testSet?.Dispose();
            throw;
        }
    }

    /// <summary>Opens the CIFAR-10 binary files under <paramref name="directory"/> (train and test splits).</summary>
    public static ExperimentContext FromCifar10(string directory, ExperimentBudget? budget = null, int seed = TrainingDefaults.Seed, int threads = TrainingDefaults.Threads,
        TrainedCnn? model = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellation = default, bool parallel = true) =>
        FromDataViews(new Cifar10DataView(directory, Cifar10Split.Train), new Cifar10DataView(directory, Cifar10Split.Test),
            budget, seed, threads, model, progress, cancellation, parallel: parallel);

    private static IReadOnlyList<string> ReadClassNames(DataViewSchema.Column label) =>
        label.Type is KeyDataViewType key
            ? KeyValueNames.Read(label, (int)key.Count)
            : throw new ColumnSchemaException(label.Name, "a key-typed label", label.Type.ToString() ?? "?");

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel) model?.Dispose();
        lock (trainedGate)
        {
            foreach (var entry in trained.Values.Where(e => e.IsValueCreated)) entry.Value.Dispose();
            trained.Clear();
        }
        if (ownsData)
        {
            Train.Dispose();
            Test.Dispose();
        }
    }
}
