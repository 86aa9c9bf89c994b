using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Occlusion: slides a patch of <see cref="Fill"/> across the image and maps how much the target's probability drops
/// with the patch at each place (each pixel: the mean drop over the patch positions covering it; positions step by
/// <see cref="Stride"/> and always include the last one flush with the border). Needs no gradients.
/// Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional Networks", https://arxiv.org/abs/1311.2901.
/// </summary>
public sealed class Occlusion : AttributionMethod
{
    /// <summary>Default values of the occlusion options.</summary>
    public static class Defaults
    {
        /// <summary>Step between patch positions, in pixels.</summary>
        public const int Stride = 2;
        /// <summary>Value the occluded pixels are set to.</summary>
        public const float Fill = 0.5f;
    }

    // Occluded copies per forward pass.
    private const int CopiesPerPass = 64;

    /// <inheritdoc />
    public override string Name => "occlusion";

    /// <inheritdoc />
    public override bool KeepsChannels => false;

    /// <summary>Patch side in pixels; null uses a quarter of the shorter image side (8 px on 32×32).</summary>
    public int? PatchSize { get; init; }

    /// <summary>Step between patch positions, in pixels.</summary>
    public int Stride { get; init; } = Defaults.Stride;

    /// <summary>Value the patch sets on every channel (0.5 = mid grey for pixels in [0,1]).</summary>
    public float Fill { get; init; } = Defaults.Fill;

    private int Patch(AttributionModel model) => PatchSize ?? Math.Max(1, Math.Min(model.Height, model.Width) / 4);

    private protected override void CheckOptions(AttributionModel model)
    {
        var patch = Patch(model);
        if (patch < 1 || patch > Math.Min(model.Height, model.Width))
            throw new ArgumentOutOfRangeException(nameof(PatchSize), patch, $"The patch must fit in the {model.Height}×{model.Width} image.");
        if (Stride < 1) throw new ArgumentOutOfRangeException(nameof(Stride), Stride, "Stride must be at least 1.");
        if (!float.IsFinite(Fill)) throw new ArgumentOutOfRangeException(nameof(Fill), Fill, "Fill must be a finite value.");
    }

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets)
    {
        using var noGrad = no_grad();
        using Scalar fill = Fill; // held, not a temporary per patch (see HeldScalars)
        var (height, width) = (model.Height, model.Width);
        var patch = Patch(model);
        var positions = Positions(height, patch, Stride).SelectMany(r => Positions(width, patch, Stride).Select(c => (Top: r, Left: c))).ToArray();
        var n = (int)images.shape[0];
        var maps = new float[n * height * width];
        for (var i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            var image = images.narrow(0, i, 1);
            var target = (int)targets[i].item<long>();
            var baseProbability = (double)Probabilities(model, image)[target];
            var sum = new double[height * width];
            var cover = new int[height * width];
            for (var start = 0; start < positions.Length; start += CopiesPerPass)
            {
                var count = Math.Min(CopiesPerPass, positions.Length - start);
                var copies = image.repeat(count, 1, 1, 1);
                for (var j = 0; j < count; j++)
                    copies[j].narrow(1, positions[start + j].Top, patch).narrow(2, positions[start + j].Left, patch).fill_(fill);
                var probabilities = Probabilities(model, copies);
                var classes = probabilities.Length / count;
                for (var j = 0; j < count; j++)
                {
                    var drop = baseProbability - probabilities[j * classes + target];
                    var (top, left) = positions[start + j];
                    for (var y = top; y < top + patch; y++)
                    for (var x = left; x < left + patch; x++)
                    {
                        sum[y * width + x] += drop;
                        cover[y * width + x]++;
                    }
                }
            }
            for (var p = 0; p < sum.Length; p++)
                maps[i * height * width + p] = cover[p] > 0 ? (float)(sum[p] / cover[p]) : 0f;
        }
        return TensorData.FromSpan(maps, n, 1, height, width);
    }

    private static float[] Probabilities(AttributionModel model, Tensor images)
    {
        using var output = model.Forward(images, captureActivations: false);
        return TensorData.ToArray(nn.functional.softmax(output.Logits, 1));
    }

    private static IEnumerable<int> Positions(int size, int patch, int stride)
    {
        var positions = new List<int>();
        for (var p = 0; p + patch <= size; p += stride) positions.Add(p);
        if (positions[^1] != size - patch) positions.Add(size - patch);
        return positions;
    }
}
