using System.IO.Compression;
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.Experiments;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Training;

public class DivergenceGuardTests
{
    private static readonly TrainingSettings Settings = new() { Epochs = 2, Seed = 3, NumberOfThreads = 1 };

    [Fact]
    public void ANanWeightStopsTrainingAtTheFirstBatchWithItsPosition()
    {
        using var model = TrainingLoop.CreateModel(ConvNetArchitecture.Default, Settings);
        using (no_grad()) model.ConvLayers[1].weight![0, 0, 0, 0] = float.NaN;
        using var images = ExperimentTestModels.RandomImages(16, 3, 32, 10, seed: 1);

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingLoop.Train(model, images, null, Settings));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(1, error.Batch);
        Assert.True(double.IsNaN(error.Loss));
        Assert.Contains("epoch 1, batch 1", error.Message);
        Assert.Contains("learning rate", error.Message);
    }

    [Fact]
    public void ANonFiniteWeightThatTheLossDoesNotSeeIsCaughtAtTheEndOfTheEpoch()
    {
        using var model = new WithIdleParameter();
        using var images = ExperimentTestModels.RandomImages(12, 3, 32, 10, seed: 2);

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingLoop.Train(model, images, null, Settings));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(3, error.Batch);
        Assert.True(double.IsFinite(error.Loss));
        Assert.Contains("parameter idle", error.Message);
    }

    [Fact]
    public void FitWithAnExplodingLearningRateThrowsInsteadOfReturningANanModel()
    {
        var ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 64);
        var trainer = ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1, LearningRate = 1e30 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train));
        Assert.Equal(1, error.Epoch);
        Assert.InRange(error.Batch, 2, 16);
    }

    [Fact]
    public void AHistoryWithNonFiniteValuesSavesAndLoads()
    {
        var settings = new TrainingSettings { Seed = 1, NumberOfThreads = 1 };
        var history = new[] { new EpochMetrics(1, double.NaN, 0.1, double.PositiveInfinity, null, 1.5) };
        var network = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
        using var model = new TrainedCnn(network, SyntheticCifar10.ClassNames, history, settings);
        using var temp = new TempDirectory();
        var path = temp.Combine("model.zip");

        SimpleCnnModelFile.Save(model, path);
        using var loaded = SimpleCnnModelFile.LoadNetwork(path);
        Assert.True(double.IsNaN(loaded.History[0].TrainingLoss));
        Assert.True(double.IsPositiveInfinity(loaded.History[0].ValidationLoss!.Value));
        using var zip = ZipFile.OpenRead(path);
        Assert.NotNull(zip.GetEntry("history.json"));
    }

    /// <summary>A linear classifier with one extra parameter the loss never reads, set to infinity.</summary>
    private sealed class WithIdleParameter : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear linear = nn.Linear(3 * 32 * 32, 10);
        private readonly TorchSharp.Modules.Parameter idle = new(full(2, float.PositiveInfinity));

        public WithIdleParameter() : base(nameof(WithIdleParameter)) => RegisterComponents();

        public override Tensor forward(Tensor input) => linear.call(input.flatten(1));
    }
}
