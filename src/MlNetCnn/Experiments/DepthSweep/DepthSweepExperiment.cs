using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static System.FormattableString;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.DepthSweep;

/// <summary>
/// Trains the SimpleCNN with 2, 3 and 4 conv layers (channels doubling after the architecture's own: 6, 12, 24, 48),
/// otherwise identical, and compares test accuracy, receptive field and parameters; shows how one image's feature maps
/// evolve layer by layer in the deepest network.
/// </summary>
internal sealed class DepthSweepExperiment() : Experiment(
    "depth",
    "Depth sweep: 2, 3 and 4 conv layers",
    "Stacking more conv layers enlarges the receptive field (8 → 18 → 38 px on the default network) and, with the " +
    "same training, raises test accuracy.",
    "gain")
{
    /// <summary>Numbers of conv layers trained and compared.</summary>
    public IReadOnlyList<int> Depths { get; init; } = new[] { 2, 3, 4 };

    /// <summary>Channels shown per layer in the feature-map figures.</summary>
    public int ShownChannels { get; init; } = 8;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var baseArchitecture = context.Architecture;
        var settings = context.TrainingSettings;
        var maxDepth = MaxLayers(baseArchitecture.InputHeight, baseArchitecture.InputWidth);
        var depths = Depths.Where(d => d >= 1 && d <= maxDepth).Distinct().OrderBy(d => d).ToArray();
        if (depths.Length == 0) throw new InvalidOperationException($"None of the depths {string.Join(", ", Depths)} fits a {baseArchitecture.InputHeight}×{baseArchitecture.InputWidth} input (at most {maxDepth} conv layers).");

        // The depths train independently, side by side when the context allows (IndependentRuns).
        var runs = IndependentRuns.Run(context, depths.Length, (d, report) =>
        {
            var architecture = baseArchitecture with { ConvChannels = Channels(baseArchitecture.ConvChannels, depths[d]) };
            // Trained once per context: the deepest is the depth-features experiment's network, the shallowest the model under study.
            var network = context.TrainedNetwork(architecture, report).Network;
            var accuracy = TrainingLoop.Evaluate(network, context.Test, 256).Accuracy;
            var evolution = d == depths.Length - 1 ? Evolution(network, context).ToList() : new List<HeatmapFigure>();
            return (Architecture: architecture, Accuracy: accuracy, Parameters: TrainingLoop.ParameterCount(network),
                Field: ReceptiveFields.Theoretical(architecture)[^1].ConvOutput, Evolution: evolution);
        }, f => Report(context, "training", f));
        var accuracy = runs.Select(r => r.Accuracy).ToArray();
        var parameters = runs.Select(r => r.Parameters).ToArray();
        var fields = runs.Select(r => r.Field).ToArray();
        var heatmaps = runs.SelectMany(r => r.Evolution).ToList();
        var rows = runs.Select((r, d) => (IReadOnlyList<string>)new[]
        {
            Invariant($"{depths[d]}"), string.Join("-", r.Architecture.ConvChannels), Invariant($"{parameters[d]}"),
            Invariant($"{fields[d]}"), Invariant($"{100 * accuracy[d]:F1}"),
        }).ToList();

        var n = context.Test.Count;
        var gain = accuracy[^1] - accuracy[0];
        var error = Stats.AccuracyDifferenceError(accuracy[^1], n, accuracy[0], n);
        var fieldsGrow = fields.Zip(fields.Skip(1), (a, b) => b > a).All(g => g);
        var verdict = depths.Length < 2 ? Verdict.Inconclusive
            : !fieldsGrow ? Verdict.NotSupported
            : VerdictRule.FromDifference(gain, error);
        var summary = string.Join("; ", depths.Select((depth, d) => Invariant($"{depth} layers: receptive field {fields[d]} px, {parameters[d]:N0} parameters, {Stats.Percent(accuracy[d])}")));
        var explanation = Invariant($"{summary}. From {depths[0]} to {depths[^1]} layers accuracy changed by {Stats.Points(gain)} (two standard errors: {Stats.Percent(2 * error)}). ") +
            verdict switch
            {
                Verdict.Supported => "The larger receptive field came with higher accuracy.",
                Verdict.NotSupported when !fieldsGrow => "The receptive field did not grow with depth.",
                Verdict.NotSupported => "The deeper network is less accurate with the same training budget: depth alone did not help here.",
                _ => "The receptive field grows, but the accuracy difference is within noise at this training budget.",
            } +
            (Depths.Any(d => d > maxDepth)
                ? Invariant($" Left out: {string.Join(", ", Depths.Where(d => d > maxDepth))} conv layers, because a {baseArchitecture.InputHeight}×{baseArchitecture.InputWidth} image can be halved by 2×2 pooling at most {maxDepth} times.")
                : "") +
            Invariant($" Each network trained {settings.Epochs} epoch(s) on {context.Train.Count} images (batch {settings.BatchSize}, Adam {settings.LearningRate}), seed {settings.Seed}; receptive field at the last conv output, before pooling.");

        var measurements = new List<Measurement>();
        for (var d = 0; d < depths.Length; d++)
        {
            measurements.Add(new Measurement(Invariant($"depth{depths[d]}.accuracy"), accuracy[d], "accuracy"));
            measurements.Add(new Measurement(Invariant($"depth{depths[d]}.receptive-field"), fields[d], "px"));
            measurements.Add(new Measurement(Invariant($"depth{depths[d]}.parameters"), parameters[d], "parameters"));
        }
        measurements.Add(new Measurement("gain", gain, "accuracy"));
        measurements.Add(new Measurement("gain.standard-error", error, "accuracy"));
        var x = depths.Select(v => (double)v).ToArray();
        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = depths.Select(d => Invariant($"depth{d}.accuracy")).Append("gain").ToArray(),
            Measurements = measurements,
            Charts = new[]
            {
                new ChartFigure("Test accuracy vs depth", ChartKind.Line, "conv layers", "test accuracy", new[] { new ChartSeries("test accuracy", x, accuracy) }),
                new ChartFigure("Receptive field of the last conv layer vs depth", ChartKind.Line, "conv layers", "side (input pixels)", new[] { new ChartSeries("theoretical receptive field", x, fields.Select(f => (double)f).ToArray()) }),
            },
            Tables = new[] { new TableFigure("Depth sweep", new[] { "conv layers", "channels", "parameters", "receptive field (px)", "test accuracy (%)" }, rows) },
            Heatmaps = heatmaps,
            Images = new[] { new ImageFigure("Image whose feature maps are shown", new[] { ImageTensors.Panel("test image 0", context.TestPixels, 0, context.Channels, context.Height, context.Width) }) },
        };
    }

    /// <summary>The deepest network's post-ReLU maps of test image 0, layer by layer (first channels).</summary>
    private IEnumerable<HeatmapFigure> Evolution(SimpleCnn network, ExperimentContext context)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var output = network.Forward(context.Test.Slice(0, 1), captureActivations: true);
        var figures = new List<HeatmapFigure>();
        foreach (var shape in network.ConvShapes)
        {
            var shown = Math.Min(ShownChannels, shape.OutChannels);
            var values = ImageTensors.ToArray(output.Activations[shape.Index].narrow(1, 0, shown));
            figures.Add(new HeatmapFigure(
                Invariant($"{network.ConvShapes.Count}-layer network, {shape.Name}: {shape.OutHeight}×{shape.OutWidth} maps (first {shown} of {shape.OutChannels} channels, after ReLU)"),
                values, shown, shape.OutHeight, shape.OutWidth, Enumerable.Range(0, shown).Select(c => Invariant($"{shape.Name} ch{c}")).ToArray()));
        }
        return figures;
    }

    /// <summary>The first <paramref name="depth"/> of the architecture's channels, doubling the last one for each layer added (6, 12 → 6-12-24-48).</summary>
    internal static IReadOnlyList<int> Channels(IReadOnlyList<int> baseChannels, int depth)
    {
        var channels = baseChannels.Take(depth).ToList();
        while (channels.Count < depth) channels.Add(channels[^1] * 2);
        return channels;
    }

    /// <summary>How many conv layers (each followed by a 2×2 pool) a <paramref name="height"/>×<paramref name="width"/> image allows.</summary>
    internal static int MaxLayers(int height, int width)
    {
        var count = 0;
        while (height >= 2 && width >= 2) { height /= 2; width /= 2; count++; }
        return count;
    }
}
