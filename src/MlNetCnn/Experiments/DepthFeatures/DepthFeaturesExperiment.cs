using MathNet.Numerics.Statistics;
using MlNetCnn.Experiments.DepthSweep;
using MlNetCnn.Experiments.Figures;
using MlNetCnn.Experiments.LinearProbe;
using MlNetCnn.Experiments.ReceptiveField;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static System.FormattableString;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>
/// Tests the seed's closing claim, "deeper layers capture more abstract features … more complex spatial patterns", on
/// the depth sweep's deepest network (4 conv layers, channels doubling from the architecture's own: 6-12-24-48),
/// trained with the experiment budget. Six measures per conv layer, each defined before any result:
/// (a) the effective receptive field of the centre unit (<see cref="GradientField"/>, as the receptive-field
/// experiment measures it); (b) the complexity of each channel's optimised picture (the input that maximises its
/// centre unit), as its effective number of orientations inside the unit's receptive field (<see cref="OrientationCount"/>);
/// (c) the invariance of each channel's pooled response to 1–2 px translations and, separately, to brightness/contrast
/// changes (<see cref="ResponseInvariance"/>); (d) the class-selectivity index per channel (<see cref="ClassSelectivity"/>,
/// Morcos et al. 2018) and linear-probe accuracy per layer (<see cref="LayerProbes"/>, as the linear-probe experiment
/// fits them). A measure grows with depth when its Spearman rank correlation with the layer index is at least
/// <see cref="GrowthThreshold"/> (at most one adjacent pair of four out of order).
/// </summary>
internal sealed class DepthFeaturesExperiment() : Experiment(
    "depth-features",
    "Features by depth: do deeper layers see larger, more complex, more invariant, more class-specific patterns?",
    "The seed's last claim: deeper conv layers capture more abstract features and more complex spatial patterns. On a " +
    "4-conv-layer network (6-12-24-48) trained with the experiment budget, each of six per-layer measures grows with " +
    "depth (Spearman ρ with the layer index ≥ 0.8): (a) the effective receptive field; (b) the complexity of each " +
    "channel's optimised picture, as its effective number of orientations inside the receptive field; (c) the " +
    "invariance of each channel's pooled response to 1–2 px translations and, separately, to brightness/contrast " +
    "changes; " +
    "(d) the class-selectivity index (Morcos et al. 2018) and the linear-probe accuracy.",
    "weakest-trend")
{
    /// <summary>The six measures, in the order the result lists them.</summary>
    internal static readonly IReadOnlyList<(string Name, string Label, MeasurementUnit Unit)> Measures = new[]
    {
        ("receptive-field", "effective receptive field", MeasurementUnit.Pixels),
        ("complexity", "orientations in the optimised picture", MeasurementUnit.Orientations),
        ("translation-invariance", "invariance to 1–2 px shifts", MeasurementUnit.Correlation),
        ("photometric-invariance", "invariance to brightness/contrast", MeasurementUnit.Correlation),
        ("selectivity", "class selectivity", MeasurementUnit.Index),
        ("probe-accuracy", "linear-probe accuracy", MeasurementUnit.Accuracy),
    };

    /// <summary>Conv layers of the network studied (fewer when the images cannot be pooled that often).</summary>
    public int Layers { get; init; } = 4;

    /// <summary>A measure grows with depth when its Spearman ρ with the layer index is at least this (and falls at −this).</summary>
    public double GrowthThreshold { get; init; } = 0.8;

    /// <summary>The effective receptive field is √(pixels holding this fraction of the gradient mass).</summary>
    public double MassFraction { get; init; } = 0.9;

    /// <summary>A channel is live when its response is positive on at least this fraction of the test images.</summary>
    public double MinActiveFraction { get; init; } = 0.01;

    /// <summary>Translations of (c): ±1 and ±2 px along each axis, border pixels repeated into the uncovered strip.</summary>
    internal IReadOnlyList<ImageChange> Translations { get; init; } = new[]
    {
        ImageChange.Shift(1, 0), ImageChange.Shift(-1, 0), ImageChange.Shift(0, 1), ImageChange.Shift(0, -1),
        ImageChange.Shift(2, 0), ImageChange.Shift(-2, 0), ImageChange.Shift(0, 2), ImageChange.Shift(0, -2),
    };

    /// <summary>Photometric changes of (c): brightness ±0.1 and contrast ×0.8 / ×1.25 about each image's mean.</summary>
    internal IReadOnlyList<ImageChange> PhotometricChanges { get; init; } = new[]
    {
        ImageChange.Brighten(0.1f), ImageChange.Brighten(-0.1f), ImageChange.Stretch(0.8f), ImageChange.Stretch(1.25f),
    };

    /// <summary>Training images each linear probe is fitted on (test images: the whole test set); the budget's training images cap it.</summary>
    public int ProbeTrainImages { get; init; } = 2000;

    /// <summary>Iteration limit of each linear probe (as the linear-probe experiment).</summary>
    public int ProbeIterations { get; init; } = 60;

    /// <summary>L2 regularisation of each linear probe (as the linear-probe experiment).</summary>
    public float ProbeL2Regularization { get; init; } = 1f;

    /// <summary>Gradient steps of each layer's feature visualization (<see cref="FeatureVisualizer"/>, its other options at their defaults).</summary>
    public int PictureSteps { get; init; } = FeatureVisualizer.Defaults.Steps;

    /// <summary>Optimised pictures shown per layer in the figure.</summary>
    public int ShownPictures { get; init; } = 8;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var baseArchitecture = context.Architecture;
        var depth = Math.Min(Layers, DepthSweepExperiment.MaxLayers(baseArchitecture.InputHeight, baseArchitecture.InputWidth));
        var architecture = baseArchitecture with { ConvChannels = DepthSweepExperiment.Channels(baseArchitecture.ConvChannels, depth) };
        var settings = context.TrainingSettings;
        // The context trains it once: the depth sweep studies the same network (same architecture, seed and budget).
        var model = context.TrainedNetwork(architecture, f => Report(context, "training", 0.4 * f));
        var network = model.Network;
        context.ConfigureTorch();
        var accuracy = TrainingLoop.Evaluate(network, context.Test, 256).Accuracy;
        var layers = network.ConvShapes;
        var theory = ReceptiveFields.Theoretical(architecture);
        var analysis = Math.Min(context.Budget.AnalysisImages, context.Test.Count);

        // (a) Effective receptive field of each layer's centre unit.
        Report(context, "receptive fields", 0.4);
        var fieldMaps = layers.Select(l => GradientField.Map(network, context.Test.Features, analysis, l.Index, TrainingDefaults.InferenceBatchSize, context.Cancellation)).ToArray();
        var fields = fieldMaps.Select(m => GradientField.EffectiveSide(m, MassFraction)).ToArray();

        // (b) Complexity of each channel's optimised picture inside its centre unit's receptive field.
        Report(context, "optimised pictures", 0.45);
        var visualizer = new FeatureVisualizer { Steps = PictureSteps, Seed = context.Seed };
        var visualized = layers.Select(l => visualizer.Visualize(model, l.Name, null, context.Cancellation)).ToArray();
        var pictures = visualized.Select(v => v.Channels.SelectMany(c => c.Picture).ToArray()).ToArray();
        var counts = layers.Select(l =>
        {
            var unit = visualized[l.Index].Unit!.Value;   // the centre-unit objective always names its unit
            var (rows, columns) = (ReceptiveFields.Window(architecture, l.Index, unit.Row), ReceptiveFields.Window(architecture, l.Index, unit.Column));
            return visualized[l.Index].Channels.Select(c => OrientationCount.Of(c.Picture, context.Channels, context.Height, context.Width, rows, columns)).ToArray();
        }).ToArray();

        // (c) Invariance of each channel's pooled response.
        Report(context, "invariance", 0.6);
        // Photometric changes stay within the range the test images come in ([0, 1] for CIFAR-10).
        var pixels = context.TestPixels;
        var range = (pixels.Min(), pixels.Max());
        var translation = ResponseInvariance.Measure(network, pixels, analysis, context.Channels, context.Height, context.Width, range, depth, Translations, context.Cancellation);
        var photometric = ResponseInvariance.Measure(network, pixels, analysis, context.Channels, context.Height, context.Width, range, depth, PhotometricChanges, context.Cancellation);

        // (d) Class selectivity per channel on every test image, then linear probes per layer.
        Report(context, "selectivity", 0.65);
        var responses = MeanResponses(network, context);
        var selectivity = layers.Select(l => ClassSelectivity.Indices(responses[l.Index], l.OutChannels, context.Test.Labels, context.ClassNames.Count, MinActiveFraction)).ToArray();
        var trainCount = LayerProbes.TrainCount(ProbeTrainImages, context);
        var (probeAccuracy, probeDimensions) = ProbePooledMaps(network, context, trainCount);

        var values = new double[Measures.Count][];
        values[0] = fields;
        values[1] = counts.Select(MeanOfFinite).ToArray();
        values[2] = translation.Select(MeanOfFinite).ToArray();
        values[3] = photometric.Select(MeanOfFinite).ToArray();
        values[4] = selectivity.Select(MeanOfFinite).ToArray();
        values[5] = probeAccuracy;
        var trends = values.Select(Trend).ToArray();
        var weakest = trends.Min();
        var verdict = depth < 2 || trends.Any(double.IsNaN) ? Verdict.Inconclusive
            : trends.Any(t => t <= -GrowthThreshold) ? Verdict.NotSupported
            : trends.All(t => t >= GrowthThreshold) ? Verdict.Supported
            : Verdict.Inconclusive;

        var measurements = new List<Measurement>();
        foreach (var l in layers)
        {
            for (var m = 0; m < Measures.Count; m++)
                measurements.Add(new Measurement($"{l.Name}.{Measures[m].Name}", values[m][l.Index], Measures[m].Unit));
            measurements.Add(new Measurement($"{l.Name}.live-channels", selectivity[l.Index].Count(double.IsFinite), MeasurementUnit.Channels));
        }
        for (var m = 0; m < Measures.Count; m++)
            measurements.Add(new Measurement($"trend.{Measures[m].Name}", trends[m], MeasurementUnit.Rho));
        measurements.Add(new Measurement("weakest-trend", weakest, MeasurementUnit.Rho));
        measurements.Add(new Measurement("network.accuracy", accuracy, MeasurementUnit.Accuracy));
        measurements.Add(new Measurement("analysis-images", analysis, MeasurementUnit.Images));

        string Describe(int m) => Invariant($"{Measures[m].Label} {string.Join(" → ", values[m].Select(v => Format(v, Measures[m].Unit)))} (ρ = {ExperimentText.Number(trends[m])}, {Word(trends[m])})");
        var explanation = Invariant($"Per conv layer of the {depth}-layer network ({string.Join("-", architecture.ConvChannels)} channels, test accuracy {Stats.Percent(accuracy)}): ") +
            string.Join("; ", Enumerable.Range(0, Measures.Count).Select(Describe)) + ". " +
            verdict switch
            {
                Verdict.Supported => "Every measure grows with depth.",
                Verdict.NotSupported => Invariant($"Not every measure grows: {string.Join(", ", Enumerable.Range(0, Measures.Count).Where(m => trends[m] <= -GrowthThreshold).Select(m => Measures[m].Label))} falls with depth."),
                _ when depth < 2 => Invariant($"A {baseArchitecture.InputHeight}×{baseArchitecture.InputWidth} image allows only {depth} conv layer(s): no trend over depth can be measured."),
                _ => Invariant($"Some measures show no clear trend: {string.Join(", ", Enumerable.Range(0, Measures.Count).Where(m => !(trends[m] >= GrowthThreshold)).Select(m => Measures[m].Label))}."),
            } +
            Invariant($" A measure grows when Spearman's ρ with the layer index is at least {GrowthThreshold} and falls at −{GrowthThreshold} or below. The network trained {settings.Epochs} epoch(s) on {context.Train.Count} images (batch {settings.BatchSize}, Adam {settings.LearningRate}), seed {settings.Seed}; ") +
            Invariant($"receptive fields, pictures' windows and invariance on {analysis} test images, selectivity on all {context.Test.Count}, probes trained on {trainCount}.") +
            (depth < Layers ? Invariant($" Only {depth} of {Layers} conv layers fit a {baseArchitecture.InputHeight}×{baseArchitecture.InputWidth} image.") : "");

        var x = layers.Select(l => (double)(l.Index + 1)).ToArray();
        var names = layers.Select(l => l.Name).ToArray();
        ChartSeries Series(int m) => new(Measures[m].Label, x, values[m], names);
        return Result(context, verdict, explanation, measurements) with
        {
            KeyMeasurements = Measures.Select(m => $"trend.{m.Name}").Append("weakest-trend").Append("network.accuracy").ToArray(),
            Charts = new[]
            {
                new ChartFigure("(a) Effective receptive field by layer", ChartKind.Line, "conv layer", "side (input pixels)", new[]
                {
                    Series(0),
                    new ChartSeries("theoretical (conv output)", x, theory.Select(t => (double)t.ConvOutput).ToArray(), names),
                }),
                new ChartFigure("(b) Effective number of orientations in each channel's optimised picture (mean over channels)", ChartKind.Line, "conv layer", "orientations (1–8)", new[] { Series(1) }),
                new ChartFigure("(c, d) Invariance, class selectivity and linear-probe accuracy by layer", ChartKind.Line, "conv layer", "value", new[] { Series(2), Series(3), Series(4), Series(5) }),
            },
            Tables = new[]
            {
                new TableFigure("Per-layer measures", new[] { "layer", "channels (live)", "theoretical field (px)", "effective field (px)", "orientations", "shift invariance", "brightness/contrast invariance", "class selectivity", "probe accuracy (%)", "probe features" },
                    layers.Select(l => (IReadOnlyList<string>)new[]
                    {
                        l.Name, Invariant($"{l.OutChannels} ({selectivity[l.Index].Count(double.IsFinite)})"), Invariant($"{theory[l.Index].ConvOutput}"),
                        Format(values[0][l.Index], MeasurementUnit.Pixels), Format(values[1][l.Index], MeasurementUnit.None), Format(values[2][l.Index], MeasurementUnit.None), Format(values[3][l.Index], MeasurementUnit.None),
                        Format(values[4][l.Index], MeasurementUnit.None), Invariant($"{100 * values[5][l.Index]:F1}"), Invariant($"{probeDimensions[l.Index]}"),
                    }).Append(new[] { "Spearman ρ", "", "", ExperimentText.Number(trends[0]), ExperimentText.Number(trends[1]), ExperimentText.Number(trends[2]), ExperimentText.Number(trends[3]), ExperimentText.Number(trends[4]), ExperimentText.Number(trends[5]), "" }).ToArray()),
            },
            Heatmaps = new[]
            {
                new HeatmapFigure("(a) Effective receptive field of each layer's centre unit (mean |∂unit/∂input|, max = 1)", FieldHeat(fieldMaps), layers.Count, context.Height, context.Width,
                    layers.Select(l => Invariant($"{l.Name} (effective {fields[l.Index]:F1} px)")).ToArray()),
            },
            Images = layers.Select(l => new ImageFigure(
                Invariant($"(b) {l.Name}: optimised pictures of the first {Math.Min(ShownPictures, l.OutChannels)} channels, each stretched to its own range, with its number of orientations (centre unit; receptive field {theory[l.Index].ConvOutput} px)"),
                Enumerable.Range(0, Math.Min(ShownPictures, l.OutChannels)).Select(c => Stretched(Invariant($"ch{c}: {Format(counts[l.Index][c], MeasurementUnit.None)}"), pictures[l.Index], c, context)).ToArray())).ToArray(),
        };
    }

    /// <summary>Spearman's ρ of <paramref name="values"/> (layer order) with the layer index; NaN with fewer than two layers or a missing value.</summary>
    internal static double Trend(IReadOnlyList<double> values)
    {
        if (values.Count < 2 || values.Any(v => !double.IsFinite(v))) return double.NaN;
        if (values.Distinct().Count() == 1) return 0; // no change at all: no trend (Spearman itself is undefined)
        return Correlation.Spearman(Enumerable.Range(1, values.Count).Select(i => (double)i), values);
    }

    private static double MeanOfFinite(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? double.NaN : finite.Average();
    }

    private string Word(double trend) => double.IsNaN(trend) ? "not measured" : trend >= GrowthThreshold ? "grows" : trend <= -GrowthThreshold ? "falls" : "no clear trend";

    private static string Format(double value, MeasurementUnit unit) =>
        !double.IsFinite(value) ? "n/a" : unit == MeasurementUnit.Accuracy ? Stats.Percent(value) : unit == MeasurementUnit.Pixels ? Invariant($"{value:F1} px") : Invariant($"{value:F2}");

    /// <summary>
    /// Linear-probe test accuracy on each layer's pooled maps (post-ReLU, after its 2×2 max-pool: what the next layer
    /// receives), with the linear-probe experiment's ML.NET probe, trained on the first <paramref name="trainCount"/>
    /// training images and tested on every test image; and the features each probe reads.
    /// </summary>
    private (double[] Accuracy, int[] Dimensions) ProbePooledMaps(SimpleCnn network, ExperimentContext context, int trainCount)
    {
        var layers = network.ConvShapes;
        var probes = new LayerProbes(ProbeIterations, ProbeL2Regularization);
        var ml = new Microsoft.ML.MLContext(context.Seed);
        var train = PooledMaps(network, context.Train, trainCount, context.Cancellation);
        var test = PooledMaps(network, context.Test, context.Test.Count, context.Cancellation);
        var accuracy = new double[layers.Count];
        var dimensions = new int[layers.Count];
        foreach (var l in layers)
        {
            Report(context, "probe " + l.Name, 0.7 + 0.3 * l.Index / layers.Count);
            var (h, w) = (l.PooledHeight, l.PooledWidth);
            dimensions[l.Index] = l.OutChannels * h * w;
            accuracy[l.Index] = probes.Accuracy(ml,
                LayerProbes.View(ml, train[l.Index], context.Train.Labels, trainCount, l.OutChannels, h, w),
                LayerProbes.View(ml, test[l.Index], context.Test.Labels, context.Test.Count, l.OutChannels, h, w),
                LayerProbes.PixelsColumn, context.Threads);
        }
        return (accuracy, dimensions);
    }

    /// <summary>Each conv layer's pooled maps of the first <paramref name="count"/> images of a set: planar, images × C × h × w per layer.</summary>
    private static float[][] PooledMaps(SimpleCnn network, InMemoryImageSet images, int count, CancellationToken cancellation)
    {
        var layers = network.ConvShapes;
        var result = layers.Select(l => new float[count * l.OutChannels * l.PooledHeight * l.PooledWidth]).ToArray();
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += TrainingDefaults.InferenceBatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var n = Math.Min(TrainingDefaults.InferenceBatchSize, count - start);
            var (_, activations) = network.ForwardConvLayers(images.Slice(start, n), layers.Count - 1);
            foreach (var l in layers)
                ImageTensors.ToArray(nn.functional.max_pool2d(activations[l.Index], 2, 2)).CopyTo(result[l.Index], start * l.OutChannels * l.PooledHeight * l.PooledWidth);
        }
        return result;
    }

    /// <summary>Each conv layer's post-ReLU maps averaged over positions, for every test image: images × channels per layer.</summary>
    private static float[][] MeanResponses(SimpleCnn network, ExperimentContext context)
    {
        var layers = network.ConvShapes;
        var result = layers.Select(l => new float[context.Test.Count * l.OutChannels]).ToArray();
        using var noGrad = no_grad();
        for (var start = 0; start < context.Test.Count; start += TrainingDefaults.InferenceBatchSize)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var n = Math.Min(TrainingDefaults.InferenceBatchSize, context.Test.Count - start);
            var (_, activations) = network.ForwardConvLayers(context.Test.Slice(start, n), layers.Count - 1);
            foreach (var l in layers)
                ImageTensors.ToArray(activations[l.Index].mean(new long[] { 2, 3 })).CopyTo(result[l.Index], start * l.OutChannels);
        }
        return result;
    }

    private static float[] FieldHeat(double[][] maps)
    {
        var area = maps[0].Length;
        var heat = new float[maps.Length * area];
        for (var l = 0; l < maps.Length; l++)
        {
            var max = maps[l].Max();
            for (var i = 0; i < area; i++) heat[l * area + i] = max > 0 ? (float)(maps[l][i] / max) : 0f;
        }
        return heat;
    }

    /// <summary>One channel's optimised picture stretched to [0, 1] for display (its own min and max).</summary>
    private static ImagePanel Stretched(string title, float[] pictures, int channel, ExperimentContext context)
    {
        var picture = pictures.AsSpan(channel * context.ImageLength, context.ImageLength).ToArray();
        var (min, max) = (picture.Min(), picture.Max());
        for (var i = 0; i < picture.Length; i++) picture[i] = max > min ? (picture[i] - min) / (max - min) : 0.5f;
        return new ImagePanel(title, picture, context.Channels, context.Height, context.Width);
    }
}
