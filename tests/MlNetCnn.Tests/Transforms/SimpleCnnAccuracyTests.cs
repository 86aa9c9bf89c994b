using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Transforms;

/// <summary>The one long test: the seed procedure for 10 epochs on the shared subset (PyTorch reaches ~47% here).</summary>
public class SimpleCnnAccuracyTests
{
    private readonly ITestOutputHelper output;

    public SimpleCnnAccuracyTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void TenEpochsOfTheSeedProcedureReachAtLeastFortyPercentTestAccuracy()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train);
        var test = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test);
        using var model = ml.MulticlassClassification.Trainers
            .SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 10, NumberOfThreads = 1, ValidationSet = test })
            .Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        foreach (var epoch in model.History) output.WriteLine(epoch.ToString());
        output.WriteLine($"test accuracy {metrics.MicroAccuracy:P2}");
        Assert.True(metrics.MicroAccuracy >= 0.40, $"test accuracy {metrics.MicroAccuracy:P2} < 40%");
        Assert.True(model.History[^1].TrainingLoss < model.History[0].TrainingLoss, "training loss should fall");
    }
}
