using MlNetCnn.Model;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>Per-channel activation statistics of one conv layer over a data set (post-ReLU maps, before pooling).</summary>
internal sealed class LayerChannelStatistics
{
    internal LayerChannelStatistics(ConvLayerShape layer, long images, double[] mean, long[] activePositions, double[] fractionActive, double[] max, double[,] classMean, long[] classImages)
    {
        Layer = layer;
        Images = images;
        MeanActivation = mean;
        ActivePositions = activePositions;
        FractionActive = fractionActive;
        MaxActivation = max;
        this.classMean = classMean;
        ClassImageCounts = classImages;
    }

    private readonly double[,] classMean;

    /// <summary>The conv layer the statistics describe.</summary>
    public ConvLayerShape Layer { get; }

    /// <summary>Images the statistics are over.</summary>
    public long Images { get; }

    /// <summary>Mean activation per channel over all images and positions.</summary>
    public IReadOnlyList<double> MeanActivation { get; }

    /// <summary>Number of (image, position) pairs with activation &gt; 0, per channel.</summary>
    public IReadOnlyList<long> ActivePositions { get; }

    /// <summary>(image, position) pairs per channel: images × H × W.</summary>
    public long Positions => Images * Layer.OutHeight * Layer.OutWidth;

    /// <summary>Fraction of (image, position) pairs with activation &gt; 0, per channel.</summary>
    public IReadOnlyList<double> FractionActive { get; }

    /// <summary>Largest activation per channel.</summary>
    public IReadOnlyList<double> MaxActivation { get; }

    /// <summary>Images per class (0-based class index) that had a label.</summary>
    public IReadOnlyList<long> ClassImageCounts { get; }

    /// <summary>Mean activation of <paramref name="channel"/> over the images of <paramref name="classIndex"/> (NaN when the class has none).</summary>
    public double ClassMeanActivation(int classIndex, int channel) => classMean[classIndex, channel];

    /// <summary>Classes ordered by how strongly they excite <paramref name="channel"/> (highest class mean first).</summary>
    public IReadOnlyList<int> TopClasses(int channel, int count) =>
        [.. Enumerable.Range(0, ClassImageCounts.Count)
            .Where(k => ClassImageCounts[k] > 0)
            .OrderByDescending(k => classMean[k, channel])
            .ThenBy(k => k)
            .Take(count)];
}
