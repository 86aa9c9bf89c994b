using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

/// <summary>Every experiment adapts to small one-channel images (as from a grey image folder), and says what it left out.</summary>
[Collection(TorchSerialCollection.Name)]
public class SmallGreyImageExperimentTests
{
    public static TheoryData<string> Names => new(ExperimentRegistry.Default.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void RunsOnEightByEightGreyImages(string name)
    {
        using var train = ExperimentTestModels.RandomImages(48, channels: 1, side: 8, classes: 2, seed: 3);
        using var test = ExperimentTestModels.RandomImages(24, channels: 1, side: 8, classes: 2, seed: 4);
        using var context = new ExperimentContext(train, test, ["a", "b"])
        {
            Architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 8, InputWidth = 8, ClassCount = 2 },
            Budget = ExperimentTestModels.Tiny,
            Threads = 1,
        };
        var result = new ExperimentRunner().Run(name, context);
        Assert.NotEmpty(result.Measurements);
        Assert.All(result.Images, f => Assert.All(f.Images, p => Assert.Equal(1, p.Channels)));
        Assert.DoesNotContain("colour directions", result.Explanation);
        if (name == "depth")
            Assert.Contains("Left out: 4 conv layers, because a 8×8 image can be halved by 2×2 pooling at most 3 times.", result.Explanation);
    }
}
