using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments;

/// <summary>
/// The seed's training procedure (Adam, cross-entropy, reshuffled mini-batches) for any classifier module, so the CNN
/// and its fully-connected control are trained by literally the same code.
/// </summary>
internal static class ModuleTraining
{
    public static void Train(nn.Module<Tensor, Tensor> model, InMemoryImageSet training, TrainingSettings settings, CancellationToken cancellation, Action<double>? progress = null)
    {
        TorchRuntime.Configure(settings.Seed, settings.NumberOfThreads);
        var shuffler = new Random(settings.Seed);
        var order = Enumerable.Range(0, training.Count).ToArray();
        var batches = (training.Count + settings.BatchSize - 1) / settings.BatchSize;
        using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
        using var loss = nn.CrossEntropyLoss();
        model.train();
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            shuffler.Shuffle(order);
            using var permutation = tensor(order.Select(i => (long)i).ToArray());
            for (var b = 0; b < batches; b++)
            {
                if (b % 64 == 0) cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var start = b * settings.BatchSize;
                var index = permutation.narrow(0, start, Math.Min(settings.BatchSize, training.Count - start));
                optimizer.zero_grad();
                loss.call(model.call(training.Features.index_select(0, index)), training.LabelTensor.index_select(0, index)).backward();
                optimizer.step();
            }
            progress?.Invoke((epoch + 1.0) / settings.Epochs);
        }
        model.eval();
    }

    /// <summary>Accuracy on a set, in eval mode without gradients.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, InMemoryImageSet data, int batchSize = 256)
    {
        model.eval();
        using var noGrad = no_grad();
        long correct = 0;
        for (var start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, data.Count - start);
            correct += model.call(data.Features.narrow(0, start, count)).argmax(1).eq(data.LabelTensor.narrow(0, start, count)).sum().item<long>();
        }
        return (double)correct / data.Count;
    }

    public static long ParameterCount(nn.Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());
}
