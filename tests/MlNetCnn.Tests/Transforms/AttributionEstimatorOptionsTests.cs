using MlNetCnn.Attribution;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

// The estimator's Options are what a pipeline user sets; AttributionSettings is what a method receives. The two
// shapes must agree on every default and carry every method-side option across.
public class AttributionEstimatorOptionsTests
{
    [Fact]
    public void DefaultOptionsGiveTheMethodsTheirDefaultSettings()
    {
        AssertSame(new AttributionSettings(), new AttributionEstimator.Options().ToMethodSettings());
        Assert.Equal(AttributionEstimator.Defaults.BatchSize, new AttributionSettings().BatchSize);
        Assert.Equal(AttributionEstimator.Defaults.Seed, new AttributionSettings().Seed);
    }

    [Fact]
    public void EveryMethodSideOptionReachesTheSettings()
    {
        var options = new AttributionEstimator.Options { Layer = "conv1", BatchSize = 7, Seed = 42 };

        AssertSame(new AttributionSettings { Layer = "conv1", BatchSize = 7, Seed = 42 }, options.ToMethodSettings());
    }

    // Field by field: AttributionSettings is a plain class (no record equality on the public surface).
    private static void AssertSame(AttributionSettings expected, AttributionSettings actual) =>
        Assert.Equal((expected.Layer, expected.BatchSize, expected.Seed), (actual.Layer, actual.BatchSize, actual.Seed));
}
