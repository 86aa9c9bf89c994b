using MlNetCnn.Model;
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
    public override string DisplayName => "Occlusion";

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
        // Forward-only: the occluded copies are built in managed memory and scored by the model's inference engine.
        var (height, width, length) = (model.Height, model.Width, model.InputLength);
        var area = height * width;
        var patch = Patch(model);
        var positions = Positions(height, patch, Stride).SelectMany(r => Positions(width, patch, Stride).Select(c => (Top: r, Left: c))).ToArray();
        var pixels = TensorData.ToArray(images);
        var classes = targets.data<long>().ToArray();
        var n = classes.Length;
        var maps = new float[n * area];
        var copies = new float[Math.Min(CopiesPerPass, positions.Length) * length];
        for (var i = 0; i < n; i++)
        {
            var image = pixels.AsSpan(i * length, length);
            var target = (int)classes[i];
            var baseProbability = (double)model.Probabilities(image, 1)[target];
            var sum = new double[area];
            var cover = new int[area];
            for (var start = 0; start < positions.Length; start += CopiesPerPass)
            {
                var count = Math.Min(CopiesPerPass, positions.Length - start);
                for (var j = 0; j < count; j++)
                {
                    var copy = copies.AsSpan(j * length, length);
                    image.CopyTo(copy);
                    var (top, left) = positions[start + j];
                    for (var c = 0; c < model.Channels; c++)
                        for (var y = top; y < top + patch; y++)
                            copy.Slice(c * area + y * width + left, patch).Fill(Fill);
                }
                var probabilities = model.Probabilities(copies.AsSpan(0, count * length), count);
                var classCount = probabilities.Length / count;
                for (var j = 0; j < count; j++)
                {
                    var drop = baseProbability - probabilities[j * classCount + target];
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
                maps[i * area + p] = cover[p] > 0 ? (float)(sum[p] / cover[p]) : 0f;
        }
        return TensorData.FromSpan(maps, n, 1, height, width);
    }

    private static IEnumerable<int> Positions(int size, int patch, int stride)
    {
        var positions = new List<int>();
        for (var p = 0; p + patch <= size; p += stride) positions.Add(p);
        if (positions[^1] != size - patch) positions.Add(size - patch);
        return positions;
    }
}
