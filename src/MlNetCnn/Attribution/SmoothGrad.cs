using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// SmoothGrad, a noise tunnel over any method: the average of <see cref="Inner"/>'s maps for <see cref="Samples"/>
/// copies of the image with Gaussian noise of standard deviation <see cref="NoiseLevel"/> × (max − min of the image).
/// Noise comes from a generator seeded by <see cref="Seed"/> and the image's pixel values, so an image gets the same
/// noise wherever it appears: in any batch size, at any position, as one PredictionEngine row.
/// Smilkov, Thorat, Kim, Viégas &amp; Wattenberg 2017, "SmoothGrad: removing noise by adding noise",
/// https://arxiv.org/abs/1706.03825.
/// </summary>
public sealed class SmoothGrad : AttributionMethod
{
    /// <summary>Default values of the SmoothGrad options.</summary>
    public static class Defaults
    {
        /// <summary>Noisy copies averaged per image.</summary>
        public const int Samples = 25;
        /// <summary>Noise standard deviation as a fraction of the image's value range.</summary>
        public const double NoiseLevel = 0.15;
        /// <summary>Seed of the noise (the library's default seed).</summary>
        public const int Seed = TrainingDefaults.Seed;
    }

    /// <inheritdoc />
    public override string Name => "smoothgrad";

    /// <inheritdoc />
    public override string DisplayName => "SmoothGrad";

    /// <inheritdoc />
    public override bool KeepsChannels => Inner.KeepsChannels;

    /// <summary>The method averaged under noise (default: saliency, the paper's setting).</summary>
    public AttributionMethod Inner { get; init; } = new Saliency();

    /// <summary>Noisy copies averaged per image.</summary>
    public int Samples { get; init; } = Defaults.Samples;

    /// <summary>Noise standard deviation as a fraction of each image's value range (the paper finds 0.1–0.2 works).</summary>
    public double NoiseLevel { get; init; } = Defaults.NoiseLevel;

    /// <summary>Seeds the noise, so the same image gets the same maps in any batch.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    private protected override void CheckOptions(AttributionModel model)
    {
        ArgumentNullException.ThrowIfNull(Inner, nameof(Inner));
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "SmoothGrad needs at least 1 sample.");
        if (!(NoiseLevel >= 0) || double.IsInfinity(NoiseLevel)) throw new ArgumentOutOfRangeException(nameof(NoiseLevel), NoiseLevel, "The noise level must be a finite value ≥ 0.");
        Inner.CheckArguments(model, 0, Array.Empty<int>());
    }

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets)
    {
        var maps = new List<Tensor>();
        var values = TensorData.ToArray(images);
        var length = values.Length / (int)images.shape[0];
        for (var i = 0; i < images.shape[0]; i++)
        {
            // One image's noisy copies and gradients are freed before the next image's are made.
            using var scope = NewDisposeScope();
            var image = images[i];
            using var generator = new Generator(NoiseSeed(values.AsSpan(i * length, length)));
            var sigma = NoiseLevel * (image.max().item<float>() - image.min().item<float>());
            var noise = randn(new long[] { Samples, image.shape[0], image.shape[1], image.shape[2] }, generator: generator);
            using Scalar spread = (float)sigma; // held, not a temporary (see HeldScalars)
            var noisy = image.unsqueeze(0).add(noise.mul(spread), HeldScalars.One);
            var sampleTargets = targets[i].repeat(Samples);
            var sum = (Tensor?)null;
            // The inner method gets at most BatchSize noisy copies at a time.
            for (var start = 0; start < Samples; start += BatchSize)
            {
                var n = Math.Min(BatchSize, Samples - start);
                var part = Inner.Compute(model, noisy.narrow(0, start, n), sampleTargets.narrow(0, start, n)).detach().sum(0, keepdim: true);
                sum = sum is null ? part : sum.add(part, HeldScalars.One);
            }
            using Scalar samples = Samples; // held, not a temporary (see HeldScalars); sum / Samples is this div
            maps.Add(sum!.div(samples).MoveToOuterDisposeScope());
        }
        return cat(maps, 0);
    }

    // FNV-1a over the pixel bits, mixed with Seed: the image's content, not its position, picks its noise.
    private ulong NoiseSeed(ReadOnlySpan<float> image)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)Seed;
        foreach (var v in image)
        {
            hash ^= BitConverter.SingleToUInt32Bits(v);
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
