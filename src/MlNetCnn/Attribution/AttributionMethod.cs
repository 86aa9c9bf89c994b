using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// The plumbing every method shares, so a method is one small override: argument checks before any work, batches of
/// <see cref="BatchSize"/> images (memory stays bounded however many images come in), a dispose scope per batch,
/// bilinear upsampling of coarse maps to the input size and optional per-map normalisation. Its one override takes
/// libtorch tensors, which stay off the public surface, so methods written outside this library implement
/// <see cref="IAttributionMethod"/> directly.
/// </summary>
public abstract class AttributionMethod : IAttributionMethod
{
    /// <summary>Default images explained per libtorch batch, shared by the methods, the registry and the estimator.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The registry name (<c>saliency</c>, <c>gradcam</c>, …).</summary>
    public abstract string Name { get; }

    /// <summary>The name pages show (<c>gradcam</c> → "Grad-CAM"); <see cref="AttributionRegistry"/> reads both from the method.</summary>
    public abstract string DisplayName { get; }

    /// <summary>True: maps are [C,H,W]; false: [H,W].</summary>
    public abstract bool KeepsChannels { get; }

    /// <summary>Images per pass through the network (methods that run many copies of an image bound those too).</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Divide each map by its largest absolute value (an all-zero map stays zero).</summary>
    public bool Normalize { get; init; }

    /// <inheritdoc />
    public AttributionMaps Attribute(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets) =>
        Attribute(AttributionModel.From(model), images, targets);

    internal AttributionMaps Attribute(AttributionModel model, ReadOnlySpan<float> images, IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckArguments(model, images.Length, targets);
        Native.ConvolutionBackends.Apply(); // gradients run conv backward: the kernel oneDNN gets wrong on some CPUs
        var (height, width) = (model.Height, model.Width);
        var channels = KeepsChannels ? model.Channels : 1;
        var mapLength = channels * height * width;
        var count = targets.Count;
        var result = new float[count * mapLength];
        for (var start = 0; start < count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(BatchSize, count - start);
            var input = TensorData.FromSpan(images.Slice(start * model.InputLength, n * model.InputLength), n, model.Channels, height, width);
            var batchTargets = tensor(Enumerable.Range(start, n).Select(i => (long)targets[i]).ToArray());
            var map = Compute(model, input, batchTargets);
            using (no_grad())
            {
                map = map.detach();
                if (map.shape[2] != height || map.shape[3] != width)
                    map = nn.functional.interpolate(map, new long[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false);
                if (Normalize) map = NormalizeEach(map);
            }
            TensorData.CopyTo(map, result.AsSpan(start * mapLength, n * mapLength));
        }
        return new AttributionMaps(Name, result, count, channels, height, width, KeepsChannels);
    }

    /// <summary>
    /// Maps for one batch: [N, C, h, w] (or [N, 1, h, w] when <see cref="KeepsChannels"/> is false) at any resolution;
    /// the base upsamples.
    /// </summary>
    private protected abstract Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets);

    /// <summary>Method-specific checks (a layer that exists, options in range), run before any computation.</summary>
    private protected virtual void CheckOptions(AttributionModel model) { }

    /// <summary>Lets a wrapping method (SmoothGrad) run this one on its own inputs.</summary>
    internal Tensor Compute(AttributionModel model, Tensor images, Tensor targets) =>
        AttributeBatch(model, images, targets);

    internal void CheckArguments(AttributionModel model, int imageValues, IReadOnlyList<int> targets)
    {
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{Name}: BatchSize must be at least 1.");
        if (imageValues != targets.Count * model.InputLength)
            throw new ArgumentException(
                $"{Name}: expected {targets.Count} images of {model.Channels}×{model.Height}×{model.Width} = {targets.Count * model.InputLength} values (one per target), got {imageValues} values.",
                "images");
        for (var i = 0; i < targets.Count; i++)
            if (targets[i] < 0 || targets[i] >= model.ClassCount)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i],
                    $"{Name}: target {i} is class {targets[i]}; targets are 0-based class indices 0–{model.ClassCount - 1}.");
        CheckOptions(model);
    }

    private static Tensor NormalizeEach(Tensor maps)
    {
        var max = maps.abs().amax(new long[] { 1, 2, 3 }, keepdim: true);
        // Held, not temporaries (see HeldScalars).
        using Scalar zero = 0, tiny = 1e-12;
        return where(max.gt(zero), maps / max.clamp_min(tiny), zeros_like(maps));
    }
}
