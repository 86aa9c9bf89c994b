using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Integrated Gradients: (x − baseline) times the target logit's gradient averaged along the straight path from the
/// baseline to x (midpoint rule, <see cref="Steps"/> points). By completeness the map sums to
/// logit(x) − logit(baseline); <c>CompletenessErrors</c> measures how far a run is from that.
/// Sundararajan, Taly &amp; Yan 2017, "Axiomatic Attribution for Deep Networks", https://arxiv.org/abs/1703.01365.
/// </summary>
public sealed class IntegratedGradients : AttributionMethod
{
    /// <summary>Default values of the Integrated Gradients options.</summary>
    public static class Defaults
    {
        /// <summary>Riemann steps along the path from the baseline to the image.</summary>
        public const int Steps = 50;
        /// <summary>Value of every pixel of the baseline image.</summary>
        public const float Baseline = 0f;
    }

    /// <inheritdoc />
    public override string Name => "integrated-gradients";

    /// <inheritdoc />
    public override string DisplayName => "Integrated Gradients";

    /// <inheritdoc />
    public override bool KeepsChannels => true;

    /// <summary>Points on the path; more points, smaller completeness error.</summary>
    public int Steps { get; init; } = Defaults.Steps;

    /// <summary>The baseline image's value in every pixel and channel (0 = black).</summary>
    public float Baseline { get; init; } = Defaults.Baseline;

    private protected override void CheckOptions(AttributionModel model)
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Integrated Gradients needs at least 1 step.");
        if (!float.IsFinite(Baseline)) throw new ArgumentOutOfRangeException(nameof(Baseline), Baseline, "The baseline must be a finite value.");
    }

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets)
    {
        var n = images.shape[0];
        // Held, not implicit temporaries (see HeldScalars).
        using Scalar baseline = Baseline;
        using Scalar steps = Steps;
        var difference = images.sub(baseline);
        var total = zeros_like(images);
        // Path points for all images of the batch go through together, as many steps at a time as keep a pass at
        // BatchSize rows or fewer.
        var stepsPerPass = (int)Math.Max(1, BatchSize / n);
        for (var first = 0; first < Steps; first += stepsPerPass)
        {
            using var scope = NewDisposeScope();
            var k = Math.Min(stepsPerPass, Steps - first);
            var alphas = tensor(Enumerable.Range(first, k).Select(s => (float)((s + 0.5) / Steps)).ToArray()).reshape(k, 1, 1, 1, 1);
            var points = alphas.mul(difference.unsqueeze(0)).add_(baseline, HeldScalars.One).reshape(k * n, images.shape[1], images.shape[2], images.shape[3]);
            var gradients = model.InputGradient(points, targets.repeat(k)).reshape(k, n, images.shape[1], images.shape[2], images.shape[3]);
            total.add_(gradients.sum(0, keepdim: false), HeldScalars.One); // sum(0) alone binds to sum(ScalarType)
        }
        return difference.mul(total).div_(steps);
    }

    /// <summary>
    /// For each image, |Σ map − (logit(x) − logit(baseline))| / |logit(x) − logit(baseline)|: 0 when the maps account
    /// for the whole change of the target logit. <paramref name="maps"/> must come from this method on the same images.
    /// </summary>
    public double[] CompletenessErrors(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets, AttributionMaps maps) =>
        CompletenessErrors(AttributionModel.From(model), images, targets, maps);

    internal double[] CompletenessErrors(AttributionModel model, ReadOnlySpan<float> images, IReadOnlyList<int> targets, AttributionMaps maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        CheckArguments(model, images.Length, targets);
        if (maps.Count != targets.Count || maps.Method != Name)
            throw new ArgumentException($"Expected {targets.Count} {Name} maps, got {maps.Count} {maps.Method} maps.", nameof(maps));
        var errors = new double[targets.Count];
        for (var start = 0; start < targets.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var n = Math.Min(BatchSize, targets.Count - start);
            var input = TensorData.FromSpan(images.Slice(start * model.InputLength, n * model.InputLength), n, model.Channels, model.Height, model.Width);
            var batchTargets = tensor(Enumerable.Range(start, n).Select(i => (long)targets[i]).ToArray());
            using var atInput = model.Forward(input, captureActivations: false);
            using Scalar baseline = Baseline; // held, not a temporary (see HeldScalars)
            using var atBaseline = model.Forward(full_like(input, baseline), captureActivations: false);
            var change = TensorData.ToArray(AttributionModel.TargetLogits(atInput.Logits, batchTargets) - AttributionModel.TargetLogits(atBaseline.Logits, batchTargets));
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                foreach (var v in maps.Map(start + i)) sum += v;
                errors[start + i] = Math.Abs(sum - change[i]) / Math.Max(Math.Abs((double)change[i]), 1e-12);
            }
        }
        return errors;
    }
}
