using MlNetCnn.Experiments;
using MlNetCnn.Experiments.DepthFeatures;
using MlNetCnn.Experiments.DepthSweep;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.DepthFeatures;

[Collection(TorchSerialCollection.Name)]
public class DepthFeaturesExperimentTests
{
    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 1.0)]
    [InlineData(new[] { 1.0, 3, 2, 4 }, 0.8)]     // one adjacent pair out of order: still "grows"
    [InlineData(new[] { 0.9, 0.5, 0.4, 0.1 }, -1.0)]
    [InlineData(new[] { 2.0, 1, 4, 3 }, 0.6)]
    [InlineData(new[] { 0.5, 0.5, 0.5, 0.5 }, 0.0)]
    [InlineData(new[] { 1.0, 2 }, 1.0)]
    public void TheTrendIsSpearmansRhoWithTheLayerIndex(double[] values, double expected) =>
        Assert.Equal(expected, DepthFeaturesExperiment.Trend(values), 9);

    [Fact]
    public void AMissingLayerValueLeavesTheTrendUnmeasured()
    {
        Assert.True(double.IsNaN(DepthFeaturesExperiment.Trend(new[] { 1.0, double.NaN, 3 })));
        Assert.True(double.IsNaN(DepthFeaturesExperiment.Trend(new[] { 1.0 })));
    }

    [Fact]
    public void ASmokeRunMeasuresEveryLayerAndItsVerdictFollowsItsTrends()
    {
        using var train = StreakImages.Create(96, seed: 11);
        using var test = StreakImages.Create(48, seed: 12);
        using var context = new ExperimentContext(train, test, ["horizontal", "vertical"])
        {
            Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
            Budget = ExperimentTestModels.Tiny,
            Threads = 1,
        };
        var experiment = new DepthFeaturesExperiment { PictureSteps = 16 };

        var result = new ExperimentRunner(new ExperimentRegistry([experiment, new DepthSweepExperiment()])).Run("depth-features", context);

        var measures = DepthFeaturesExperiment.Measures.Select(m => m.Name).ToArray();
        foreach (var layer in new[] { "conv1", "conv2", "conv3", "conv4" })
            foreach (var measure in measures)
                Assert.True(result.Measurements.Any(m => m.Name == $"{layer}.{measure}"), $"{layer}.{measure} missing");
        var trends = measures.Select(m => result.Value($"trend.{m}")).ToArray();
        Assert.All(trends, t => Assert.InRange(t, -1, 1));
        Assert.Equal(trends.Min(), result.Value("weakest-trend"));
        Assert.Equal(trends.Min(), result.Effect);
        // The effective field grows layer by layer, as the arithmetic says it can (3, 8, 18, 38 px before clipping).
        Assert.Equal(1, result.Value("trend.receptive-field"));
        Assert.True(result.Value("conv1.receptive-field") <= 3 && result.Value("conv4.receptive-field") > 8);
        Assert.All(new[] { "translation-invariance", "photometric-invariance", "selectivity", "probe-accuracy" },
            m => Assert.All(new[] { 1, 2, 3, 4 }, l => Assert.InRange(result.Value($"conv{l}.{m}"), 0, 1)));
        Assert.All(new[] { 1, 2, 3, 4 }, l => Assert.InRange(result.Value($"conv{l}.complexity"), 1, 8));
        var expected = trends.Any(t => t <= -0.8) ? Verdict.NotSupported : trends.All(t => t >= 0.8) ? Verdict.Supported : Verdict.Inconclusive;
        Assert.Equal(expected, result.Verdict);
        Assert.Equal(4, result.Images.Count);            // one row of optimised pictures per layer
        Assert.Single(result.Heatmaps);

        // The depth sweep, run afterwards on the same context, studies the very same 4-layer network.
        var sweep = new ExperimentRunner(new ExperimentRegistry([new DepthSweepExperiment()])).Run("depth", context);
        Assert.Equal(sweep.Value("depth4.accuracy"), result.Value("network.accuracy"));
    }
}
