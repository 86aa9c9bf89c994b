using MlNetCnn.Experiments;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Experiments;

/// <summary>Untrained or hand-set models and contexts for the experiment tests.</summary>
internal static class ExperimentTestModels
{
    public static readonly ExperimentBudget Tiny = new()
    {
        Training = new() { Epochs = 1 },
        AnalysisImages = 16,
        FigureImages = 2,
    };

    public static TrainedCnn Untrained(ConvNetArchitecture architecture, int seed = 1)
    {
        var settings = new TrainingSettings { Seed = seed, NumberOfThreads = 1 };
        var network = TrainingLoop.CreateModel(architecture, settings);
        return new TrainedCnn(network, Enumerable.Range(0, architecture.ClassCount).Select(i => $"class{i}").ToArray(), Array.Empty<EpochMetrics>(), settings);
    }

    /// <summary>Overwrites a conv layer's weights ([out, in, k, k]) and biases.</summary>
    public static void SetConv(TrainedCnn model, int layer, float[] weights, float[] bias)
    {
        using var noGrad = no_grad();
        var conv = model.Network.ConvLayers[layer];
        conv.weight!.copy_(tensor(weights, conv.weight!.shape));
        conv.bias!.copy_(tensor(bias));
    }

    public static void SetLinear(TorchSharp.Modules.Linear linear, float[] weights, float[] bias)
    {
        using var noGrad = no_grad();
        linear.weight!.copy_(tensor(weights, linear.weight!.shape));
        linear.bias!.copy_(tensor(bias));
    }

    /// <summary>Random uniform images with labels cycling through the classes.</summary>
    public static InMemoryImageSet RandomImages(int count, int channels, int side, int classes, int seed)
    {
        var random = new Random(seed);
        var features = Enumerable.Range(0, count * channels * side * side).Select(_ => (float)random.NextDouble()).ToArray();
        return new InMemoryImageSet(features, Enumerable.Range(0, count).Select(i => (long)(i % classes)).ToArray(), channels, side, side);
    }
}
