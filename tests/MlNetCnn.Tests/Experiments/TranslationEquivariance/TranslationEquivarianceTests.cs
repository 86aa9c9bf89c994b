using MlNetCnn.Experiments;
using MlNetCnn.Experiments.TranslationEquivariance;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.TranslationEquivariance;

[Collection(TorchSerialCollection.Name)]
public class TranslationEquivarianceTests
{
    private static ExperimentResult Run(ConvNetArchitecture architecture, int maxShift = 6)
    {
        using var model = ExperimentTestModels.Untrained(architecture);
        using var train = ExperimentTestModels.RandomImages(4, 3, 16, 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(8, 3, 16, 2, seed: 2);
        using var context = new ExperimentContext(train, test, model: model) { Budget = ExperimentTestModels.Tiny };
        return new TranslationEquivarianceExperiment { MaxShift = maxShift }.Run(context);
    }

    [Fact]
    public void OneCircularConvLayerIsExactlyEquivariantToCircularShifts()
    {
        var result = Run(new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2, ConvChannels = new[] { 6 }, PaddingMode = ConvPadding.Circular });

        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.True(result.Value("conv1.max-error") < 1e-6, $"conv1 max error {result.Value("conv1.max-error")}");
        Assert.True(result.Value("conv1.mean-uncompensated-change") > 0.1);
        Assert.True(result.Value("fc1.mean-change") > 0.01);
        var chart = result.Charts.Single();
        var conv1 = chart.Series.First(s => s.Name.StartsWith("conv1 shifted back"));
        Assert.All(conv1.Y, e => Assert.True(e < 1e-6));
    }

    [Fact]
    public void PoolingKeepsEquivarianceOnlyForShiftsThatAreWholePooledPixels()
    {
        var result = Run(new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2, PaddingMode = ConvPadding.Circular });

        Assert.True(result.Value("conv2.max-error") < 1e-6, $"conv2 error at even shifts {result.Value("conv2.max-error")}");
        // Odd shifts are half a conv2 pixel: no whole shift matches them.
        Assert.True(result.Value("conv2.mean-error-between-strides") > 0.05, $"conv2 error at odd shifts {result.Value("conv2.mean-error-between-strides")}");
    }

    [Fact]
    public void ZeroPaddedMapsAgreeExactlyAwayFromTheBorders()
    {
        var result = Run(new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2 }, maxShift: 4);

        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.True(result.Value("conv1.mean-error") < 1e-6);
        Assert.True(result.Value("conv2.mean-error") < 1e-6);
        // Units touching the zero fill or the far border differ.
        Assert.True(result.Value("conv2.mean-error-with-borders") > 1e-3);
        Assert.Equal(2, result.Heatmaps.Count);
        Assert.Equal(3, result.Heatmaps[0].Channels);
    }
}
