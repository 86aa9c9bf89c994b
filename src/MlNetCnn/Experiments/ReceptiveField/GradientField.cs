using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.ReceptiveField;

/// <summary>
/// The gradient-based effective receptive field of a conv layer's centre unit: the gradient of its pre-activation
/// (summed over channels) with respect to the input, |·| summed over colour planes, normalised per image so that each
/// image weighs the same, averaged over images. The receptive-field experiment and the depth-features experiment
/// measure it the same way.
/// </summary>
internal static class GradientField
{
    // Floor of each image's gradient total, held for the process rather than a temporary per call (see HeldScalars).
    private static readonly TorchSharp.Scalar Tiny = 1e-30;

    /// <summary>
    /// The mean normalised gradient magnitude of conv layer <paramref name="layer"/>'s centre unit over the first
    /// <paramref name="count"/> images of <paramref name="images"/> ([N, C, H, W]): H×W values, row-major, summing to 1
    /// (0 everywhere when no image has any gradient).
    /// </summary>
    public static double[] Map(SimpleCnn network, Tensor images, int count, int layer, int batchSize, CancellationToken cancellation)
    {
        var (height, width) = ((int)images.shape[2], (int)images.shape[3]);
        var shape = network.ConvShapes[layer];
        var (cy, cx) = (shape.OutHeight / 2, shape.OutWidth / 2);
        var sum = new double[height * width];
        for (var start = 0; start < count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, count - start);
            var input = images.narrow(0, start, n).detach().clone().requires_grad_(true);
            var (preActivations, _) = network.ForwardConvLayers(input, layer);
            var unit = preActivations[layer].select(2, cy).select(2, cx).sum();
            var gradient = autograd.grad(new[] { unit }, new[] { input })[0];
            var magnitude = gradient.abs().sum(1);                                                  // [n, H, W]
            var total = magnitude.sum(new long[] { 1, 2 }, keepdim: true).clamp_min(Tiny);
            var normalised = (magnitude / total).sum(new long[] { 0 });                             // each image weighs the same
            var values = ImageTensors.ToArray(normalised);
            for (var i = 0; i < values.Length; i++) sum[i] += values[i];
        }
        return sum.Select(v => v / count).ToArray();
    }

    /// <summary>
    /// The side of the square whose area is the fewest pixels holding <paramref name="massFraction"/> of the map's
    /// total: √(pixel count), taking the largest values first.
    /// </summary>
    public static double EffectiveSide(IReadOnlyList<double> map, double massFraction)
    {
        var total = map.Sum();
        var sorted = map.OrderByDescending(v => v).ToArray();
        double acc = 0;
        var pixels = 0;
        while (pixels < sorted.Length && acc < massFraction * total) acc += sorted[pixels++];
        return Math.Sqrt(pixels);
    }
}
