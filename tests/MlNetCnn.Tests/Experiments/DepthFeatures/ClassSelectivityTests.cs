using MlNetCnn.Experiments.DepthFeatures;

namespace MlNetCnn.Tests.Experiments.DepthFeatures;

public class ClassSelectivityTests
{
    [Fact]
    public void TheIndexFollowsMorcosDefinition()
    {
        Assert.Equal(1.0, ClassSelectivity.Index(new[] { 0.0, 5.0, 0.0, 0.0 }), 12);       // one class only
        Assert.Equal(0.0, ClassSelectivity.Index(new[] { 2.0, 2.0, 2.0 }), 12);            // every class alike
        Assert.Equal(0.5, ClassSelectivity.Index(new[] { 3.0, 1.0, 1.0, 1.0 }), 12);       // (3 − 1) / (3 + 1)
        Assert.Equal((4 - 1.5) / (4 + 1.5), ClassSelectivity.Index(new[] { 1.0, 4.0, 2.0 }), 12);
        Assert.Equal(0.5, ClassSelectivity.Index(new[] { 3.0, double.NaN, 1.0 }), 12);   // a class without images is left out
        Assert.True(double.IsNaN(ClassSelectivity.Index(new[] { 0.0, 0.0 })));
        Assert.True(double.IsNaN(ClassSelectivity.Index(new[] { 1.0 })));
    }

    [Fact]
    public void ATableOfResponsesGivesEachChannelItsIndexAndDeadChannelsNaN()
    {
        // 200 images, classes 0..3 in turn; four channels: only class 2; equal for all; class means 3,1,1,1; and a
        // channel that fires on one image of 200, below the 1% needed to count as live.
        const int images = 200, channels = 4;
        var labels = Enumerable.Range(0, images).Select(i => (long)(i % 4)).ToArray();
        var table = new float[images * channels];
        for (var i = 0; i < images; i++)
        {
            table[i * channels + 0] = labels[i] == 2 ? 0.7f : 0f;
            table[i * channels + 1] = 0.25f;
            table[i * channels + 2] = labels[i] == 0 ? (i % 8 == 0 ? 2f : 4f) : 1f;   // class 0 mean 3
            table[i * channels + 3] = i == 17 ? 9f : 0f;
        }

        var indices = ClassSelectivity.Indices(table, channels, labels, classes: 5, minActiveFraction: 0.01);

        Assert.Equal(1.0, indices[0], 6);
        Assert.Equal(0.0, indices[1], 6);
        Assert.Equal(0.5, indices[2], 6);   // class 4 has no images and is left out
        Assert.True(double.IsNaN(indices[3]));
        Assert.Equal(1.0, ClassSelectivity.Indices(table, channels, labels, 5, minActiveFraction: 0)[3], 6);
    }

    [Fact]
    public void ATableOfTheWrongSizeIsRefused() =>
        Assert.Throws<ArgumentException>(() => ClassSelectivity.Indices(new float[7], 2, new long[] { 0, 1, 0, 1 }, 2, 0));
}
