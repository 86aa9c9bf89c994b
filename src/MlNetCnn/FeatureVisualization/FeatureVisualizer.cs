using MlNetCnn.Model;
using MlNetCnn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// Feature visualization (activation maximization): for every channel of a conv layer, or every class logit, the input
/// that excites it most, found by gradient ascent on the input while the weights stay fixed. All channels of a layer
/// are optimized together as one batch — channel i's objective reads only image i, so the images do not interact and a
/// step costs one forward and backward pass for the whole layer.
/// Erhan, Bengio, Courville &amp; Vincent 2009, "Visualizing Higher-Layer Features of a Deep Network"; the picture
/// mode follows Olah, Mordvintsev &amp; Schubert 2017, "Feature Visualization", https://distill.pub/2017/feature-visualization/.
/// Why this parameterization for small 32-pixel models: docs/feature-visualization.md.
/// </summary>
/// <example>
/// <code>
/// var conv2 = new FeatureVisualizer { Steps = 256, Seed = 1 }.Visualize(classifier.Model, "conv2");
/// float[] picture = conv2.Channels[5].Picture;   // 3×32×32, values in [0, 1]
/// float reached = conv2.Channels[5].Activation;  // the centre unit's post-ReLU value on that picture
/// </code>
/// </example>
public sealed class FeatureVisualizer
{
    /// <summary>The target name that visualizes the class logits instead of a conv layer: one picture per class.</summary>
    public const string LogitsTarget = "logits";

    /// <summary>Default values of the options.</summary>
    public static class Defaults
    {
        /// <summary>Optimization steps.</summary>
        public const int Steps = 256;

        /// <summary>Adam's learning rate on the picture's logits (Lucid's 0.05); the step, as a fraction of the norm, in the fixed-norm mode.</summary>
        public const double LearningRate = 0.05;

        /// <summary>Largest random shift, in pixels, applied to the picture at each step (less for small receptive fields).</summary>
        public const int Jitter = 2;

        /// <summary>Weight of the total-variation penalty (mean absolute difference of neighbouring pixels).</summary>
        public const double TotalVariation = 0.5;

        /// <summary>The input's L2 norm in the fixed-norm mode.</summary>
        public const double Norm = 1.0;

        /// <summary>Seed of the starting inputs and the shifts (the library's default seed).</summary>
        public const int Seed = TrainingDefaults.Seed;

        /// <summary>libtorch threads while optimizing (see <see cref="FeatureVisualizer.NumberOfThreads"/>).</summary>
        public const int NumberOfThreads = 1;

        /// <summary>Spread of the starting logits: a near mid-grey picture with a little noise.</summary>
        internal const double InitialSpread = 0.1;
    }

    /// <summary>What each channel's picture maximizes (the centre unit by default).</summary>
    public FeatureObjective Objective { get; init; } = FeatureObjective.CentreUnit;

    /// <summary>How the input is represented and constrained (<see cref="FeatureParameterization.Picture"/> by default).</summary>
    public FeatureParameterization Parameterization { get; init; } = FeatureParameterization.Picture;

    /// <summary>Optimization steps.</summary>
    public int Steps { get; init; } = Defaults.Steps;

    /// <inheritdoc cref="Defaults.LearningRate"/>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>
    /// Largest random shift in pixels (picture mode); 0 turns jitter off. A layer's shift is also at most an eighth of
    /// its units' receptive field (conv1's 3 px field gets none: a 1-px shift would blur a 3-px pattern into a 5-px
    /// one). The last eighth of the steps run without shifts or penalty, so the picture ends tuned to the very unit it
    /// is scored on.
    /// </summary>
    public int Jitter { get; init; } = Defaults.Jitter;

    /// <summary>Weight of the total-variation penalty (picture mode); 0 turns it off.</summary>
    public double TotalVariation { get; init; } = Defaults.TotalVariation;

    /// <summary>The input's L2 norm (fixed-norm mode).</summary>
    public double Norm { get; init; } = Defaults.Norm;

    /// <summary>Seeds the starting inputs and the shifts: the same seed, model and options give the same bytes.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>
    /// libtorch intra-op threads while optimizing (libtorch's setting is process-wide: it is set for the call and
    /// restored after); null leaves it as it is. One by default: a step is a few dozen small operations on a few dozen
    /// 32-px images — per-call overhead, not arithmetic — and a second thread only adds synchronisation. Measured on a
    /// loaded 2-core machine (load 40–55): the default model's 18 channels took 8 s with one thread and 200 s with two.
    /// </summary>
    public int? NumberOfThreads { get; init; } = Defaults.NumberOfThreads;

    /// <summary>
    /// Optimizes one input per channel of conv layer <paramref name="target"/> (<c>conv1</c>, <c>conv2</c>, …) or, for
    /// <see cref="LogitsTarget"/>, per class.
    /// </summary>
    /// <param name="progress">Receives the fraction of steps done, after every step.</param>
    /// <exception cref="ArgumentException">No such layer (the message lists the model's layers) or an option out of range, before any work.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked every step).</exception>
    /// <exception cref="ArithmeticException">The optimization produced NaN or infinity (e.g. a model with non-finite weights).</exception>
    public FeatureVisualizationResult Visualize(TrainedCnn model, string target, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        CheckOptions();
        var layer = target == LogitsTarget ? null : model.GetLayer(target);
        (int Row, int Column)? unit = layer is not null && Objective == FeatureObjective.CentreUnit ? CentreUnit(model.Architecture, layer) : null;
        cancellationToken.ThrowIfCancellationRequested();

        Native.ConvolutionBackends.Apply(); // gradients run conv backward: the kernel oneDNN gets wrong on some CPUs
        var previousThreads = get_num_threads();
        if (NumberOfThreads is { } threads && threads != previousThreads) set_num_threads(threads);
        try
        {
            return Run(model, target, layer, unit, progress, cancellationToken);
        }
        finally
        {
            if (get_num_threads() != previousThreads) set_num_threads(previousThreads);
        }
    }

    private FeatureVisualizationResult Run(TrainedCnn model, string target, ConvLayerShape? layer, (int Row, int Column)? unit,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var a = model.Architecture;
        var count = layer?.OutChannels ?? a.ClassCount;
        var network = model.Network;
        network.eval();
        Tensor Score(Tensor images, out Tensor reported) => ScoreOf(network, layer, unit, images, out reported);

        var shape = new long[] { count, a.InputChannels, a.InputHeight, a.InputWidth };
        var (pictures, activations, preActivations) = Parameterization == FeatureParameterization.Picture
            ? OptimizePicture(shape, JitterFor(a, layer), Score, progress, cancellationToken)
            : OptimizeOnSphere(shape, Score, progress, cancellationToken);

        var length = a.InputLength;
        var channels = new ChannelFeature[count];
        for (var i = 0; i < count; i++)
        {
            var picture = pictures.AsSpan(i * length, length).ToArray();
            if (!float.IsFinite(activations[i]) || !float.IsFinite(preActivations[i]) || picture.Any(v => !float.IsFinite(v)))
                throw new ArithmeticException(
                    $"Feature visualization of {target} channel {i} produced NaN or infinite values; check the model's weights (TrainedCnn.Diagnose).");
            channels[i] = new ChannelFeature(i, picture, activations[i], preActivations[i]);
        }

        var field = layer is not null && unit is { } at ? FieldOf(a, layer, at) : null;
        return new FeatureVisualizationResult(target, Objective, Parameterization, a.InputChannels, a.InputHeight, a.InputWidth, unit, field, Seed, Steps, channels);
    }

    // At most an eighth of the receptive field: the shift should move a pattern within what the unit sees, not out of it.
    private int JitterFor(ConvNetArchitecture architecture, ConvLayerShape? layer) =>
        layer is null ? Jitter : Math.Min(Jitter, ReceptiveFields.Theoretical(architecture)[layer.Index].ConvOutput / 8);

    private void CheckOptions()
    {
        if (!Enum.IsDefined(Objective)) throw new ArgumentOutOfRangeException(nameof(Objective), Objective, "Unknown objective.");
        if (!Enum.IsDefined(Parameterization)) throw new ArgumentOutOfRangeException(nameof(Parameterization), Parameterization, "Unknown parameterization.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Feature visualization needs at least 1 step.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a finite value > 0.");
        if (Jitter < 0) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter is a shift in pixels, ≥ 0.");
        if (!(TotalVariation >= 0) || double.IsInfinity(TotalVariation)) throw new ArgumentOutOfRangeException(nameof(TotalVariation), TotalVariation, "The total-variation weight must be a finite value ≥ 0.");
        if (!(Norm > 0) || double.IsInfinity(Norm)) throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "The norm must be a finite value > 0.");
        if (NumberOfThreads is < 1) throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "At least 1 thread (or null to leave libtorch's setting).");
    }

    /// <summary>
    /// The conv-output unit nearest the map's centre whose receptive field lies inside the image (any unit when none
    /// does): every such unit sees its field the same way, unlike a border unit, part of whose field is padding.
    /// </summary>
    internal static (int Row, int Column) CentreUnit(ConvNetArchitecture architecture, ConvLayerShape layer)
    {
        var (cy, cx) = ((layer.OutHeight - 1) / 2.0, (layer.OutWidth - 1) / 2.0);
        var best = StrongestUnits.InsideUnits(architecture, layer)
            .Select(p => (Row: p / layer.OutWidth, Column: p % layer.OutWidth))
            .MinBy(u => (u.Row - cy) * (u.Row - cy) + (u.Column - cx) * (u.Column - cx));
        return best;
    }

    // Image i's objective, channel (or class) i: [N]; the reported (post-ReLU) value beside it.
    private Tensor ScoreOf(SimpleCnn network, ConvLayerShape? layer, (int Row, int Column)? unit, Tensor images, out Tensor reported)
    {
        var count = images.shape[0];
        if (layer is null)
        {
            var output = network.Forward(images, captureActivations: false);
            var logits = output.Logits.narrow(1, 0, count).diagonal();
            reported = logits;
            return logits;
        }

        var (pre, post) = network.ForwardConvLayers(images, layer.Index);
        reported = Select(post[layer.Index], unit);
        return Select(pre[layer.Index], unit);
    }

    private static UnitField FieldOf(ConvNetArchitecture architecture, ConvLayerShape layer, (int Row, int Column) unit)
    {
        var (top, _) = ReceptiveFields.Window(architecture, layer.Index, unit.Row);
        var (left, _) = ReceptiveFields.Window(architecture, layer.Index, unit.Column);
        return new UnitField(top, left, StrongestUnits.CropSide(architecture, layer.Index));
    }

    // [N, C, H, W] → image i's value of channel i: the unit's, or the map's mean.
    private static Tensor Select(Tensor maps, (int Row, int Column)? unit)
    {
        var perChannel = unit is { } u ? maps.select(2, u.Row).select(2, u.Column) : maps.mean(new long[] { 2, 3 });
        return perChannel.narrow(1, 0, maps.shape[0]).diagonal();
    }

    private delegate Tensor ScoreFunction(Tensor images, out Tensor reported);

    private (float[] Pictures, float[] Activations, float[] PreActivations) OptimizePicture(long[] shape, int jitter, ScoreFunction score,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var generator = new Generator((ulong)(uint)Seed);
        var shifts = new Random(Seed);
        using var colour = shape[1] == 3 ? ColourCorrelation() : null;
        using Scalar spread = Defaults.InitialSpread, minusOne = -1, penalty = TotalVariation;
        using var logits = new Parameter(randn(shape, generator: generator).mul_(spread), requires_grad: true);
        using var adam = new FlatAdam([("picture", logits)], LearningRate);
        // The last eighth polishes: no shift, no penalty, so the picture ends at a maximum of the very objective it is
        // scored on (the regularized steps before it decide which maximum: a smooth picture, not pixel noise).
        var regularizedSteps = Steps - Steps / 8;
        for (var step = 0; step < Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var pixels = Pixels(logits, colour);
            var seen = pixels;
            var regularized = step < regularizedSteps;
            if (jitter > 0 && regularized)
            {
                var (dy, dx) = (shifts.Next(-jitter, jitter + 1), shifts.Next(-jitter, jitter + 1));
                if (dy != 0 || dx != 0) seen = pixels.roll(new long[] { dy, dx }, new long[] { 2, 3 });
            }

            var loss = score(seen, out _).sum().mul(minusOne);
            if (TotalVariation > 0 && regularized) loss = loss.add(TotalVariationOf(pixels).sum(), penalty);
            var gradient = autograd.grad(new[] { loss }, new[] { (Tensor)logits })[0];
            adam.ZeroGrad();
            using (no_grad()) logits.grad!.copy_(gradient);
            adam.Step();
            progress?.Report((step + 1.0) / Steps);
        }

        using var finalScope = NewDisposeScope();
        using var noGrad = no_grad();
        var final = Pixels(logits, colour);
        return Measure(final, score);
    }

    private (float[] Pictures, float[] Activations, float[] PreActivations) OptimizeOnSphere(long[] shape, ScoreFunction score,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var generator = new Generator((ulong)(uint)Seed);
        using Scalar radius = Norm, stepSize = LearningRate * Norm, tiny = 1e-12;
        using var input = randn(shape, generator: generator);
        using (no_grad()) Project(input, radius, tiny);
        input.requires_grad_(true);
        for (var step = 0; step < Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var objective = score(input, out _).sum();
            var gradient = autograd.grad(new[] { objective }, new[] { input })[0];
            using (no_grad())
            {
                // Steepest ascent on the sphere: a step of LearningRate × Norm along each image's own gradient
                // direction, then back onto the sphere. For a linear unit the fixed point is x = Norm · w / |w|.
                input.addcdiv_(gradient, L2Norms(gradient).clamp_min(tiny), value: stepSize);
                Project(input, radius, tiny);
            }
            progress?.Report((step + 1.0) / Steps);
        }

        using var finalScope = NewDisposeScope();
        using var noGrad = no_grad();
        return Measure(input.detach(), score);
    }

    private static (float[] Pictures, float[] Activations, float[] PreActivations) Measure(Tensor pictures, ScoreFunction score)
    {
        var pre = score(pictures, out var post);
        return (TensorData.ToArray(pictures), TensorData.ToArray(post.contiguous()), TensorData.ToArray(pre.contiguous()));
    }

    private static Tensor L2Norms(Tensor images) => images.square().sum(new long[] { 1, 2, 3 }, keepdim: true).sqrt();

    private static void Project(Tensor images, Scalar radius, Scalar tiny)
    {
        using var norms = L2Norms(images).clamp_min(tiny);
        images.div_(norms).mul_(radius);
    }

    // Pixels in (0, 1): sigmoid of the logits, after mixing colour channels for a colour model.
    private static Tensor Pixels(Tensor logits, Tensor? colour) =>
        (colour is null ? logits : nn.functional.conv2d(logits, colour)).sigmoid();

    /// <summary>
    /// Lucid's colour correlation: the square root of natural images' RGB covariance (its SVD factor), scaled so its
    /// largest column has norm 1, as a 1×1 convolution. Optimizing decorrelated logits lets Adam step luminance and
    /// colour-opponent directions separately, as natural images vary, instead of R, G, B each on its own.
    /// </summary>
    private static Tensor ColourCorrelation()
    {
        float[,] sqrtCovariance = { { 0.26f, 0.09f, 0.02f }, { 0.27f, 0.00f, -0.05f }, { 0.27f, -0.09f, 0.03f } };
        var largestColumn = Enumerable.Range(0, 3).Max(j => MathF.Sqrt(Enumerable.Range(0, 3).Sum(i => sqrtCovariance[i, j] * sqrtCovariance[i, j])));
        var weights = new float[9];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                weights[i * 3 + j] = sqrtCovariance[i, j] / largestColumn;
        return TensorData.FromSpan(weights, 3, 3, 1, 1);
    }

    // Per image: mean |difference| of vertical neighbours + mean |difference| of horizontal neighbours.
    private static Tensor TotalVariationOf(Tensor images)
    {
        var dims = new long[] { 1, 2, 3 };
        var total = zeros(images.shape[0]);
        if (images.shape[2] > 1) total = total.add(images.diff(dim: 2).abs().mean(dims), HeldScalars.One);
        if (images.shape[3] > 1) total = total.add(images.diff(dim: 3).abs().mean(dims), HeldScalars.One);
        return total;
    }
}
