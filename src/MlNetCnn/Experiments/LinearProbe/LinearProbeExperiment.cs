using MlNetCnn.Experiments.Figures;
using static System.FormattableString;

namespace MlNetCnn.Experiments.LinearProbe;

/// <summary>
/// Linear probes through ML.NET: an L-BFGS maximum-entropy (multinomial logistic regression) classifier trained on raw
/// pixels (<c>Features</c>) and on each conv layer's feature maps (<c>conv1</c>, <c>conv2</c>, …: post-ReLU, before
/// pooling, flattened), each min-max normalised. The images are an IDataView built with <c>LoadFromEnumerable</c>
/// and the map columns come from the library's <c>mlContext.Transforms.ExtractFeatureMaps</c>.
/// </summary>
internal sealed class LinearProbeExperiment() : Experiment(
    "linear-probes",
    "Linear probes on pixels and feature maps",
    "The conv layers make the classes more linearly separable: a linear classifier on the last conv layer's feature " +
    "maps is more accurate than one on raw pixels, and no layer is clearly worse than the one before it.",
    "gain")
{
    /// <summary>Training images each linear probe is fitted on (test images: the whole test set); the budget's training images cap it.</summary>
    public int ProbeTrainImages { get; init; } = 2000;

    /// <summary>Iteration limit of each linear probe's training.</summary>
    public int MaximumIterations { get; init; } = 60;

    /// <summary>L2 regularisation weight of each linear probe.</summary>
    public float L2Regularization { get; init; } = 1f;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var layers = model.ConvLayers;
        var trainCount = LayerProbes.TrainCount(ProbeTrainImages, context);
        var testCount = context.Test.Count;
        var inputs = new List<string> { "pixels" };
        inputs.AddRange(layers.Select(l => l.Name));

        var columns = inputs.Select((n, i) => i == 0 ? LayerProbes.PixelsColumn : n).ToArray();
        var probes = new LayerProbes(MaximumIterations, L2Regularization);
        var (accuracy, dimensions) = probes.Measure(model, context, trainCount, columns,
            (column, fraction) => Report(context, column == LayerProbes.PixelsColumn ? inputs[0] : column, fraction));
        var modelAccuracy = Training.TrainingLoop.Evaluate(model.Network, context.Test, 256).Accuracy;

        var gain = accuracy[^1] - accuracy[0];
        var gainError = Stats.AccuracyDifferenceError(accuracy[^1], testCount, accuracy[0], testCount);
        var worse = Enumerable.Range(1, inputs.Count - 1)
            .Where(i => VerdictRule.Beyond(accuracy[i - 1] - accuracy[i], Stats.AccuracyDifferenceError(accuracy[i - 1], testCount, accuracy[i], testCount)))
            .Select(i => inputs[i]).ToArray();
        var verdict = worse.Length > 0 ? Verdict.NotSupported : VerdictRule.FromDifference(gain, gainError);
        var path = string.Join(" → ", inputs.Select((n, i) => Invariant($"{n} {Stats.Percent(accuracy[i])}")));
        var explanation = Invariant($"Linear probe test accuracy: {path} (the full CNN: {Stats.Percent(modelAccuracy)}). From pixels to {inputs[^1]} the probe gains {Stats.Points(gain)} (two standard errors: {Stats.Percent(2 * gainError)}). ") +
            verdict switch
            {
                Verdict.Supported => "The learned features are more linearly separable than the pixels, and no layer is clearly worse than its predecessor.",
                Verdict.NotSupported when worse.Length > 0 => Invariant($"But the probe on {string.Join(", ", worse)} is clearly worse than on the layer before it."),
                Verdict.NotSupported => "The last layer's features are less linearly separable than the pixels.",
                _ => "The gain is within noise.",
            } +
            Invariant($" Probes: ML.NET L-BFGS maximum entropy, {MaximumIterations} iterations, L2 {L2Regularization}, min-max normalised features, trained on {trainCount} training images, tested on {testCount}.");

        var measurements = new List<Measurement>();
        for (var i = 0; i < inputs.Count; i++)
        {
            measurements.Add(new Measurement($"{inputs[i]}.accuracy", accuracy[i], MeasurementUnit.Accuracy));
            measurements.Add(new Measurement($"{inputs[i]}.dimensions", dimensions[i], MeasurementUnit.Features));
        }
        measurements.Add(new Measurement("model.accuracy", modelAccuracy, MeasurementUnit.Accuracy));
        measurements.Add(new Measurement("gain", gain, MeasurementUnit.Accuracy));
        measurements.Add(new Measurement("gain.standard-error", gainError, MeasurementUnit.Accuracy));
        measurements.Add(new Measurement("probe-train-images", trainCount, MeasurementUnit.Images));
        var x = Enumerable.Range(0, inputs.Count).Select(i => (double)i).ToArray();
        return Result(context, verdict, explanation, measurements) with
        {
            KeyMeasurements = inputs.Select(n => $"{n}.accuracy").Append("model.accuracy").ToArray(),
            Charts = new[]
            {
                new ChartFigure("Linear-probe test accuracy per layer", ChartKind.Bar, "input to the probe", "test accuracy", new[]
                {
                    new ChartSeries("linear probe", x, accuracy, inputs),
                    new ChartSeries("full CNN", x, x.Select(_ => modelAccuracy).ToArray(), inputs),
                }),
            },
            Tables = new[]
            {
                new TableFigure("Linear probes", new[] { "input", "features", "test accuracy (%)" },
                    inputs.Select((n, i) => (IReadOnlyList<string>)new[] { n, Invariant($"{dimensions[i]}"), Invariant($"{100 * accuracy[i]:F1}") }).ToArray()),
            },
        };
    }
}
