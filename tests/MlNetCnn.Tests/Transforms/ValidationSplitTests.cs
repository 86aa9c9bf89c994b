using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>
/// The trainer's validation split, early stopping, keep-best and augmentation: all off by default (the seed's
/// procedure untouched), each split named in the history, the test split never choosing the model, and seeded
/// augmentation reproducible across processes.
/// </summary>
public sealed class ValidationSplitTests
{
    private const int TrainRows = 240;

    private static IDataView Train(MLContext ml) => ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: TrainRows);

    private static IDataView Test(MLContext ml, int rows = 120) => ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: rows);

    private static byte[] Weights(SimpleCnnTransformer model) =>
        model.Model.GetKernels("conv1").Weights.Concat(model.Model.GetKernels("conv2").Weights).SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>The options of the augmented run the child process repeats (see <see cref="ChildEntryPoint"/>).</summary>
    internal static SimpleCnnTrainer.Options AugmentedRun() => new()
    {
        NumberOfEpochs = 3,
        Seed = 7,
        ValidationFraction = 0.25,
        KeepBest = true,
        RandomCropPadding = 4,
        RandomHorizontalFlip = true,
    };

    /// <summary>Trains <see cref="AugmentedRun"/> and writes its conv weights' bytes: the child process's whole job.</summary>
    internal static void WriteAugmentedWeights(string path)
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(AugmentedRun()).Fit(Train(ml));
        File.WriteAllBytes(path, Weights(model));
    }

    [Fact]
    public void EverythingIsOffByDefaultSoTheSeedsProcedureIsUnchanged()
    {
        var defaults = new SimpleCnnTrainer.Options();
        Assert.Equal(0, defaults.ValidationFraction);
        Assert.Null(defaults.EarlyStoppingPatience);
        Assert.False(defaults.KeepBest);
        Assert.Equal(0, defaults.RandomCropPadding);
        Assert.False(defaults.RandomHorizontalFlip);
        Assert.Null(defaults.TestSet);

        // A test set is only measured: the weights are those of a run without one, bit for bit.
        var ml = new MLContext(seed: 1);
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 2, Seed = 5 };
        using var plain = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        options.TestSet = Test(ml);
        using var measured = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        Assert.Equal(Weights(plain), Weights(measured));
        Assert.All(measured.History, e => Assert.Null(e.ValidationLoss));
        Assert.All(measured.History, e => Assert.InRange(e.TestAccuracy!.Value, 0, 1));
        var metrics = ml.MulticlassClassification.Evaluate(measured.Transform(Test(ml)));
        Assert.Equal(metrics.MicroAccuracy, measured.History[^1].TestAccuracy!.Value, 6);
        Assert.Contains("; test loss", measured.History[0].Describe());
        Assert.DoesNotContain("validation", measured.History[0].Describe());
    }

    [Fact]
    public void KeepBestEndsWithTheWeightsOfTheRunThatStopsAtTheBestValidationEpoch()
    {
        var ml = new MLContext(seed: 1);
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 6, Seed = 2, LearningRate = 0.005, ValidationFraction = 0.25, KeepBest = true, TestSet = Test(ml) };
        using var kept = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        Assert.Equal(6, kept.History.Count);
        Assert.All(kept.History, e => Assert.True(double.IsFinite(e.ValidationLoss!.Value) && double.IsFinite(e.TestLoss!.Value)));
        var best = kept.History.MinBy(e => e.ValidationLoss!.Value)!;
        Assert.Contains("validation loss", kept.History[0].Describe());

        // The same split and seed, stopped at the best epoch without keep-best: the same weights, bit for bit.
        options.NumberOfEpochs = best.Epoch;
        options.KeepBest = false;
        using var stopped = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        Assert.Equal(Weights(stopped), Weights(kept));
        Assert.Equal(best.ValidationLoss, stopped.History[^1].ValidationLoss);
        // 240 rows at lr 0.005 overfit within 6 epochs: the best epoch is not the last, so something was restored.
        Assert.NotEqual(6, best.Epoch);
    }

    [Fact]
    public void EarlyStoppingStopsPatienceEpochsAfterTheBestValidationLoss()
    {
        var ml = new MLContext(seed: 1);
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 12, Seed = 2, LearningRate = 0.005, ValidationFraction = 0.25, EarlyStoppingPatience = 2 };
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        var best = model.History.MinBy(e => e.ValidationLoss!.Value)!;
        Assert.Equal(best.Epoch + 2, model.History.Count);
        Assert.True(model.History.Count < 12, $"trained all {model.History.Count} epochs");
    }

    [Fact]
    public void TheTestSplitNeverChoosesTheModel()
    {
        // Two different test sets (120 and 40 images) measure different figures; early stopping and keep-best see only
        // the validation split, so the weights and the validation figures are identical.
        var ml = new MLContext(seed: 1);
        var test = Test(ml);
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 6, Seed = 2, LearningRate = 0.005, ValidationFraction = 0.25, EarlyStoppingPatience = 1, KeepBest = true };
        options.TestSet = test;
        using var first = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        options.TestSet = Test(ml, rows: 40);
        using var second = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train(ml));
        Assert.Equal(Weights(first), Weights(second));
        Assert.Equal(first.History.Select(e => e.ValidationLoss), second.History.Select(e => e.ValidationLoss));
        Assert.NotEqual(first.History.Select(e => e.TestLoss), second.History.Select(e => e.TestLoss));
    }

    [Fact]
    public void OptionsThatChooseOnValidationWithoutASplitAreRefusedNamingTheFix()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { KeepBest = true, TestSet = Test(ml) }));
        Assert.Contains("ValidationFraction", e.Message);
        Assert.Contains("TestSet never chooses", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { ValidationFraction = 1 }));
        Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { ValidationFraction = 0.1, ValidationSet = Test(ml) }));
    }

    [Fact]
    public void AugmentedTrainingIsBitIdenticalInAFreshProcessAndDiffersFromUnaugmented()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(seed: 1);
        using var here = ml.MulticlassClassification.Trainers.SimpleCnn(AugmentedRun()).Fit(Train(ml));
        var path = temp.Combine("weights.bin");
        var (exitCode, output) = ChildProcess.RunDotnet(
            [typeof(ChildEntryPoint).Assembly.Location, ChildEntryPoint.AugmentedTrainingCommand, path]);
        Assert.True(exitCode == 0, $"The child process failed (exit {exitCode}):\n{output}");
        Assert.Equal(Weights(here), File.ReadAllBytes(path));

        var plain = AugmentedRun();
        plain.RandomCropPadding = 0;
        plain.RandomHorizontalFlip = false;
        using var unaugmented = ml.MulticlassClassification.Trainers.SimpleCnn(plain).Fit(Train(ml));
        Assert.NotEqual(Weights(here), Weights(unaugmented));
    }
}
