using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using static System.FormattableString;

namespace MlNetCnn.Experiments.ReceptiveField;

/// <summary>
/// Computes each conv layer's theoretical receptive field from the architecture (at the conv output, before its pool)
/// and measures the effective one: the gradient of the centre unit's pre-activation (summed over channels) with respect
/// to the input, |·| summed over colour planes, normalised per image and averaged over test images.
/// </summary>
internal sealed class ReceptiveFieldExperiment() : Experiment(
    "receptive-field",
    "Receptive fields: theory and measurement",
    "A conv unit depends only on the input window the architecture predicts (conv output, before pooling: k at conv1, " +
    "then + (k−1)·stride per conv and + stride per pool), that window grows with depth, and the gradient mass " +
    "concentrates towards its centre, so the effective field is smaller than the theoretical one.",
    "concentration")
{
    /// <summary>The effective side is √(number of pixels holding this fraction of the gradient mass).</summary>
    public double MassFraction { get; init; } = 0.9;

    // Gradients without a training step: the same batch as inference.
    /// <summary>Images per batch when measuring gradients.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.InferenceBatchSize;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var network = model.Network;
        var architecture = model.Architecture;
        var layers = model.ConvLayers;
        var theory = ReceptiveFields.Theoretical(architecture);
        var count = Math.Min(context.Budget.AnalysisImages, context.Test.Count);
        var (height, width) = (context.Height, context.Width);
        var maps = new double[layers.Count][];

        for (var l = 0; l < layers.Count; l++)
        {
            Report(context, layers[l].Name, (double)l / layers.Count);
            maps[l] = GradientField.Map(network, context.Test.Features, count, l, BatchSize, context.Cancellation);
        }

        var measurements = new List<Measurement>();
        var rows = new List<IReadOnlyList<string>>();
        var inside = true;
        var supportSides = new List<double>();
        var effectiveSides = new List<double>();
        foreach (var layer in layers)
        {
            var t = theory[layer.Index];
            var map = maps[layer.Index];
            var (cy, cx) = (layer.OutHeight / 2, layer.OutWidth / 2);
            var rowsWindow = ReceptiveFields.Window(architecture, layer.Index, cy);
            var colsWindow = ReceptiveFields.Window(architecture, layer.Index, cx);
            int top = height, bottom = -1, left = width, right = -1;
            double inWindow = 0, total = 0;
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var v = map[y * width + x];
                    total += v;
                    if (v <= 0) continue;
                    (top, bottom, left, right) = (Math.Min(top, y), Math.Max(bottom, y), Math.Min(left, x), Math.Max(right, x));
                    if (y >= rowsWindow.Start && y <= rowsWindow.End && x >= colsWindow.Start && x <= colsWindow.End) inWindow += v;
                }
            var supportHeight = bottom >= top ? bottom - top + 1 : 0;
            var supportWidth = right >= left ? right - left + 1 : 0;
            var effective = GradientField.EffectiveSide(map, MassFraction);
            var insideFraction = total > 0 ? inWindow / total : double.NaN;
            var contained = supportHeight > 0 && top >= rowsWindow.Start && bottom <= rowsWindow.End && left >= colsWindow.Start && right <= colsWindow.End;
            inside &= contained;
            supportSides.Add(Math.Max(supportHeight, supportWidth));
            effectiveSides.Add(effective);
            measurements.Add(new Measurement($"{layer.Name}.theoretical", t.ConvOutput, "px"));
            measurements.Add(new Measurement($"{layer.Name}.theoretical-after-pool", t.Pooled, "px"));
            measurements.Add(new Measurement($"{layer.Name}.stride", t.ConvStride, "px"));
            measurements.Add(new Measurement($"{layer.Name}.support-height", supportHeight, "px"));
            measurements.Add(new Measurement($"{layer.Name}.support-width", supportWidth, "px"));
            measurements.Add(new Measurement($"{layer.Name}.effective-side", effective, "px"));
            measurements.Add(new Measurement($"{layer.Name}.mass-inside-theoretical", insideFraction, "fraction"));
            rows.Add(new[]
            {
                layer.Name, Invariant($"{t.ConvOutput}"), Invariant($"{t.Pooled}"), Invariant($"{t.ConvStride}"),
                Invariant($"{supportHeight}×{supportWidth}"), Invariant($"{effective:F1}"), Invariant($"{Stats.Percent(insideFraction)}"),
                Invariant($"rows {rowsWindow.Start}–{rowsWindow.End}, cols {colsWindow.Start}–{colsWindow.End}"),
            });
        }
        measurements.Add(new Measurement("images", count, "images"));

        var grows = supportSides.Zip(supportSides.Skip(1), (a, b) => b > a).All(g => g);
        var concentrated = layers.Where(l => theory[l.Index].ConvOutput > architecture.KernelSize)
            .All(l => effectiveSides[l.Index] < theory[l.Index].ConvOutput);
        // The effect over seeds: how much smaller than the theoretical window the effective side is, in the layer where
        // that gap is smallest (positive: the gradient concentrates towards the centre).
        measurements.Add(new Measurement("concentration", layers.Where(l => theory[l.Index].ConvOutput > architecture.KernelSize)
            .Select(l => theory[l.Index].ConvOutput - effectiveSides[l.Index]).DefaultIfEmpty(double.NaN).Min(), "px"));
        var fieldText = string.Join(", ", layers.Select(l => Invariant($"{l.Name} {theory[l.Index].ConvOutput} px (measured support {supportSides[l.Index]} px, effective {effectiveSides[l.Index]:F1} px)")));
        Verdict verdict;
        string explanation;
        if (!inside)
        {
            verdict = Verdict.NotSupported;
            explanation = Invariant($"Some gradient falls outside the predicted window ({fieldText}): the receptive-field arithmetic does not describe this network.");
        }
        else if (!grows)
        {
            verdict = Verdict.NotSupported;
            explanation = Invariant($"All gradient lies inside the predicted windows, but the measured support does not grow with depth: {fieldText}.");
        }
        else
        {
            verdict = concentrated ? Verdict.Supported : Verdict.Inconclusive;
            explanation = Invariant($"Every layer's gradient lies inside its predicted window and the window grows with depth: {fieldText}. ") +
                (concentrated
                    ? Invariant($"The effective side (√ of the area holding {Stats.WholePercent(MassFraction)} of the gradient mass) is below the theoretical side in every layer beyond conv1: the outer pixels of the window matter less.")
                    : Invariant($"But the effective side (√ of the area holding {Stats.WholePercent(MassFraction)} of the mass) is not below the theoretical one in every deeper layer, so the concentration claim is not shown."));
        }
        explanation += Invariant($" Sizes are at the conv output, before that layer's 2×2 pool (after the pool add one stride); averaged over {count} test images, centre unit of each map.");

        var heat = new float[layers.Count * height * width];
        for (var l = 0; l < layers.Count; l++)
        {
            var max = maps[l].Max();
            for (var i = 0; i < height * width; i++) heat[l * height * width + i] = max > 0 ? (float)(maps[l][i] / max) : 0f;
        }
        var depth = layers.Select(l => (double)(l.Index + 1)).ToArray();
        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = layers.SelectMany(l => new[] { $"{l.Name}.theoretical", $"{l.Name}.effective-side" }).ToArray(),
            Measurements = measurements,
            Heatmaps = new[]
            {
                new HeatmapFigure("Effective receptive field of each layer's centre unit (mean |∂unit/∂input|, max = 1)", heat, layers.Count, height, width,
                    layers.Select(l => Invariant($"{l.Name} (theory {theory[l.Index].ConvOutput} px)")).ToArray()),
            },
            Charts = new[]
            {
                new ChartFigure("Receptive-field side vs depth", ChartKind.Line, "conv layer", "side (input pixels)", new[]
                {
                    new ChartSeries("theoretical (conv output)", depth, theory.Select(t => (double)t.ConvOutput).ToArray()),
                    new ChartSeries("theoretical (after pool)", depth, theory.Select(t => (double)t.Pooled).ToArray()),
                    new ChartSeries("measured support", depth, supportSides.ToArray()),
                    new ChartSeries(Invariant($"effective ({Stats.WholePercent(MassFraction)} of gradient mass)"), depth, effectiveSides.ToArray()),
                }),
            },
            Tables = new[]
            {
                new TableFigure("Receptive fields (input pixels)", new[] { "layer", "theory (conv out)", "theory (after pool)", "stride", "measured support", "effective side", "mass inside theory", "window of centre unit" }, rows),
            },
        };
    }
}
