using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// SmoothGrad, a noise tunnel over any method: the average of <see cref="Inner"/>'s maps for <see cref="Samples"/>
/// copies of the image with Gaussian noise of standard deviation <see cref="NoiseLevel"/> × (max − min of the image).
/// Noise comes from a generator seeded by <see cref="Seed"/> and the image's position in the call, so the same call
/// gives the same maps whatever the batch size.
/// Smilkov, Thorat, Kim, Viégas &amp; Wattenberg 2017, "SmoothGrad: removing noise by adding noise",
/// https://arxiv.org/abs/1706.03825.
/// </summary>
public sealed class SmoothGrad : AttributionMethod
{
    public static new class Defaults
    {
        public const int Samples = 25;
        public const double NoiseLevel = 0.15;
        public const int Seed = 1;
    }

    public override string Name => "smoothgrad";

    public override bool KeepsChannels => Inner.KeepsChannels;

    /// <summary>The method averaged under noise (default: saliency, the paper's setting).</summary>
    public AttributionMethod Inner { get; init; } = new Saliency();

    public int Samples { get; init; } = Defaults.Samples;

    /// <summary>Noise standard deviation as a fraction of each image's value range (the paper finds 0.1–0.2 works).</summary>
    public double NoiseLevel { get; init; } = Defaults.NoiseLevel;

    public int Seed { get; init; } = Defaults.Seed;

    private protected override void CheckOptions(AttributionModel model)
    {
        ArgumentNullException.ThrowIfNull(Inner, nameof(Inner));
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "SmoothGrad needs at least 1 sample.");
        if (!(NoiseLevel >= 0) || double.IsInfinity(NoiseLevel)) throw new ArgumentOutOfRangeException(nameof(NoiseLevel), NoiseLevel, "The noise level must be a finite value ≥ 0.");
        Inner.CheckArguments(model, 0, Array.Empty<int>());
    }

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets, int firstImage)
    {
        var maps = new List<Tensor>();
        for (var i = 0; i < images.shape[0]; i++)
        {
            var image = images[i];
            using var generator = new Generator((ulong)Seed * 1_000_003UL + (ulong)(firstImage + i));
            var sigma = NoiseLevel * (image.max().item<float>() - image.min().item<float>());
            var noise = randn(new long[] { Samples, image.shape[0], image.shape[1], image.shape[2] }, generator: generator);
            var noisy = image.unsqueeze(0) + (float)sigma * noise;
            var sampleTargets = targets[i].repeat(Samples);
            var sum = (Tensor?)null;
            // The inner method gets at most BatchSize noisy copies at a time.
            for (var start = 0; start < Samples; start += BatchSize)
            {
                var n = Math.Min(BatchSize, Samples - start);
                var part = Inner.Compute(model, noisy.narrow(0, start, n), sampleTargets.narrow(0, start, n), firstImage + i).detach().sum(0, keepdim: true);
                sum = sum is null ? part : sum + part;
            }
            maps.Add(sum! / Samples);
        }
        return cat(maps, 0);
    }
}
