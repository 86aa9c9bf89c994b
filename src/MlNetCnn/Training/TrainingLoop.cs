using System.Diagnostics;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// The seed's training procedure: Adam (<see cref="FlatAdam"/>, one update over a flat buffer of all weights),
/// cross-entropy, mini-batches reshuffled every epoch, from memory or streamed (<see cref="ITrainingSource"/>). Each
/// step runs inside a dispose scope so no tensor outlives its batch. Any classifier module (logits from a [N, C, H, W] batch) trains
/// the same way, so the CNN and the experiments' fully-connected control are trained by the same code.
/// </summary>
internal static class TrainingLoop
{
    private const int ProgressEveryBatches = 50;

    /// <summary>Creates a model with seeded initial weights (the seed decides them, as in PyTorch's manual_seed).</summary>
    public static SimpleCnn CreateModel(ConvNetArchitecture architecture, TrainingSettings settings)
    {
        settings.Validate();
        TorchRuntime.Configure(settings.Seed, settings.NumberOfThreads);
        var model = new SimpleCnn(architecture);
        SeededInitialization.Apply(model, settings.Seed);
        return model;
    }

    /// <summary>
    /// Creates a seeded SimpleCnn, trains it and wraps it with its class names, history and settings: the trainer's and
    /// the experiments' one way to a new model. The network is disposed when training fails or is cancelled.
    /// </summary>
    internal static TrainedCnn TrainNew(ConvNetArchitecture architecture, IReadOnlyList<string> classNames, ITrainingSource training,
        InMemoryImageSet? validation, TrainingSettings settings, IProgress<TrainingProgress>? progress, CancellationToken cancellation,
        InMemoryImageSet? test = null)
    {
        var network = CreateModel(architecture, settings);
        try
        {
            cancellation.ThrowIfCancellationRequested();
            // An in-memory set goes through the overload that also refuses an empty set.
            var history = training is InMemoryImageSet memory
                ? Train(network, memory, validation, settings, progress, cancellation, test)
                : Train(network, training, validation, settings, progress, cancellation, test);
            return new TrainedCnn(network, classNames, history, settings);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains <paramref name="model"/> (a <see cref="SimpleCnn"/>, an <see cref="MlpBaseline"/> or any module mapping
    /// a [N, C, H, W] batch to class logits) in place and returns the per-epoch history. libtorch is seeded with the
    /// settings' seed first, so the same seed, threads and initial weights give the same trained weights.
    /// </summary>
    public static IReadOnlyList<EpochMetrics> Train(
        nn.Module<Tensor, Tensor> model,
        InMemoryImageSet training,
        InMemoryImageSet? validation,
        TrainingSettings settings,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0) throw new ArgumentException("The training set is empty.", nameof(training));
        return Train(model, (ITrainingSource)training, validation, settings, progress, cancellation);
    }

    /// <summary>The public overload with a test set measured after every epoch for the history only.</summary>
    internal static IReadOnlyList<EpochMetrics> Train(nn.Module<Tensor, Tensor> model, InMemoryImageSet training, InMemoryImageSet? validation,
        TrainingSettings settings, IProgress<TrainingProgress>? progress, CancellationToken cancellation, InMemoryImageSet? test)
    {
        if (training.Count == 0) throw new ArgumentException("The training set is empty.", nameof(training));
        return Train(model, (ITrainingSource)training, validation, settings, progress, cancellation, test);
    }

    /// <summary>
    /// Trains from any batch source (in memory or streamed from a cursor); see the public overload. <paramref name="validation"/>
    /// is the split early stopping and keep-best choose on; <paramref name="test"/> is only measured, never chosen on.
    /// </summary>
    internal static IReadOnlyList<EpochMetrics> Train(
        nn.Module<Tensor, Tensor> model,
        ITrainingSource training,
        InMemoryImageSet? validation,
        TrainingSettings settings,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default,
        InMemoryImageSet? test = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        settings.Validate();
        TorchRuntime.Configure(settings.Seed, settings.NumberOfThreads);

        var shuffler = new Random(settings.Seed);
        var epochs = training.OpenEpochs(settings.BatchSize);
        var batchesPerEpoch = training.RowCount is { } rows ? (int)((rows + settings.BatchSize - 1) / settings.BatchSize) : 0;
        using var optimizer = new FlatAdam(model.named_parameters(), settings.LearningRate);
        using var lossFunction = nn.CrossEntropyLoss();
        var history = new List<EpochMetrics>();
        // Off by default: no generator, no extra calls, so the seed's procedure runs exactly as before.
        var augmentation = settings.Augments ? new Augmentation(settings) : null;
        var selection = settings.SelectsOnValidation && validation is { Count: > 0 } ? new BestEpoch(model, settings.KeepBest) : null;

        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            // Per-step cost at batch 4 is call overhead, not arithmetic: a step makes only the calls it needs (the
            // optimizer one update for all weights, the hit count four calls with no autograd), and whatever can wait
            // for the end of the epoch does (reading the hit count, the weight check).
            using var batches = epochs(shuffler);
            using var hitTotal = zeros(1, dtype: int64);
            double lossSum = 0;
            double lastLoss = double.NaN;
            long seen = 0;
            var b = 0;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                if (!batches.TryNext(out var images, out var labels)) break;
                var count = labels.shape[0];

                if (augmentation != null) images = augmentation.Apply(images);
                optimizer.ZeroGrad();
                var logits = model.call(images);
                var loss = lossFunction.call(logits, labels);
                loss.backward();
                optimizer.Step();

                // Divergence guard: reading the loss back costs one native call, so every step is checked. A NaN
                // gradient shows in the next step's loss (Adam spreads it into the weights); the last step's is caught
                // by the weight check after the epoch.
                b++;
                lastLoss = loss.item<float>();
                if (!double.IsFinite(lastLoss))
                    throw Diverged(epoch, b, lastLoss, "the training loss", settings);
                lossSum += lastLoss * count;
                seen += count;
                hitTotal.add_(logits.argmax(1).eq(labels).sum(), HeldScalars.One);
                if (progress != null && b % ProgressEveryBatches == 0)
                    progress.Report(new TrainingProgress(epoch, settings.Epochs, b, Math.Max(b, batchesPerEpoch), lossSum / seen, null));
            }
            if (seen == 0) throw new ArgumentException("The training set is empty.", nameof(training));
            batchesPerEpoch = b;
            if (optimizer.FirstNonFiniteParameter() is { } parameter)
                throw Diverged(epoch, b, lastLoss, $"parameter {parameter}", settings);
            var correct = hitTotal.item<long>();

            (double Loss, double Accuracy)? validationResult = validation is { Count: > 0 }
                ? Evaluate(model, validation, settings.InferenceBatchSize)
                : null;
            (double Loss, double Accuracy)? testResult = test is { Count: > 0 } ? Evaluate(model, test, settings.InferenceBatchSize) : null;
            var metrics = new EpochMetrics(epoch, lossSum / seen, (double)correct / seen,
                validationResult?.Loss, validationResult?.Accuracy, clock.Elapsed.TotalSeconds)
            {
                TestLoss = testResult?.Loss,
                TestAccuracy = testResult?.Accuracy,
            };
            history.Add(metrics);
            progress?.Report(new TrainingProgress(epoch, settings.Epochs, b, b, metrics.TrainingLoss, metrics));
            // Chosen on the validation loss only: the test figures above never reach this decision.
            selection?.Observe(epoch, validationResult!.Value.Loss);
            if (selection != null && settings.EarlyStoppingPatience is { } patience && epoch - selection.Epoch >= patience) break;
        }
        selection?.RestoreIfKept();
        selection?.Dispose();
        model.eval();
        return history;
    }

    private static TrainingDivergedException Diverged(int epoch, int batch, double loss, string what, TrainingSettings settings) =>
        new(epoch, batch, loss, what, settings.LearningRate, Native.ConvolutionBackends.OneDnnOptedIn);

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> on a set, in eval mode without gradients.</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, InMemoryImageSet data, int batchSize = TrainingDefaults.InferenceBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Count == 0) throw new ArgumentException("The evaluation set is empty.", nameof(data));
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (var start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, data.Count - start);
            var images = data.Slice(start, count);
            var labels = data.LabelTensor.narrow(0, start, count);
            var logits = model.call(images);
            lossSum += nn.functional.cross_entropy(logits, labels).item<float>() * count;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Trainable parameters (weights and biases) of <paramref name="model"/>.</summary>
    public static long ParameterCount(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(p => p.numel());
    }
}
