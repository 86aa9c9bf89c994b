using MlNetCnn.Experiments;
using MlNetCnn.Experiments.PixelPermutation;
using MlNetCnn.Model;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Experiments.PixelPermutation;

[Collection(TorchSerialCollection.Name)]
public class PixelPermutationTests
{
    private readonly ITestOutputHelper output;

    public PixelPermutationTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void StreaksAreLearnedByTheCnnButNotAfterPermutingPixels()
    {
        using var train = StreakImages.Create(600, seed: 1);
        using var test = StreakImages.Create(300, seed: 2);
        using var context = new ExperimentContext(train, test, new[] { "horizontal", "vertical" })
        {
            Budget = ExperimentTestModels.Tiny with { Training = ExperimentTestModels.Tiny.Training with { Epochs = 2 } },
            Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
        };

        var result = new PixelPermutationExperiment().Run(context);
        output.WriteLine(result.Explanation);

        Assert.True(result.Value("cnn.original.accuracy") > 0.9, $"CNN on original streaks: {result.Value("cnn.original.accuracy")}");
        Assert.True(result.Value("cnn.permuted.accuracy") < 0.7, $"CNN on permuted streaks: {result.Value("cnn.permuted.accuracy")}");
        Assert.True(Math.Abs(result.Value("mlp.drop")) < 0.1, $"MLP drop: {result.Value("mlp.drop")}");
        Assert.Equal(Verdict.Supported, result.Verdict);
        // The control has about the CNN's parameter count.
        var ratio = result.Value("mlp.parameters") / result.Value("cnn.parameters");
        Assert.InRange(ratio, 0.9, 1.1);
        // The stronger control is as wide as the CNN's fc1 and, being fully connected too, does not care either.
        Assert.Equal(context.Architecture.HiddenUnits, result.Value("wide-mlp.hidden-units"));
        Assert.True(Math.Abs(result.Value("wide-mlp.drop")) < 0.1, $"wide MLP drop: {result.Value("wide-mlp.drop")}");
        Assert.True(result.Value("wide-mlp.parameters") > result.Value("mlp.parameters"));
        Assert.Equal(result.Value("cnn.drop") - Math.Max(Math.Abs(result.Value("mlp.drop")), Math.Abs(result.Value("wide-mlp.drop"))), result.Effect, 12);
    }

    [Fact]
    public void PermutationMovesWholePixelsAndIsABijection()
    {
        using var set = ExperimentTestModels.RandomImages(2, 3, 4, 2, seed: 3);
        var permutation = Enumerable.Range(0, 16).Reverse().ToArray();
        using var permuted = typeof(PixelPermutationExperiment).Assembly.GetType("MlNetCnn.Experiments.ImageTensors")!
            .GetMethod("PermutePixels")!.Invoke(null, new object[] { set, permutation }) as MlNetCnn.Training.InMemoryImageSet;
        var before = set.Features.data<float>().ToArray();
        var after = permuted!.Features.data<float>().ToArray();
        for (var image = 0; image < 2; image++)
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < 16; p++)
                    Assert.Equal(before[(image * 3 + c) * 16 + permutation[p]], after[(image * 3 + c) * 16 + p]);
        Assert.Equal(before.OrderBy(v => v), after.OrderBy(v => v));
    }
}
