using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Transforms;

public class SimpleCnnTrainerTrainingTests
{
    private readonly ITestOutputHelper output;

    public SimpleCnnTrainerTrainingTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void OneEpochOnTheSharedSubsetLearnsSomething()
    {
        var ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train);
        var test = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1, ValidationSet = test }).Fit(train);
        output.WriteLine($"fit {clock.Elapsed.TotalSeconds:F1}s");
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        output.WriteLine($"acc {metrics.MicroAccuracy} hist {string.Join(";", model.History)}");
        Assert.True(metrics.MicroAccuracy > 0.2);
    }
}
