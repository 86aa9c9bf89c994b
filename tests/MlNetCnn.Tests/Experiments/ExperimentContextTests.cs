using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

[Collection(TorchSerialCollection.Name)]
public class ExperimentContextTests
{
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
            Architecture = architecture, Budget = ExperimentTestModels.Tiny, Seed = 3, Threads = 2, Parallel = false,
            Progress = progress, Cancellation = cancellation.Token,
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
}
