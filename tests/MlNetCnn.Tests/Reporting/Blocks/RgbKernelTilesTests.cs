using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Tests.Reporting.Blocks;

public sealed class RgbKernelTilesTests
{
    [Fact]
    public void ZeroMapsToGreyAndTheLargestMagnitudeToTheEnds()
    {
        var kernel = new float[3]; // k = 1
        kernel[0] = 2f;
        kernel[1] = -2f;
        kernel[2] = 0f;

        var tile = RgbKernelTiles.ToRgbTile(kernel, 1);

        Assert.Equal([1f, 0f, 0.5f], tile);
    }

    [Fact]
    public void SharedScaleKeepsWeakFiltersDim()
    {
        float[] weights = [1f, 0f, 0f, 0.5f, 0f, 0f]; // two 1×1 filters
        var strip = RgbKernelTiles.CreateStrip(weights, 2, 1, sharedScale: true);
        Assert.Equal(0.75f, strip.Images[1].Rgb[0]);

        var perFilter = RgbKernelTiles.CreateStrip(weights, 2, 1);
        Assert.Equal(1f, perFilter.Images[1].Rgb[0]);
    }

    [Fact]
    public void WeightCountMustMatchTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => RgbKernelTiles.CreateStrip(new float[74], 1, 5));
        Assert.Contains("75", ex.Message, StringComparison.Ordinal);
        Assert.Contains("74", ex.Message, StringComparison.Ordinal);
    }
}
