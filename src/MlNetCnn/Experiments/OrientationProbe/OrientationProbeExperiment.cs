using MlNetCnn.Experiments.Figures;
using static System.FormattableString;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.OrientationProbe;

/// <summary>
/// Shows conv1 synthetic gratings and edges at 0°–165° (several periods, phases and colours), records each channel's mean
/// rectified response per orientation, and tests each channel's orientation selectivity against random Gaussian kernels
/// with the same mean weight, the same norm of deviations from it, and the same bias (so only the spatial pattern differs).
/// </summary>
internal sealed class OrientationProbeExperiment() : Experiment(
    "orientation",
    "Oriented-pattern probes of conv1",
    "conv1 channels are orientation detectors: most respond preferentially to one orientation, more selectively than " +
    "random kernels of the same mean, contrast gain and bias.",
    "selective-fraction-over-chance")
{
    internal OrientedPatternGenerator Generator { get; init; } = new();

    /// <summary>Side of the probe images (conv1 is local, so a small probe measures the same tuning); at most the image size.</summary>
    public int ProbeSize { get; init; } = 16;

    /// <summary>Random control kernels per channel forming the null distribution of selectivity.</summary>
    public int Controls { get; init; } = 99;

    /// <summary>p-value below which a channel counts as orientation-selective.</summary>
    public double SignificanceLevel { get; init; } = 0.05;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var conv1 = model.ConvLayers[0];
        var (weights, bias) = model.GetKernels(conv1.Name);
        var k = conv1.KernelSize;
        var height = Math.Min(ProbeSize, context.Height);
        var width = Math.Min(ProbeSize, context.Width);
        Report(context, "generating probes", 0);
        var patterns = Generator.Generate(context.Channels, height, width);
        var tuning = Measure(weights, bias, conv1.OutChannels, conv1.InChannels, k, patterns, height, width, Generator.Orientations, Controls, context.Seed,
            f => Report(context, "probing", f));

        var significant = tuning.Where(t => t.PValue < SignificanceLevel).ToArray();
        var silent = tuning.Count(t => t.Responses.All(r => r <= 0));
        var fraction = (double)significant.Length / tuning.Count;
        var meanSelectivity = tuning.Average(t => t.Selectivity);
        var verdict = significant.Length == 0 ? Verdict.NotSupported : fraction >= 0.5 ? Verdict.Supported : Verdict.Inconclusive;
        var list = string.Join("; ", tuning.Select(t => Invariant($"ch{t.Channel}: {t.PreferredDegrees:F0}°, selectivity {t.Selectivity:F2}, p {t.PValue:F2}")));
        var explanation = Invariant($"{significant.Length} of {tuning.Count} conv1 channels are more orientation-selective than all but a fraction {SignificanceLevel} of {Controls} random kernels with the same mean weight, contrast gain and bias ({list}). ") +
            verdict switch
            {
                Verdict.Supported => "Most channels therefore carry an orientation preference that depends on how their weights are arranged in space.",
                Verdict.NotSupported => "No channel's tuning beats its random controls: the orientation responses here are what random weights of the same strength would give.",
                _ => "Fewer than half do, so orientation detection describes only some channels.",
            } +
            (silent > 0 ? Invariant($" {silent} channel(s) never responded to any probe (dead after ReLU).") : "") +
            Invariant($" Probes: {patterns.Count} images of {height}×{width} (gratings with periods {string.Join("/", Generator.Periods)} px, {Generator.Phases} phases, and edges of both polarities, {(context.Channels == 1 ? "in grey" : $"in {Generator.Colours.Count} colour directions")}); response = mean ReLU(conv) over the valid region; 0° = horizontal stripes or edge.");

        var measurements = new List<Measurement>
        {
            new("selective-channels", significant.Length, "channels"),
            new("channels", tuning.Count, "channels"),
            new("selective-fraction", fraction, "fraction"),
            new("mean-selectivity", meanSelectivity, "index"),
            // The effect over seeds: selective channels beyond the fraction random kernels would give by chance.
            new("selective-fraction-over-chance", fraction - SignificanceLevel, "fraction"),
            new("probes", patterns.Count, "images"),
        };
        foreach (var t in tuning)
        {
            measurements.Add(new Measurement($"ch{t.Channel}.preferred", t.PreferredDegrees, "degrees"));
            measurements.Add(new Measurement($"ch{t.Channel}.selectivity", t.Selectivity, "index"));
            measurements.Add(new Measurement($"ch{t.Channel}.p-value", t.PValue, "p"));
        }

        var orientations = Generator.Orientations.ToArray();
        var series = tuning.Select(t =>
        {
            var max = t.Responses.Max();
            return new ChartSeries(Invariant($"conv1 ch{t.Channel} (pref {t.PreferredDegrees:F0}°)"), orientations,
                t.Responses.Select(r => max > 0 ? r / max : 0).ToArray());
        }).ToArray();

        // Kernels summed over input planes, for a quick look at their spatial layout.
        var kernelMaps = new float[conv1.OutChannels * k * k];
        for (var o = 0; o < conv1.OutChannels; o++)
            for (var i = 0; i < conv1.InChannels; i++)
                for (var p = 0; p < k * k; p++)
                    kernelMaps[o * k * k + p] += weights[(o * conv1.InChannels + i) * k * k + p];
        var examples = patterns.Where(p => p.Colour == patterns[0].Colour && p.PhaseDegrees == 0 && (p.Kind == OrientedPatternKind.Edge || p.Period == Generator.Periods[0]))
            .Take(8).Select(p => new ImagePanel(Invariant($"{p.Kind} {p.OrientationDegrees:F0}°"), p.Pixels, context.Channels, height, width)).ToArray();

        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = new[] { "selective-channels", "selective-fraction", "mean-selectivity" },
            Measurements = measurements,
            Charts = new[] { new ChartFigure("conv1 orientation tuning (response / channel max)", ChartKind.Line, "orientation (degrees, 0 = horizontal)", "relative response", series) },
            Tables = new[]
            {
                new TableFigure("conv1 orientation preference", new[] { "channel", "preferred (°)", "selectivity", "p (vs random kernels)", "selective" },
                    tuning.Select(t => (IReadOnlyList<string>)new[] { Invariant($"{t.Channel}"), Invariant($"{t.PreferredDegrees:F1}"), Invariant($"{t.Selectivity:F3}"), Invariant($"{t.PValue:F2}"), t.PValue < SignificanceLevel ? "yes" : "no" }).ToArray()),
            },
            Heatmaps = new[]
            {
                new HeatmapFigure("conv1 kernels (summed over input planes)", kernelMaps, conv1.OutChannels, k, k,
                    tuning.Select(t => Invariant($"ch{t.Channel}: {t.PreferredDegrees:F0}°")).ToArray(), HeatmapScale.Diverging),
            },
            Images = new[] { new ImageFigure("Example probes", examples) },
        };
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Tuning of every output channel of a conv layer given its weights [out, in, k, k] and biases, measured with
    /// <paramref name="patterns"/>; each channel is also measured with <paramref name="controls"/> random kernels of the
    /// same mean weight, deviation norm and bias to give a p-value.
    /// </summary>
    internal static IReadOnlyList<OrientationTuning> Measure(float[] weights, float[] bias, int outChannels, int inChannels, int kernelSize,
        IReadOnlyList<OrientedPattern> patterns, int height, int width, IReadOnlyList<double> orientations, int controls, int seed, Action<double>? progress = null)
    {
        var kk = kernelSize * kernelSize;
        var copies = 1 + Math.Max(0, controls);
        var random = new Random(seed);
        var allWeights = new float[outChannels * copies * inChannels * kk];
        var allBias = new float[outChannels * copies];
        var length = inChannels * kk;
        for (var o = 0; o < outChannels; o++)
        {
            // The kernel's mean (its response to flat grey) and the norm of its deviations from that mean (its contrast
            // gain); random controls get the same two numbers and the same bias, so only the spatial pattern differs.
            var own = weights.AsSpan(o * length, length).ToArray();
            var mean = own.Average();
            var gain = Math.Sqrt(own.Sum(w => (w - mean) * (w - mean)));
            for (var c = 0; c < copies; c++)
            {
                var target = o * copies + c;
                allBias[target] = bias[o];
                if (c == 0)
                {
                    own.CopyTo(allWeights, target * length);
                    continue;
                }
                var draw = Enumerable.Range(0, length).Select(_ => Gaussian(random)).ToArray();
                var drawMean = draw.Average();
                var drawNorm = Math.Sqrt(draw.Sum(w => (w - drawMean) * (w - drawMean)));
                for (var i = 0; i < length; i++)
                    allWeights[target * length + i] = (float)(mean + (drawNorm > 0 ? (draw[i] - drawMean) / drawNorm * gain : 0));
            }
        }

        var kernelCount = outChannels * copies;
        var responses = new double[patterns.Count, kernelCount];
        const int batch = 64;
        using (no_grad())
        using (var outer = NewDisposeScope())
        {
            var kernelTensor = tensor(allWeights, new long[] { kernelCount, inChannels, kernelSize, kernelSize });
            var biasTensor = tensor(allBias);
            for (var start = 0; start < patterns.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(batch, patterns.Count - start);
                var pixels = patterns.Skip(start).Take(n).SelectMany(p => p.Pixels).ToArray();
                var images = tensor(pixels, new long[] { n, inChannels, height, width });
                var mean = nn.functional.relu(nn.functional.conv2d(images, kernelTensor, biasTensor)).mean(new long[] { 2, 3 });
                var values = ImageTensors.ToArray(mean);
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < kernelCount; j++)
                        responses[start + i, j] = values[i * kernelCount + j];
                progress?.Invoke((double)(start + n) / patterns.Count);
            }
        }

        var result = new List<OrientationTuning>();
        for (var o = 0; o < outChannels; o++)
        {
            var observed = Tune(o * copies);
            var atLeast = Enumerable.Range(1, copies - 1).Count(c => Tune(o * copies + c).Selectivity >= observed.Selectivity - 1e-12);
            var p = (1.0 + atLeast) / copies;
            result.Add(new OrientationTuning(o, orientations.ToArray(), observed.Curve, observed.Preferred, observed.Selectivity, p));
        }
        return result;

        (double[] Curve, double Preferred, double Selectivity) Tune(int kernel)
        {
            var curve = orientations.Select(theta =>
            {
                double sum = 0;
                var count = 0;
                for (var i = 0; i < patterns.Count; i++)
                {
                    if (Math.Abs(patterns[i].OrientationDegrees - theta) > 1e-9) continue;
                    sum += responses[i, kernel];
                    count++;
                }
                return count > 0 ? sum / count : 0;
            }).ToArray();
            double re = 0, im = 0, total = 0;
            for (var i = 0; i < curve.Length; i++)
            {
                var angle = 2 * orientations[i] * Math.PI / 180;
                re += curve[i] * Math.Cos(angle);
                im += curve[i] * Math.Sin(angle);
                total += curve[i];
            }
            var preferred = (Math.Atan2(im, re) * 180 / Math.PI / 2 + 180) % 180;
            var selectivity = total > 0 ? Math.Sqrt(re * re + im * im) / total : 0;
            return (curve, preferred, selectivity);
        }
    }
}
