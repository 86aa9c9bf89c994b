using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using static System.FormattableString;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.TranslationEquivariance;

/// <summary>
/// Shifts test images by (s·dx, s·dy) for s = 0…<see cref="MaxShift"/> and compares, per conv layer, the feature map of
/// the shifted image with the shifted feature map of the original (relative error ‖F(Tx) − T′F(x)‖ / ‖T′F(x)‖, where T′
/// is the same shift in the layer's own pixels). The fully-connected hidden layer has no spatial axis to shift, so its
/// measure is the relative change ‖h(Tx) − h(x)‖ / ‖h(x)‖ — the error it would show if it were equivariant at all; the
/// conv layers' uncompensated change ‖F(Tx) − F(x)‖ / ‖F(x)‖ is reported beside it for scale. Zero-padded networks
/// are shifted with zero fill and compared where both maps have content; circular-padded ones are rolled.
/// </summary>
internal sealed class TranslationEquivarianceExperiment() : Experiment(
    "equivariance",
    "Translation equivariance",
    "Conv feature maps are translation-equivariant: shifting the image shifts each layer's maps by the same amount " +
    "(in that layer's resolution), so after shifting back they agree up to border effects, while the fully-connected " +
    "layer's output simply changes.",
    "equivariance-margin")
{
    /// <summary>Largest shift in input pixels.</summary>
    public int MaxShift { get; init; } = 8;

    /// <summary>Direction of the shift: s·(DirectionX, DirectionY) pixels, right and down positive.</summary>
    public int DirectionX { get; init; } = 1;

    /// <summary>Vertical component of the shift direction (down positive); see <see cref="DirectionX"/>.</summary>
    public int DirectionY { get; init; } = 1;

    /// <summary>A layer counts as equivariant when its mean error is below this fraction of its uncompensated change.</summary>
    public double MaxErrorRatio { get; init; } = 0.5;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var network = model.Network;
        var architecture = model.Architecture;
        var layers = model.ConvLayers;
        var theory = ReceptiveFields.Theoretical(architecture);
        var circular = architecture.PaddingMode == ConvPadding.Circular;
        var maxShift = Math.Max(0, Math.Min(MaxShift, Math.Min(context.Height, context.Width) - 1));
        var count = Math.Min(context.Budget.AnalysisImages, context.Test.Count);
        var shifts = Enumerable.Range(0, maxShift + 1).ToArray();

        var error = new double[layers.Count][];
        var borderError = new double[layers.Count][];
        var change = new double[layers.Count][];
        for (var l = 0; l < layers.Count; l++) { error[l] = new double[shifts.Length]; borderError[l] = new double[shifts.Length]; change[l] = new double[shifts.Length]; }
        var hiddenChange = new double[shifts.Length];
        var figureShift = shifts.Where(s => s > 0 && s % theory[^1].ConvStride == 0).DefaultIfEmpty(maxShift).Last();
        HeatmapFigure[] figures = Array.Empty<HeatmapFigure>();
        ImagePanel[] figureImages = Array.Empty<ImagePanel>();

        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var images = context.Test.Features.narrow(0, 0, count);
            var original = network.ForwardConvLayers(images, layers.Count - 1).Activations;
            var hidden = network.HiddenActivations(original[^1]);
            foreach (var s in shifts)
            {
                Report(context, Invariant($"shift {s}"), (double)s / shifts.Length);
                using var shiftScope = NewDisposeScope();
                var shifted = ImageTensors.Shift(images, s * DirectionX, s * DirectionY, circular);
                var maps = network.ForwardConvLayers(shifted, layers.Count - 1).Activations;
                hiddenChange[s] = RelativeDifference(network.HiddenActivations(maps[^1]), hidden);
                for (var l = 0; l < layers.Count; l++)
                {
                    var stride = theory[l].ConvStride;
                    var candidates = new[] { s / stride, (s + stride - 1) / stride }.Distinct().ToArray();
                    error[l][s] = candidates.Min(m => Compare(architecture, l, maps[l], original[l], s, m, circular, interior: true));
                    borderError[l][s] = candidates.Min(m => Compare(architecture, l, maps[l], original[l], s, m, circular, interior: false));
                    change[l][s] = Compare(architecture, l, maps[l], original[l], s, 0, circular, interior: true);
                }
                if (s == figureShift)
                {
                    figures = layers.Select(layer => SideBySide(layer, maps[layer.Index], original[layer.Index], s / theory[layer.Index].ConvStride, circular, s)).ToArray();
                    var pixels = ImageTensors.ToArray(images.narrow(0, 0, 1));
                    var shiftedPixels = ImageTensors.ToArray(shifted.narrow(0, 0, 1));
                    figureImages = new[]
                    {
                        ImageTensors.Panel("test image 0", pixels, 0, context.Channels, context.Height, context.Width),
                        ImageTensors.Panel(Invariant($"shifted by ({s * DirectionX}, {s * DirectionY})"), shiftedPixels, 0, context.Channels, context.Height, context.Width),
                    };
                }
            }
        }

        // Exact comparisons only exist where the shift is a whole number of the layer's pixels.
        double MeanOver(double[] values, int stride) => shifts.Where(s => s > 0 && s % stride == 0 && !double.IsNaN(values[s])).Select(s => values[s]).DefaultIfEmpty(double.NaN).Average();
        double MaxOver(double[] values, int stride) => shifts.Where(s => s > 0 && s % stride == 0 && !double.IsNaN(values[s])).Select(s => values[s]).DefaultIfEmpty(double.NaN).Max();
        var measurements = new List<Measurement>();
        var rows = new List<IReadOnlyList<string>>();
        var layerVerdicts = new List<bool>();
        var margins = new List<double>();
        var hiddenMean = shifts.Where(s => s > 0).Select(s => hiddenChange[s]).DefaultIfEmpty(double.NaN).Average();
        foreach (var layer in layers)
        {
            var stride = theory[layer.Index].ConvStride;
            var meanError = MeanOver(error[layer.Index], stride);
            var meanBorder = MeanOver(borderError[layer.Index], stride);
            var meanChange = MeanOver(change[layer.Index], stride);
            var between = shifts.Where(s => s % stride != 0).Select(s => error[layer.Index][s]).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();
            measurements.Add(new Measurement($"{layer.Name}.mean-error", meanError, "relative"));
            measurements.Add(new Measurement($"{layer.Name}.max-error", MaxOver(error[layer.Index], stride), "relative"));
            measurements.Add(new Measurement($"{layer.Name}.mean-error-with-borders", meanBorder, "relative"));
            measurements.Add(new Measurement($"{layer.Name}.mean-uncompensated-change", meanChange, "relative"));
            measurements.Add(new Measurement($"{layer.Name}.mean-error-between-strides", between, "relative"));
            layerVerdicts.Add(meanError < MaxErrorRatio * meanChange && meanError < hiddenMean);
            margins.Add(Math.Min(MaxErrorRatio * meanChange, hiddenMean) - meanError);
            rows.Add(new[]
            {
                layer.Name, Invariant($"{stride}"), Invariant($"{meanError:G3}"), Invariant($"{meanBorder:F3}"), Invariant($"{meanChange:F3}"),
                double.IsNaN(between) ? "–" : Invariant($"{between:F3}"),
            });
        }
        measurements.Add(new Measurement("fc1.mean-change", hiddenMean, "relative"));
        // The effect over seeds: how far the worst layer's error stays below the bound its verdict uses (positive: equivariant).
        measurements.Add(new Measurement("equivariance-margin", margins.DefaultIfEmpty(double.NaN).Min(), "relative"));
        measurements.Add(new Measurement("images", count, "images"));
        measurements.Add(new Measurement("max-shift", maxShift, "px"));
        rows.Add(new[] { "fc1 (hidden)", "–", "–", "–", Invariant($"{hiddenMean:F3}"), "–" });

        Verdict verdict;
        string explanation;
        var noChange = layers.All(l => !(MeanOver(change[l.Index], theory[l.Index].ConvStride) > 1e-6));
        var describe = string.Join("; ", layers.Select(l => Invariant($"{l.Name} {MeanOver(error[l.Index], theory[l.Index].ConvStride):G3} vs {MeanOver(change[l.Index], theory[l.Index].ConvStride):F3} not shifted back")));
        if (maxShift == 0 || noChange || double.IsNaN(hiddenMean) || layers.Any(l => double.IsNaN(MeanOver(error[l.Index], theory[l.Index].ConvStride))))
        {
            verdict = Verdict.Inconclusive;
            explanation = "No shift that is a whole number of every layer's pixels changed the feature maps with room left to compare, so equivariance cannot be measured here.";
        }
        else if (layerVerdicts.All(v => v))
        {
            verdict = Verdict.Supported;
            explanation = Invariant($"Averaged over shifts that are whole pixels of each layer and {count} images, shifting back the feature map leaves a relative error far below the change the shift causes ({describe}); the fully-connected layer's output changes by {hiddenMean:F3} on average with nothing to shift back.");
        }
        else
        {
            verdict = Verdict.NotSupported;
            var failing = string.Join(", ", layers.Where(l => !layerVerdicts[l.Index]).Select(l => l.Name));
            explanation = Invariant($"For {failing} the shifted-back error is not below {MaxErrorRatio:F2}× the change without shifting back, or not below the fully-connected layer's change ({hiddenMean:F3}): {describe}.");
        }
        explanation += circular
            ? " The network pads circularly, so images were rolled and whole maps compared."
            : " The network pads with zeros, so images were shifted with zero fill and compared on units whose receptive field lies inside the image content in both; including the units that touch the fill or the border gives "
              + string.Join(", ", layers.Select(l => Invariant($"{l.Name} {MeanOver(borderError[l.Index], theory[l.Index].ConvStride):F3}"))) + ".";
        explanation += " Shifts that are not a whole number of a pooled layer's pixels are compared with the nearest whole shift (plotted and listed separately): pooling makes those only approximately equivariant.";

        var x = shifts.Select(s => (double)s).ToArray();
        var series = new List<ChartSeries>();
        foreach (var layer in layers)
            series.Add(new ChartSeries($"{layer.Name} shifted back (error)", x, error[layer.Index]));
        foreach (var layer in layers)
            series.Add(new ChartSeries($"{layer.Name} shifted back, incl. border units", x, borderError[layer.Index]));
        foreach (var layer in layers)
            series.Add(new ChartSeries($"{layer.Name} not shifted back", x, change[layer.Index]));
        series.Add(new ChartSeries("fc1 (hidden) change", x, hiddenChange));

        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = layers.Select(l => $"{l.Name}.mean-error").Append("fc1.mean-change").ToArray(),
            Measurements = measurements,
            Charts = new[] { new ChartFigure(Invariant($"Relative error vs shift along ({DirectionX}, {DirectionY})"), ChartKind.Line, "shift s (input pixels)", "relative error", series) },
            Tables = new[] { new TableFigure("Mean over whole-pixel shifts", new[] { "layer", "stride (px)", "error shifted back (interior)", "incl. border units", "change not shifted back", "error at other shifts" }, rows) },
            Heatmaps = figures,
            Images = figureImages.Length == 0 ? Array.Empty<ImageFigure>() : new[] { new ImageFigure("Image and its shifted copy", figureImages) },
        };
    }

    /// <summary>
    /// Relative difference between the maps of the image shifted by s·direction input pixels and the original maps shifted
    /// by m·direction map pixels. Circular: whole maps. Otherwise over units p with p − m inside the map and, when
    /// <paramref name="interior"/>, whose receptive field lies inside the shifted content (no fill, no padding); else
    /// over all units whose own pixels lie in the shifted content.
    /// </summary>
    private double Compare(ConvNetArchitecture architecture, int layer, Tensor shiftedMaps, Tensor originalMaps, int s, int m, bool circular, bool interior)
    {
        using var scope = NewDisposeScope();
        var reference = m == 0 ? originalMaps : ImageTensors.Shift(originalMaps, m * DirectionX, m * DirectionY, circular);
        if (circular) return RelativeDifference(shiftedMaps, reference);
        var stride = 1 << layer;
        var rows = Range(architecture, layer, s * DirectionY, m * DirectionY, stride, (int)shiftedMaps.shape[2], architecture.InputHeight, interior);
        var cols = Range(architecture, layer, s * DirectionX, m * DirectionX, stride, (int)shiftedMaps.shape[3], architecture.InputWidth, interior);
        if (rows is not { } r || cols is not { } c) return double.NaN;
        return RelativeDifference(
            shiftedMaps.narrow(2, r.Start, r.Length).narrow(3, c.Start, c.Length),
            reference.narrow(2, r.Start, r.Length).narrow(3, c.Start, c.Length));
    }

    /// <summary>The contiguous range of map positions along one axis that may be compared (see <see cref="Compare"/>).</summary>
    private static (int Start, int Length)? Range(ConvNetArchitecture architecture, int layer, int inputShift, int mapShift, int stride, int mapSize, int inputSize, bool interior)
    {
        var contentStart = Math.Max(0, inputShift);
        var contentEnd = inputSize - 1 + Math.Min(0, inputShift);
        int first = -1, last = -1;
        for (var p = 0; p < mapSize; p++)
        {
            if (p - mapShift < 0 || p - mapShift >= mapSize) continue;
            var (start, end) = interior ? ReceptiveFields.Window(architecture, layer, p) : (p * stride, p * stride + stride - 1);
            if (start < contentStart || end > contentEnd) continue;
            if (first < 0) first = p;
            last = p;
        }
        return first < 0 ? null : (first, last - first + 1);
    }

    private static double RelativeDifference(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var norm = expected.norm().item<float>();
        var difference = (actual - expected).norm().item<float>();
        return norm > 0 ? difference / norm : (difference > 0 ? double.PositiveInfinity : 0);
    }

    private HeatmapFigure SideBySide(ConvLayerShape layer, Tensor shiftedMaps, Tensor originalMaps, int m, bool circular, int s)
    {
        using var scope = NewDisposeScope();
        var a = shiftedMaps.narrow(0, 0, 1).mean(new long[] { 1 });
        var b = ImageTensors.Shift(originalMaps.narrow(0, 0, 1), m * DirectionX, m * DirectionY, circular).mean(new long[] { 1 });
        var values = cat(new[] { a, b, (a - b).abs() }, 0);
        return new HeatmapFigure(
            Invariant($"{layer.Name}: map of the shifted image vs shifted map (channel mean, image 0, shift {s} px = {m} {layer.Name} px)"),
            ImageTensors.ToArray(values), 3, layer.OutHeight, layer.OutWidth,
            new[] { "F(shifted image)", "shifted F(image)", "|difference|" });
    }
}
