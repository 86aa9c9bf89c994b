using System.Diagnostics;
using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// The seed's training procedure: Adam (<see cref="FlatAdam"/>, one update over a flat buffer of all weights), cross-entropy,
/// mini-batches reshuffled every epoch. Each step runs inside a
/// dispose scope so no tensor outlives its batch. Any classifier module (logits from a [N, C, H, W] batch) trains
/// the same way, so the CNN and the experiments' fully-connected control are trained by the same code.
/// </summary>
public static class CnnTrainingLoop
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
        ArgumentNullException.ThrowIfNull(model);
        settings.Validate();
        if (training.Count == 0) throw new ArgumentException("The training set is empty.", nameof(training));
        TorchRuntime.Configure(settings.Seed, settings.NumberOfThreads);

        var shuffler = new Random(settings.Seed);
        var order = Enumerable.Range(0, training.Count).ToArray();
        var batchesPerEpoch = (training.Count + settings.BatchSize - 1) / settings.BatchSize;
        using var optimizer = new FlatAdam(model.named_parameters(), settings.LearningRate);
        using var lossFunction = nn.CrossEntropyLoss();
        var history = new List<EpochMetrics>();

        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            shuffler.Shuffle(order);
            model.train();
            // Per-step cost at batch 4 is call overhead, not arithmetic: whatever can be done once per epoch is (the
            // shuffled labels, the hit count), and a step makes only the calls it needs. Each step's predictions go
            // into one epoch-long tensor that is compared with the labels after the epoch.
            using var permutation = tensor(order.Select(i => (long)i).ToArray());
            using var shuffledLabels = training.LabelTensor.index_select(0, permutation);
            using var predictions = empty(training.Count, dtype: int64);
            double lossSum = 0;
            double lastLoss = double.NaN;
            for (var b = 0; b < batchesPerEpoch; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var start = b * settings.BatchSize;
                var count = Math.Min(settings.BatchSize, training.Count - start);
                var images = training.Batch(permutation.narrow(0, start, count));
                var labels = shuffledLabels.narrow(0, start, count);

                optimizer.ZeroGrad();
                var logits = model.call(images);
                var loss = lossFunction.call(logits, labels);
                loss.backward();
                optimizer.Step();

                // Divergence guard: reading the loss back costs one native call, so every step is checked. A NaN
                // gradient shows in the next step's loss (Adam spreads it into the weights); the last step's is caught
                // by the weight check after the epoch.
                lastLoss = loss.item<float>();
                if (!double.IsFinite(lastLoss))
                    throw Diverged(epoch, b + 1, lastLoss, "the training loss", settings);
                lossSum += lastLoss * count;
                predictions.narrow(0, start, count).copy_(logits.argmax(1));
                if (progress != null && (b + 1) % ProgressEveryBatches == 0)
                    progress.Report(new TrainingProgress(epoch, settings.Epochs, b + 1, batchesPerEpoch, lossSum / (start + count), null));
            }
            if (optimizer.FirstNonFiniteParameter() is { } parameter)
                throw Diverged(epoch, batchesPerEpoch, lastLoss, $"parameter {parameter}", settings);
            long correct;
            using (var hits = predictions.eq(shuffledLabels).sum()) correct = hits.item<long>();

            (double Loss, double Accuracy)? validationResult = validation is { Count: > 0 }
                ? Evaluate(model, validation, settings.InferenceBatchSize)
                : null;
            var metrics = new EpochMetrics(epoch, lossSum / training.Count, (double)correct / training.Count,
                validationResult?.Loss, validationResult?.Accuracy, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            progress?.Report(new TrainingProgress(epoch, settings.Epochs, batchesPerEpoch, batchesPerEpoch, metrics.TrainingLoss, metrics));
        }
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
