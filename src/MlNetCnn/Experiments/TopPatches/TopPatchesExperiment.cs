using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using static System.FormattableString;

namespace MlNetCnn.Experiments.TopPatches;

/// <summary>
/// For every channel of every conv layer, finds the k test images whose strongest activation of that channel is highest
/// and crops the input window (the unit's theoretical receptive field) around the maximising unit. Coherence = mean
/// pairwise cosine similarity of the mean-subtracted patches, compared with k patches at random places.
/// </summary>
internal sealed class TopPatchesExperiment() : Experiment(
    "top-patches",
    "Top-activating patches",
    "Each conv channel responds to a recognisable local pattern: the patches that excite it most resemble one another " +
    "more than patches taken at random places do.",
    "coherent-fraction-over-half")
{
    /// <summary>Patches per channel (from different images).</summary>
    public int TopK { get; init; } = 9;

    /// <summary>Test images searched for top-activating patches (null: every test image the budget loads).</summary>
    public int? SearchImages { get; init; }

    /// <summary>Images per batch when searching activations.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.InferenceBatchSize;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var architecture = model.Architecture;
        var layers = model.ConvLayers;
        var theory = ReceptiveFields.Theoretical(architecture);
        var channels = context.Channels;
        if (SearchImages is < 1) throw new InvalidOperationException($"{nameof(SearchImages)} must be at least 1; it is {SearchImages}.");
        var count = Math.Min(SearchImages ?? context.Test.Count, context.Test.Count);
        var pixels = context.TestPixels;
        var length = context.ImageLength;

        // best[l][ch][image] = (max activation, position)
        var best = layers.Select(l => new (float Value, int Position)[l.OutChannels, count]).ToArray();
        var indices = Enumerable.Range(0, layers.Count).ToArray();
        // Only units whose receptive field lies inside the image compete (see StrongestUnits.InsideUnits).
        var candidates = layers.Select(l => StrongestUnits.InsideUnits(architecture, l)).ToArray();
        for (var start = 0; start < count; start += BatchSize)
        {
            Report(context, "searching", (double)start / count * 0.8);
            var n = Math.Min(BatchSize, count - start);
            var outputs = layers.Select(l => new float[n * l.MapLength]).ToArray();
            model.Infer(pixels.AsSpan(start * length, n * length), n, null, indices, outputs);
            foreach (var layer in layers)
            {
                var area = layer.OutHeight * layer.OutWidth;
                var values = outputs[layer.Index];
                for (var i = 0; i < n; i++)
                    for (var ch = 0; ch < layer.OutChannels; ch++)
                    {
                        var offset = (i * layer.OutChannels + ch) * area;
                        best[layer.Index][ch, start + i] = StrongestUnits.Strongest(values.AsSpan(offset, area), candidates[layer.Index]);
                    }
            }
        }

        var random = new Random(context.Seed);
        var measurements = new List<Measurement>();
        var rows = new List<IReadOnlyList<string>>();
        var figures = new List<ImageFigure>();
        int wins = 0, compared = 0, dead = 0;
        foreach (var layer in layers)
        {
            Report(context, $"cropping {layer.Name}", 0.8 + 0.2 * layer.Index / layers.Count);
            var side = theory[layer.Index].ConvOutput;
            var panels = new List<ImagePanel>();
            var layerWins = 0;
            var layerCompared = 0;
            for (var ch = 0; ch < layer.OutChannels; ch++)
            {
                var ranked = Enumerable.Range(0, count).OrderByDescending(i => best[layer.Index][ch, i].Value).ThenBy(i => i).Take(TopK).ToArray();
                var top = ranked.Select(i => Crop(pixels, i, best[layer.Index][ch, i].Position, layer.Index)).ToArray();
                var topValue = best[layer.Index][ch, ranked[0]].Value;
                var randomPatches = Enumerable.Range(0, ranked.Length).Select(_ =>
                    Crop(pixels, random.Next(count), candidates[layer.Index][random.Next(candidates[layer.Index].Length)], layer.Index)).ToArray();
                var topCoherence = Coherence(top);
                var randomCoherence = Coherence(randomPatches);
                var isDead = !(topValue > 0);
                if (isDead) dead++;
                else
                {
                    compared++;
                    layerCompared++;
                    if (topCoherence > randomCoherence) { wins++; layerWins++; }
                }
                measurements.Add(new Measurement($"{layer.Name}.ch{ch}.top-activation", topValue, MeasurementUnit.Activation));
                measurements.Add(new Measurement($"{layer.Name}.ch{ch}.coherence", topCoherence, MeasurementUnit.Cosine));
                measurements.Add(new Measurement($"{layer.Name}.ch{ch}.random-coherence", randomCoherence, MeasurementUnit.Cosine));
                rows.Add(new[] { layer.Name, Invariant($"{ch}"), Invariant($"{topValue:F3}"), Invariant($"{topCoherence:F3}"), Invariant($"{randomCoherence:F3}"), isDead ? "dead" : topCoherence > randomCoherence ? "yes" : "no" });
                for (var r = 0; r < ranked.Length; r++)
                    panels.Add(new ImagePanel(Invariant($"{layer.Name} ch{ch} #{r + 1}: image {ranked[r]}, activation {best[layer.Index][ch, ranked[r]].Value:F2}"), top[r], channels, side, side));
            }
            measurements.Add(new Measurement($"{layer.Name}.coherent-fraction", layerCompared > 0 ? (double)layerWins / layerCompared : double.NaN, MeasurementUnit.Fraction));
            figures.Add(new ImageFigure(Invariant($"{layer.Name}: top {TopK} patches per channel ({side}×{side} px receptive field, units inside the image)"), panels));
        }

        var pValue = SignTestPValue(wins, compared);
        var verdict = compared == 0 ? Verdict.Inconclusive
            : pValue < 0.05 ? Verdict.Supported
            : wins * 2 <= compared ? Verdict.NotSupported
            : Verdict.Inconclusive;
        var explanation = Invariant($"In {wins} of {compared} live channels the top-{TopK} patches are more alike (mean pairwise cosine of mean-subtracted patches) than {TopK} random patches of the same size; a one-sided sign test gives p = {pValue:F4}. ") +
            verdict switch
            {
                Verdict.Supported => "Channels pick out consistent local patterns.",
                Verdict.NotSupported => "Top patches are no more alike than random ones in most channels.",
                _ => "That is more than half but not beyond chance.",
            } +
            (dead > 0 ? Invariant($" {dead} channel(s) never fired on the {count} searched images and were left out.") : "") +
            Invariant($" Searched {count} test images; patches are the theoretical receptive field of the strongest unit (conv output, before pooling) among units whose field lies inside the image.");
        measurements.InsertRange(0, new[]
        {
            new Measurement("coherent-channels", wins, MeasurementUnit.Channels),
            new Measurement("live-channels", compared, MeasurementUnit.Channels),
            new Measurement("dead-channels", dead, MeasurementUnit.Channels),
            new Measurement("sign-test-p", pValue, MeasurementUnit.PValue),
            // The effect over seeds: the fraction of live channels with coherent top patches, beyond the half chance gives.
            new Measurement("coherent-fraction-over-half", compared == 0 ? double.NaN : (double)wins / compared - 0.5, MeasurementUnit.Fraction),
            new Measurement("images-searched", count, MeasurementUnit.Images),
        });
        return Result(context, verdict, explanation, measurements) with
        {
            KeyMeasurements = new[] { "coherent-channels", "live-channels", "sign-test-p" },
            Images = figures,
            Tables = new[] { new TableFigure("Patch coherence per channel", new[] { "layer", "channel", "top activation", "top-k coherence", "random coherence", "more coherent" }, rows) },
        };

        float[] Crop(float[] source, int image, int position, int layerIndex) =>
            StrongestUnits.Crop(source.AsSpan(image * length, length), architecture, layerIndex, layers[layerIndex].OutWidth, position, theory[layerIndex].ConvOutput);
    }

    /// <summary>Mean pairwise cosine similarity of the patches after subtracting each patch's mean.</summary>
    internal static double Coherence(IReadOnlyList<float[]> patches)
    {
        var centred = patches.Select(p =>
        {
            var mean = p.Average();
            var v = p.Select(x => (double)x - mean).ToArray();
            var norm = Math.Sqrt(v.Sum(x => x * x));
            return norm > 1e-12 ? v.Select(x => x / norm).ToArray() : null;
        }).ToArray();
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < centred.Length; i++)
            for (var j = i + 1; j < centred.Length; j++)
            {
                pairs++;
                if (centred[i] is { } a && centred[j] is { } b) sum += a.Zip(b, (x, y) => x * y).Sum();
            }
        return pairs > 0 ? sum / pairs : 0;
    }

    /// <summary>P(X ≥ wins) for X ~ Binomial(n, 1/2).</summary>
    internal static double SignTestPValue(int wins, int n)
    {
        if (n == 0) return 1;
        double p = 0;
        for (var k = wins; k <= n; k++) p += Math.Exp(LogChoose(n, k) - n * Math.Log(2));
        return Math.Min(1, p);
    }

    private static double LogChoose(int n, int k)
    {
        double r = 0;
        for (var i = 1; i <= k; i++) r += Math.Log(n - k + i) - Math.Log(i);
        return r;
    }
}
