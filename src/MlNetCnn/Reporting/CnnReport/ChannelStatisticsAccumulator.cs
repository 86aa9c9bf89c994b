using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// What the channel-statistics section measures: every shown layer's maps, one image at a time, streamed into
/// per-channel sums; memory is O(layers × channels × classes), whatever the number of images.
/// </summary>
internal sealed class ChannelStatisticsAccumulator(IReadOnlyList<ConvLayerShape> layers, int classes) : IRowAccumulator
{
    private readonly LayerSums[] layers = [.. layers.Select(l => new LayerSums(l, classes))];

    public void Accept(ScannedRow row)
    {
        for (var i = 0; i < layers.Length; i++) layers[i].Add(row.Maps[i], row.Label);
    }

    /// <summary>Per shown layer, the statistics over the rows accepted so far.</summary>
    public IReadOnlyList<LayerChannelStatistics> Statistics() => [.. layers.Select(l => l.ToStatistics())];

    /// <summary>One layer's sums.</summary>
    private sealed class LayerSums
    {
        private readonly ConvLayerShape layer;
        private readonly int classes;
        private readonly double[] sum;
        private readonly long[] active;
        private readonly double[] max;
        private readonly double[,] classSum;
        private readonly long[] classImages;
        private long images;

        public LayerSums(ConvLayerShape layer, int classes)
        {
            this.layer = layer;
            this.classes = classes;
            sum = new double[layer.OutChannels];
            active = new long[layer.OutChannels];
            max = Enumerable.Repeat(double.NegativeInfinity, layer.OutChannels).ToArray();
            classSum = new double[classes, layer.OutChannels];
            classImages = new long[classes];
        }

        /// <param name="map">C×H×W activations of one image.</param>
        /// <param name="label">0-based class, or -1 when unknown (then only the overall statistics count it).</param>
        public void Add(ReadOnlySpan<float> map, int label)
        {
            var plane = layer.OutHeight * layer.OutWidth;
            var hasClass = label >= 0 && label < classes;
            for (var c = 0; c < layer.OutChannels; c++)
            {
                var values = map.Slice(c * plane, plane);
                double sum = 0;
                long active = 0;
                var max = this.max[c];
                foreach (var v in values)
                {
                    sum += v;
                    if (v > 0) active++;
                    if (v > max) max = v;
                }

                this.sum[c] += sum;
                this.active[c] += active;
                this.max[c] = max;
                if (hasClass) classSum[label, c] += sum / plane;
            }

            if (hasClass) classImages[label]++;
            images++;
        }

        public LayerChannelStatistics ToStatistics()
        {
            var channels = layer.OutChannels;
            var positions = (double)images * layer.OutHeight * layer.OutWidth;
            var mean = new double[channels];
            var fraction = new double[channels];
            var max = new double[channels];
            var classMean = new double[classes, channels];
            for (var c = 0; c < channels; c++)
            {
                mean[c] = positions > 0 ? sum[c] / positions : double.NaN;
                fraction[c] = positions > 0 ? active[c] / positions : double.NaN;
                max[c] = images > 0 ? this.max[c] : double.NaN;
                for (var k = 0; k < classes; k++)
                    classMean[k, c] = classImages[k] > 0 ? classSum[k, c] / classImages[k] : double.NaN;
            }

            return new LayerChannelStatistics(layer, images, mean, [.. active], fraction, max, classMean, [.. classImages]);
        }
    }
}
