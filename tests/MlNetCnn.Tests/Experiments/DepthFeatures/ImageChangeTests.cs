using MlNetCnn.Experiments.DepthFeatures;

namespace MlNetCnn.Tests.Experiments.DepthFeatures;

public class ImageChangeTests
{
    // One grey 3×4 image, value (10·row + column) / 100.
    private static readonly float[] Image = Enumerable.Range(0, 12).Select(i => (10 * (i / 4) + i % 4) / 100f).ToArray();

    private static float At(float[] image, int y, int x) => image[y * 4 + x];

    [Fact]
    public void AShiftMovesContentAndRepeatsTheBorderIntoTheUncoveredStrip()
    {
        var right = ImageChange.Shift(1, 0).Apply(Image, 1, 1, 3, 4, 0, 1);
        var up = ImageChange.Shift(0, -2).Apply(Image, 1, 1, 3, 4, 0, 1);

        for (var y = 0; y < 3; y++)
        {
            Assert.Equal(At(Image, y, 0), At(right, y, 0));                   // the left column, repeated
            for (var x = 1; x < 4; x++) Assert.Equal(At(Image, y, x - 1), At(right, y, x));
            for (var x = 0; x < 4; x++) Assert.Equal(At(Image, Math.Min(2, y + 2), x), At(up, y, x));
        }
    }

    [Fact]
    public void BrightnessAddsAndContrastScalesAboutTheImageMeanWithinTheRange()
    {
        var mean = Image.Average();
        var brighter = ImageChange.Brighten(0.1f).Apply(Image, 1, 1, 3, 4, 0, 0.25f);
        var stretched = ImageChange.Stretch(2f).Apply(Image, 1, 1, 3, 4, 0, 1);

        for (var i = 0; i < Image.Length; i++)
        {
            Assert.Equal(Math.Min(0.25f, Image[i] + 0.1f), brighter[i], 6);
            Assert.Equal(Math.Clamp(mean + 2 * (Image[i] - mean), 0f, 1f), stretched[i], 6);
        }
        Assert.Contains(brighter, v => v == 0.25f);   // clamped
    }

    [Fact]
    public void EveryImageOfABatchIsChangedOnItsOwn()
    {
        var two = Image.Concat(Image.Select(v => v + 0.5f)).ToArray();
        var stretched = ImageChange.Stretch(0.5f).Apply(two, 2, 1, 3, 4, 0, 1);
        var first = ImageChange.Stretch(0.5f).Apply(Image, 1, 1, 3, 4, 0, 1);
        var second = ImageChange.Stretch(0.5f).Apply(two.Skip(12).ToArray(), 1, 1, 3, 4, 0, 1);
        Assert.Equal(first.Concat(second), stretched);
        Assert.Throws<ArgumentException>(() => ImageChange.Shift(1, 0).Apply(Image, 2, 1, 3, 4, 0, 1));
    }
}
