using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

[Collection(TorchSerialCollection.Name)]
public class ExperimentContextTests
{
    [Fact]
    public void ADataOnlyNumberIsComputedOnceForAContextAndEverySeedMadeFromIt()
    {
        using var train = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2);
        using var context = new ExperimentContext(train, test) { Seed = 3 };
        using var reseeded = context.WithSeed(9);
        using var other = new ExperimentContext(train, test) { Seed = 3 };
        var computed = 0;
        int Compute() => ++computed;

        Assert.Equal(1, reseeded.DataOnly("probe", Compute));
        Assert.Equal(1, context.DataOnly("probe", Compute));
        Assert.Equal(2, context.DataOnly("another key", Compute));
        // A context built on its own shares nothing, even on the same images.
        Assert.Equal(3, other.DataOnly("probe", Compute));
        Assert.Equal(3, computed);
    }

    [Fact]
    public void WithSeedChangesOnlyTheSeedAndKeepsEveryOtherSetting()
    {
        using var train = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2);
        using var cancellation = new CancellationTokenSource();
        var progress = new Progress<ExperimentProgress>();
        var architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 8, InputWidth = 8, ClassCount = 2, HiddenUnits = 7 };
        using var context = new ExperimentContext(train, test)
        {
            Architecture = architecture,
            Budget = ExperimentTestModels.Tiny,
            Seed = 3,
            Threads = 2,
            Parallel = false,
            Progress = progress,
            Cancellation = cancellation.Token,
        };

        using var reseeded = context.WithSeed(9);

        Assert.Equal(9, reseeded.Seed);
        Assert.Equal(3, context.Seed);
        Assert.Same(architecture, reseeded.Architecture);
        Assert.Same(ExperimentTestModels.Tiny, reseeded.Budget);
        Assert.Equal(2, reseeded.Threads);
        Assert.False(reseeded.Parallel);
        Assert.Same(progress, reseeded.Progress);
        Assert.Equal(cancellation.Token, reseeded.Cancellation);
    }

    [Fact]
    public void WithoutAModelTheArchitectureIsTheSeedNetworkSizedToTheImages()
    {
        using var train = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2);
        using var context = new ExperimentContext(train, test, ["a", "b", "c"]);

        var a = context.Architecture;
        var seed = ConvNetArchitecture.Default;
        Assert.Equal((1, 8, 8, 3), (a.InputChannels, a.InputHeight, a.InputWidth, a.ClassCount));
        Assert.Equal(seed.ConvChannels, a.ConvChannels);
        Assert.Equal((seed.KernelSize, seed.HiddenUnits, seed.PaddingMode), (a.KernelSize, a.HiddenUnits, a.PaddingMode));
    }

    [Fact]
    public void ANetworkOfAnArchitectureIsTrainedOncePerContextAndTheModelUnderStudyIsReused()
    {
        using var train = ExperimentTestModels.RandomImages(8, channels: 1, side: 8, classes: 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2);
        var architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 8, InputWidth = 8, ClassCount = 2 };
        using var context = new ExperimentContext(train, test) { Architecture = architecture, Budget = ExperimentTestModels.Tiny, Threads = 1 };

        // Equal channel lists in different instances name the same architecture.
        var three = context.TrainedNetwork(architecture with { ConvChannels = new[] { 6, 12, 24 } });
        Assert.Same(three, context.TrainedNetwork(architecture with { ConvChannels = new List<int> { 6, 12, 24 } }));
        Assert.NotSame(three, context.TrainedNetwork(architecture with { ConvChannels = new[] { 6, 12, 12 } }));
        Assert.Same(context.Model, context.TrainedNetwork(architecture with { ConvChannels = new[] { 6, 12 } }));

        // Another context with the same seed trains the same weights: sharing changes no number.
        using var other = new ExperimentContext(train, test) { Architecture = architecture, Budget = ExperimentTestModels.Tiny, Threads = 1 };
        Assert.Equal(three.GetKernels("conv3").Weights, other.TrainedNetwork(architecture with { ConvChannels = new[] { 6, 12, 24 } }).GetKernels("conv3").Weights);
    }

    [Fact]
    public void AGivenModelIsNotTakenForANetworkTrainedHere()
    {
        using var train = ExperimentTestModels.RandomImages(8, channels: 1, side: 8, classes: 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2);
        var architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 8, InputWidth = 8, ClassCount = 2 };
        using var given = ExperimentTestModels.Untrained(architecture);
        using var context = new ExperimentContext(train, test, model: given) { Budget = ExperimentTestModels.Tiny, Threads = 1 };

        var trained = context.TrainedNetwork(architecture);
        Assert.NotSame(given, trained);
        Assert.NotEqual(given.GetKernels("conv1").Weights, trained.GetKernels("conv1").Weights);
    }
}
