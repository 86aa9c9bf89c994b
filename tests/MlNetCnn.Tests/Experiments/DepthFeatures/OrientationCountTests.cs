using MlNetCnn.Experiments.DepthFeatures;

namespace MlNetCnn.Tests.Experiments.DepthFeatures;

public class OrientationCountTests
{
    private const int Side = 12;
    private static readonly (int, int) All = (0, Side - 1);

    private static float[] Picture(Func<int, int, float> value, int channels = 1)
    {
        var picture = new float[channels * Side * Side];
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < Side; y++)
                for (var x = 0; x < Side; x++)
                    picture[(c * Side + y) * Side + x] = value(y, x) * (c + 1);
        return picture;
    }

    [Theory]
    [InlineData(1, 0)]    // a vertical edge: horizontal gradient
    [InlineData(0, 1)]    // a horizontal edge
    [InlineData(1, 1)]    // a diagonal edge
    [InlineData(1, -1)]   // the other diagonal
    public void OneStraightEdgeIsOneOrientation(int a, int b)
    {
        var picture = Picture((y, x) => a * (x - 5.5) + b * (y - 5.5) > 0 ? 1f : 0f, channels: 3);
        Assert.Equal(1.0, OrientationCount.Of(picture, 3, Side, Side, (-5, Side + 5), (-5, Side + 5)), 9);
    }

    [Fact]
    public void TwoCrossingEdgesCountAsTheirEnergyShareSaysAndTheWindowSeesOnlyItsOwn()
    {
        // A vertical edge between columns 2 and 3 and a horizontal one between rows 8 and 9, both full length: 10 cells
        // of each carry energy 1 at 0° and 90°, the crossing cell energy 2 at 45°.
        var picture = Picture((y, x) => (x >= 3 ? 1f : 0f) + (y >= 9 ? 1f : 0f));
        double[] shares = [10.0 / 22, 10.0 / 22, 2.0 / 22];
        var expected = Math.Exp(-shares.Sum(p => p * Math.Log(p)));

        Assert.Equal(expected, OrientationCount.Of(picture, 1, Side, Side, All, All), 9);
        Assert.Equal(1.0, OrientationCount.Of(picture, 1, Side, Side, (0, 5), (0, 5)), 9);   // only the vertical edge
    }

    [Fact]
    public void NoiseHasNearlyEveryOrientationAndAFlatPictureNone()
    {
        var random = new Random(3);
        var noise = Picture((_, _) => (float)random.NextDouble());
        Assert.InRange(OrientationCount.Of(noise, 1, Side, Side, All, All), 6.5, OrientationCount.Bins);
        Assert.True(double.IsNaN(OrientationCount.Of(Picture((_, _) => 0.3f), 1, Side, Side, All, All)));
    }

    [Fact]
    public void APictureOfTheWrongSizeIsRefused() =>
        Assert.Throws<ArgumentException>(() => OrientationCount.Of(new float[10], 1, Side, Side, All, All));
}
