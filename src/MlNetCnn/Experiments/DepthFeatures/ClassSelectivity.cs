namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>
/// The class-selectivity index of Morcos et al. 2018 ("On the importance of single directions for generalization",
/// ICLR): for one channel, with μ_k its mean response over the images of class k, SI = (μmax − μ−max) / (μmax + μ−max),
/// where μmax is the largest class mean and μ−max the mean of the other classes' means. 0: the channel responds to every
/// class alike; 1: only to one class. Responses are non-negative (post-ReLU, averaged over the map), so SI is in [0, 1].
/// </summary>
internal static class ClassSelectivity
{
    /// <summary>SI of one channel from its class means (classes without images left out); NaN when every mean is 0 or fewer than two classes remain.</summary>
    public static double Index(IReadOnlyList<double> classMeans)
    {
        var means = classMeans.Where(double.IsFinite).ToArray();
        if (means.Length < 2) return double.NaN;
        var max = means.Max();
        if (!(max > 0)) return double.NaN;
        var others = (means.Sum() - max) / (means.Length - 1);
        return (max - others) / (max + others);
    }

    /// <summary>
    /// SI per channel from a response table (<paramref name="responses"/>: images × <paramref name="channels"/>, row-major)
    /// and each image's 0-based class. A channel counts as live when its response is positive on at least
    /// <paramref name="minActiveFraction"/> of the images; dead channels get NaN, so one stray image cannot make a
    /// silent channel look perfectly selective.
    /// </summary>
    public static double[] Indices(IReadOnlyList<float> responses, int channels, IReadOnlyList<long> labels, int classes, double minActiveFraction)
    {
        var images = labels.Count;
        if (responses.Count != images * channels)
            throw new ArgumentException($"Expected {images} × {channels} responses, got {responses.Count}.", nameof(responses));
        var sums = new double[classes, channels];
        var counts = new int[classes];
        var active = new int[channels];
        for (var i = 0; i < images; i++)
        {
            var k = (int)labels[i];
            counts[k]++;
            for (var c = 0; c < channels; c++)
            {
                var r = responses[i * channels + c];
                sums[k, c] += r;
                if (r > 0) active[c]++;
            }
        }
        var result = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            if (active[c] < minActiveFraction * images || active[c] == 0) { result[c] = double.NaN; continue; }
            var means = Enumerable.Range(0, classes).Select(k => counts[k] > 0 ? sums[k, c] / counts[k] : double.NaN).ToArray();
            result[c] = Index(means);
        }
        return result;
    }
}
