using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
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
    public void TenEpochsOfTheSeedProcedureReachAtLeastThirtyFivePercentTestAccuracy()
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
        // Seeds 1–5 reached 40.4%, 47.6%, 47.4%, 49.1% and 49.1% here (`mlnetcnn train --seed N --epochs 10`); seed 1 is
        // the lowest. A 10-epoch run's exact path follows the CPU's float rounding (vector width, GEMM kernels), so on
        // another CPU seed 1 may land elsewhere in that spread: the bound leaves room for it while staying far above a
        // same-size MLP (22%) and chance (10%).
        Assert.True(metrics.MicroAccuracy >= 0.35, $"test accuracy {metrics.MicroAccuracy:P2} < 35%");
        Assert.True(model.History[^1].TrainingLoss < model.History[0].TrainingLoss, "training loss should fall");
    }
}
