using MlNetCnn.Reporting.CnnReport.Parts;

namespace MlNetCnn.Tests.Reporting.CnnReport.Parts;

public sealed class KernelOrientationTests
{
    // One 3×3 pattern copied into all three colour planes (so the colour sum is 3× the pattern).
    private static float[] Grey(params float[] pattern) => [.. pattern, .. pattern, .. pattern];

    [Theory]
    [InlineData(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, "vertical edges", 0, "bright on the right")]
    [InlineData(new float[] { 1, 0, -1, 2, 0, -2, 1, 0, -1 }, "vertical edges", 0, "bright on the left")]
    [InlineData(new float[] { 1, 2, 1, 0, 0, 0, -1, -2, -1 }, "horizontal edges", 90, "bright above")]
    [InlineData(new float[] { 0, 1, 1, -1, 0, 1, -1, -1, 0 }, "diagonal edges (\\)", 45, "bright towards the upper right")]
    [InlineData(new float[] { 1, 1, 0, 1, 0, -1, 0, -1, -1 }, "diagonal edges (/)", 135, "bright towards the upper left")]
    public void SobelLikeKernelsGetTheirOrientation(float[] pattern, string label, int angle, string polarity)
    {
        var o = KernelOrientation.Analyse(Grey(pattern), 0, 3, 3);
        Assert.Equal(label, o.Label);
        Assert.Equal(angle, o.BestAngle);
        Assert.Equal(polarity, o.Polarity);
        Assert.Equal(1.0, o.Strength, 9);
        Assert.True(o.IsEdge);
        Assert.Contains(label, o.Describe(["R", "G", "B"]), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTextGivesTheResponseWithTheSignOfThePreferredStepAndSaysTheAnglesAreGradientDirections()
    {
        // Bright on the left: the step that brightens rightwards (0°) gives −1, the reverse step +1.
        var text = KernelOrientation.Analyse(Grey(1, 0, -1, 2, 0, -2, 1, 0, -1), 0, 3, 3).Describe(["R", "G", "B"]);
        Assert.Contains("vertical edges, bright on the left: its response to that step is +1.00 of its weight mass (the edge's line runs at 90°)", text, StringComparison.Ordinal);
        Assert.Contains("0°: −1.00", text, StringComparison.Ordinal);
        Assert.Contains("the 0° value is negative because that step is the reverse of the one it prefers", text, StringComparison.Ordinal);
        Assert.Contains("gradient direction across the edge; 0° = left to right, 90° = bottom to top", text, StringComparison.Ordinal);

        // Bright on the right: the listed value is the response itself, with no reversal to explain.
        var right = KernelOrientation.Analyse(Grey(-1, 0, 1, -2, 0, 2, -1, 0, 1), 0, 3, 3).Describe(["R", "G", "B"]);
        Assert.Contains("0°: +1.00", right, StringComparison.Ordinal);
        Assert.DoesNotContain("reverse", right, StringComparison.Ordinal);
    }

    [Fact]
    public void UniformAndColourOpponentKernelsAreColourOrBlobLike()
    {
        var uniform = KernelOrientation.Analyse(Grey(1, 1, 1, 1, 1, 1, 1, 1, 1), 0, 3, 3);
        Assert.Equal("colour/blob-like", uniform.Label);
        Assert.Equal(1.0, uniform.FlatResponse, 9);
        Assert.Equal(0.0, uniform.Strength, 9);

        // Red positive, blue negative, same spatial pattern: the colour sum is zero, no orientation.
        float[] redMinusBlue = [.. Enumerable.Repeat(0.5f, 9), .. Enumerable.Repeat(0f, 9), .. Enumerable.Repeat(-0.5f, 9)];
        var opponent = KernelOrientation.Analyse(redMinusBlue, 0, 3, 3);
        Assert.Equal("colour/blob-like", opponent.Label);
        Assert.Equal([4.5, 0.0, -4.5], opponent.ChannelSums);
        var text = opponent.Describe(["R", "G", "B"]);
        Assert.Contains("R +4.50", text, StringComparison.Ordinal);
        Assert.Contains("B −4.50", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FilterIndexSelectsTheRightKernelOfALayer()
    {
        float[] weights = [.. Grey(1, 1, 1, 1, 1, 1, 1, 1, 1), .. Grey(-1, 0, 1, -1, 0, 1, -1, 0, 1)];
        Assert.Equal("colour/blob-like", KernelOrientation.Analyse(weights, 0, 3, 3).Label);
        Assert.Equal("vertical edges", KernelOrientation.Analyse(weights, 1, 3, 3).Label);
    }
}
