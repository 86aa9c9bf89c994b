using MathNet.Numerics.Statistics;
using MlNetCnn.Experiments.DepthFeatures;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.DepthFeatures;

[Collection(TorchSerialCollection.Name)]
public class ResponseInvarianceTests
{
    private const int Side = 8;

    private static TrainedCnn OneLayer(ConvPadding padding, float[] weights, float[] bias)
    {
        var model = ExperimentTestModels.Untrained(new ConvNetArchitecture
        {
            InputChannels = 1,
            InputHeight = Side,
            InputWidth = Side,
            ClassCount = 2,
            ConvChannels = new[] { bias.Length },
            PaddingMode = padding,
        });
        ExperimentTestModels.SetConv(model, 0, weights, bias);
        return model;
    }

    private static float[] Images(int count, int seed, float low, float high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * Side * Side).Select(_ => low + (high - low) * (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void ShiftInvarianceOfAPooledIdentityUnitMatchesAPlainComputation()
    {
        // conv1 = the image itself (centre tap 1, bias 0): the pooled response is the 2×2 max of the ReLU'd image, which
        // plain loops give independently of libtorch.
        var identity = new float[9];
        identity[4] = 1;
        using var model = OneLayer(ConvPadding.Zeros, identity, new[] { 0f });
        var images = Images(16, seed: 4, -0.5f, 1f);
        var change = ImageChange.Shift(1, 0);

        var measured = ResponseInvariance.Measure(model.Network, images, 16, 1, Side, Side, (0f, 1f), 1, new[] { change }, default)[0][0];

        var shifted = change.Apply(images, 16, 1, Side, Side, 0, 1);
        var expected = Correlation.Pearson(Pooled(images), Pooled(shifted));
        Assert.Equal(expected, measured, 5);
        Assert.InRange(measured, 0.2, 0.95);   // a real change, neither none nor total
    }

    private static IEnumerable<double> Pooled(float[] images)
    {
        for (var i = 0; i < images.Length / (Side * Side); i++)
            for (var y = 0; y < Side; y += 2)
                for (var x = 0; x < Side; x += 2)
                    yield return new[] { (y, x), (y, x + 1), (y + 1, x), (y + 1, x + 1) }.Max(p => Math.Max(0f, images[i * Side * Side + p.Item1 * Side + p.Item2]));
    }

    [Fact]
    public void AShiftAlongStripesChangesNothing()
    {
        // Vertical stripes shifted vertically are the same picture.
        var random = new Random(5);
        var images = new float[8 * Side * Side];
        for (var i = 0; i < 8; i++)
        {
            var columns = Enumerable.Range(0, Side).Select(_ => (float)random.NextDouble()).ToArray();
            for (var p = 0; p < Side * Side; p++) images[i * Side * Side + p] = columns[p % Side];
        }
        var random9 = new Random(6);
        using var model = OneLayer(ConvPadding.Zeros, Enumerable.Range(0, 18).Select(_ => (float)random9.NextDouble() - 0.5f).ToArray(), new[] { 0.05f, -0.05f });

        var vertical = ResponseInvariance.Measure(model.Network, images, 8, 1, Side, Side, (0f, 1f), 1, new[] { ImageChange.Shift(0, 1), ImageChange.Shift(0, -2) }, default)[0];
        var horizontal = ResponseInvariance.Measure(model.Network, images, 8, 1, Side, Side, (0f, 1f), 1, new[] { ImageChange.Shift(2, 0) }, default)[0];

        Assert.All(vertical, v => Assert.Equal(1.0, v, 9));
        Assert.All(horizontal, v => Assert.True(v < 0.95, $"horizontal shift invariance {v}"));
    }

    [Fact]
    public void AZeroSumKernelIgnoresBrightnessAndScalesWithContrastWhileADeadChannelIsNaN()
    {
        // Circular padding, so every unit sees the whole kernel: a zero-sum kernel cancels a brightness shift, and with
        // zero bias a contrast gain g about the mean scales its ReLU output by g; correlation ignores the scale.
        var edge = new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 };
        var weights = edge.Concat(edge).Concat(new float[9]).ToArray();
        using var model = OneLayer(ConvPadding.Circular, weights, new[] { 5f, 0f, -1f });
        var images = Images(8, seed: 7, 0.3f, 0.7f);

        var brightness = ResponseInvariance.Measure(model.Network, images, 8, 1, Side, Side, (0f, 1f), 1, new[] { ImageChange.Brighten(0.1f), ImageChange.Brighten(-0.1f) }, default)[0];
        var contrast = ResponseInvariance.Measure(model.Network, images, 8, 1, Side, Side, (0f, 1f), 1, new[] { ImageChange.Stretch(0.8f), ImageChange.Stretch(1.25f) }, default)[0];

        Assert.Equal(1.0, brightness[0], 5);   // bias 5: never clipped, so the response is unchanged
        Assert.Equal(1.0, contrast[1], 5);     // bias 0: the response is scaled
        Assert.True(double.IsNaN(brightness[2]));
        Assert.True(double.IsNaN(contrast[2]));
    }
}
