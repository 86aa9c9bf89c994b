using MlNetCnn.Attribution;
using MlNetCnn.Experiments.Figures;
using static System.FormattableString;

namespace MlNetCnn.Experiments.OcclusionSensitivity;

/// <summary>
/// Occlusion sensitivity (Zeiler &amp; Fergus 2014): slides a grey patch across each image and maps how much the true
/// class's probability drops with the patch at each place (each pixel: the mean drop over the patches covering it).
/// </summary>
internal sealed class OcclusionSensitivityExperiment() : Experiment(
    "occlusion",
    "Occlusion sensitivity",
    "The prediction rests on the middle of the picture, where the object usually is in photos such as CIFAR-10's: greying out the central " +
    "region lowers the true class's probability more than greying out the border.",
    "centre-minus-border")
{
    /// <summary>Patch side in pixels; null uses a quarter of the image side (8 px on 32×32).</summary>
    public int? PatchSize { get; init; }

    /// <summary>Step between patch positions, in pixels.</summary>
    public int Stride { get; init; } = Occlusion.Defaults.Stride;

    /// <summary>Value the patch sets on every channel (0.5 = mid grey).</summary>
    public float Fill { get; init; } = Occlusion.Defaults.Fill;

    /// <summary>Test images mapped (each costs one forward per patch position); the budget's <see cref="ExperimentBudget.AnalysisImages"/> caps it.</summary>
    public int Images { get; init; } = 64;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var (channels, height, width) = (context.Channels, context.Height, context.Width);
        var patch = PatchSize ?? Math.Max(1, Math.Min(height, width) / 4);
        if (Images < 1) throw new InvalidOperationException($"{nameof(Images)} must be at least 1; it is {Images}.");
        var count = Math.Min(Math.Min(Images, context.Budget.AnalysisImages), context.Test.Count);
        var pixels = context.TestPixels;
        var length = context.ImageLength;
        var labels = Enumerable.Range(0, count).Select(i => (int)context.Test.Labels[i]).ToArray();
        var occlusion = new Occlusion { PatchSize = patch, Stride = Stride, Fill = Fill, BatchSize = 1 };
        var probabilities = model.PredictProbabilities(pixels.AsSpan(0, count * length), count);
        var classes = model.Architecture.ClassCount;
        var maps = new float[count][];
        var baseProbability = new double[count];
        var centre = new double[count];
        var border = new double[count];
        var peakInCentre = 0;
        for (var i = 0; i < count; i++)
        {
            Report(context, Invariant($"image {i + 1}/{count}"), (double)i / count);
            maps[i] = occlusion.Attribute(model, pixels.AsSpan(i * length, length), new[] { labels[i] }).Values;
            baseProbability[i] = probabilities[i * classes + labels[i]];
            double c = 0, b = 0;
            int nc = 0, nb = 0, peak = 0;
            for (var p = 0; p < height * width; p++)
            {
                var (y, x) = (p / width, p % width);
                if (IsCentre(y, x, height, width)) { c += maps[i][p]; nc++; } else { b += maps[i][p]; nb++; }
                if (maps[i][p] > maps[i][peak]) peak = p;
            }
            centre[i] = nc > 0 ? c / nc : 0;
            border[i] = nb > 0 ? b / nb : 0;
            if (IsCentre(peak / width, peak % width, height, width)) peakInCentre++;
        }

        var difference = centre.Zip(border, (c, b) => c - b).ToArray();
        var meanDifference = Stats.Mean(difference);
        var error = Stats.StandardError(difference);
        var verdict = count < 2 ? Verdict.Inconclusive : VerdictRule.FromDifference(meanDifference, error);
        var explanation = Invariant($"Over {count} test images, a {patch}×{patch} grey patch over the central half of the image lowered the true class's probability by {Stats.Mean(centre):F3} on average, over the border by {Stats.Mean(border):F3}; the paired difference is {meanDifference:+0.000;-0.000} ± {2 * error:F3} (two standard errors). ") +
            verdict switch
            {
                Verdict.Supported => "The centre matters more, beyond noise.",
                Verdict.NotSupported => "The border matters more, beyond noise: the model leans on context.",
                _ => "The difference is within noise.",
            } +
            Invariant($" The strongest drop lay in the centre for {peakInCentre} of {count} images. Mean probability of the true class without occlusion: {Stats.Mean(baseProbability):F3}. Patch stride {Stride} px, fill {Fill:F2}; the central half is rows and columns [H/4, 3H/4).");

        var shown = Math.Min(count, Math.Max(1, context.Budget.FigureImages));
        var heatmaps = Enumerable.Range(0, shown).Select(i => new HeatmapFigure(
            Invariant($"Occlusion: drop in p({context.ClassNames[(int)context.Test.Labels[i]]}) for test image {i} (p = {baseProbability[i]:F2})"),
            maps[i], 1, height, width, new[] { "probability drop" }, HeatmapScale.Diverging,
            ImageTensors.Panel(Invariant($"test image {i}"), pixels, i, channels, height, width))).ToArray();
        var measurements = new[]
        {
            new Measurement("images", count, MeasurementUnit.Images),
            new Measurement("patch-size", patch, MeasurementUnit.Pixels),
            new Measurement("mean-base-probability", Stats.Mean(baseProbability), MeasurementUnit.Probability),
            new Measurement("mean-centre-drop", Stats.Mean(centre), MeasurementUnit.Probability),
            new Measurement("mean-border-drop", Stats.Mean(border), MeasurementUnit.Probability),
            new Measurement("centre-minus-border", meanDifference, MeasurementUnit.Probability),
            new Measurement("centre-minus-border.standard-error", error, MeasurementUnit.Probability),
            new Measurement("mean-max-drop", maps.Average(m => (double)m.Max()), MeasurementUnit.Probability),
            new Measurement("peak-in-centre", peakInCentre, MeasurementUnit.Images),
        };
        return Result(context, verdict, explanation, measurements) with
        {
            KeyMeasurements = new[] { "mean-centre-drop", "mean-border-drop", "centre-minus-border" },
            Heatmaps = heatmaps,
            Charts = new[]
            {
                new ChartFigure("Mean probability drop per image: centre vs border", ChartKind.Bar, "test image", "probability drop", new[]
                {
                    new ChartSeries("centre", Enumerable.Range(0, count).Select(i => (double)i).ToArray(), centre),
                    new ChartSeries("border", Enumerable.Range(0, count).Select(i => (double)i).ToArray(), border),
                }),
            },
        };
    }

    private static bool IsCentre(int y, int x, int height, int width) =>
        y >= height / 4 && y < height - height / 4 && x >= width / 4 && x < width - width / 4;
}
