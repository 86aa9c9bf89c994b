using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>
/// How little each channel's pooled response changes when the image changes a little. A channel's pooled response is
/// its map after the layer's ReLU and 2×2 max-pool (what the next layer receives); its invariance to a change T is the
/// Pearson correlation, over images and map positions, between the response to the image and the response to T(image)
/// at the same position. 1: T changes nothing (or only scales the response); 0: the two are unrelated.
/// </summary>
internal static class ResponseInvariance
{
    /// <summary>
    /// Per conv layer 0..<paramref name="layers"/>−1 and channel, the mean invariance over <paramref name="changes"/> on
    /// the <paramref name="count"/> planar images; NaN for a channel whose response never varies (dead), in either image.
    /// Photometric changes are clamped to <paramref name="range"/>, the range the model's inputs come in.
    /// </summary>
    public static double[][] Measure(SimpleCnn network, float[] images, int count, int channels, int height, int width, (float Low, float High) range,
        int layers, IReadOnlyList<ImageChange> changes, CancellationToken cancellation)
    {
        var original = PooledResponses(network, images, count, channels, height, width, layers);
        var sums = original.Select(o => new double[o.Channels]).ToArray();
        foreach (var change in changes)
        {
            cancellation.ThrowIfCancellationRequested();
            var changed = PooledResponses(network, change.Apply(images, count, channels, height, width, range.Low, range.High), count, channels, height, width, layers);
            for (var l = 0; l < layers; l++)
                for (var c = 0; c < original[l].Channels; c++)
                    sums[l][c] += Correlation(original[l], changed[l], c);
        }
        return sums.Select(s => s.Select(v => v / changes.Count).ToArray()).ToArray();
    }

    /// <summary>Pearson correlation of channel <paramref name="channel"/>'s values in two maps of the same shape; NaN when either is constant.</summary>
    public static double Correlation(PooledMaps a, PooledMaps b, int channel)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = 0;
        var area = a.Height * a.Width;
        for (var i = 0; i < a.Images; i++)
        {
            var offset = (i * a.Channels + channel) * area;
            for (var p = 0; p < area; p++)
            {
                double x = a.Values[offset + p], y = b.Values[offset + p];
                sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
                n++;
            }
        }
        var covariance = sab - sa * sb / n;
        var varianceA = saa - sa * sa / n;
        var varianceB = sbb - sb * sb / n;
        return varianceA > 0 && varianceB > 0 ? covariance / Math.Sqrt(varianceA * varianceB) : double.NaN;
    }

    /// <summary>Each conv layer's post-ReLU, max-pooled maps of the images.</summary>
    private static PooledMaps[] PooledResponses(SimpleCnn network, float[] images, int count, int channels, int height, int width, int layers)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = TensorData.FromSpan(images.AsSpan(0, count * channels * height * width), count, channels, height, width);
        var (_, activations) = network.ForwardConvLayers(input, layers - 1);
        return activations.Select(a =>
        {
            var pooled = nn.functional.max_pool2d(a, 2, 2);
            return new PooledMaps(ImageTensors.ToArray(pooled), count, (int)pooled.shape[1], (int)pooled.shape[2], (int)pooled.shape[3]);
        }).ToArray();
    }
}
