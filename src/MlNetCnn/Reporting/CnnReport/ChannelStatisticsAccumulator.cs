using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// What the channel-statistics section measures: every shown layer's maps, one image at a time, streamed into
/// per-channel sums; memory is O(layers × channels × classes), whatever the number of images.
/// </summary>
internal sealed class ChannelStatisticsAccumulator(IReadOnlyList<ConvLayerShape> layers, int classes) : IRowAccumulator
{
    private readonly LayerSums[] _layers = [.. layers.Select(l => new LayerSums(l, classes))];

    public void Accept(ScannedRow row)
    {
        for (var i = 0; i < _layers.Length; i++) _layers[i].Add(row.Maps[i], row.Label);
    }

    /// <summary>Per shown layer, the statistics over the rows accepted so far.</summary>
    public IReadOnlyList<LayerChannelStatistics> Statistics() => [.. _layers.Select(l => l.ToStatistics())];

    /// <summary>One layer's sums.</summary>
    private sealed class LayerSums
    {
        private readonly ConvLayerShape _layer;
        private readonly int _classes;
        private readonly double[] _sum;
        private readonly long[] _active;
        private readonly double[] _max;
        private readonly double[,] _classSum;
        private readonly long[] _classImages;
        private long _images;

        public LayerSums(ConvLayerShape layer, int classes)
        {
            _layer = layer;
            _classes = classes;
            _sum = new double[layer.OutChannels];
            _active = new long[layer.OutChannels];
            _max = Enumerable.Repeat(double.NegativeInfinity, layer.OutChannels).ToArray();
            _classSum = new double[classes, layer.OutChannels];
            _classImages = new long[classes];
        }

        /// <param name="map">C×H×W activations of one image.</param>
        /// <param name="label">0-based class, or -1 when unknown (then only the overall statistics count it).</param>
        public void Add(ReadOnlySpan<float> map, int label)
        {
            var plane = _layer.OutHeight * _layer.OutWidth;
            var hasClass = label >= 0 && label < _classes;
            for (var c = 0; c < _layer.OutChannels; c++)
            {
                var values = map.Slice(c * plane, plane);
                double sum = 0;
                long active = 0;
                var max = _max[c];
                foreach (var v in values)
                {
                    sum += v;
                    if (v > 0) active++;
                    if (v > max) max = v;
                }

                _sum[c] += sum;
                _active[c] += active;
                _max[c] = max;
                if (hasClass) _classSum[label, c] += sum / plane;
            }

            if (hasClass) _classImages[label]++;
            _images++;
        }

        public LayerChannelStatistics ToStatistics()
        {
            var channels = _layer.OutChannels;
            var positions = (double)_images * _layer.OutHeight * _layer.OutWidth;
            var mean = new double[channels];
            var fraction = new double[channels];
            var max = new double[channels];
            var classMean = new double[_classes, channels];
            for (var c = 0; c < channels; c++)
            {
                mean[c] = positions > 0 ? _sum[c] / positions : double.NaN;
                fraction[c] = positions > 0 ? _active[c] / positions : double.NaN;
                max[c] = _images > 0 ? _max[c] : double.NaN;
                for (var k = 0; k < _classes; k++)
                    classMean[k, c] = _classImages[k] > 0 ? _classSum[k, c] / _classImages[k] : double.NaN;
            }

            return new LayerChannelStatistics(_layer, _images, mean, [.. _active], fraction, max, classMean, [.. _classImages]);
        }
    }
}
