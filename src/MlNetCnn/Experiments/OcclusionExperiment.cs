using MlNetCnn.Model;
using static System.FormattableString;

namespace MlNetCnn.Experiments;

/// <summary>
/// Occlusion sensitivity (Zeiler &amp; Fergus 2014): slides a grey patch across each image and maps how much the true
/// class's probability drops with the patch at each place (each pixel: the mean drop over the patches covering it).
/// </summary>
public sealed class OcclusionExperiment : IExperiment
{
    public string Name => "occlusion";

    public string Title => "Occlusion sensitivity";

    public string Hypothesis =>
        "The prediction rests on the middle of the picture, where the object usually is in photos such as CIFAR-10's: greying out the central " +
        "region lowers the true class's probability more than greying out the border.";

    /// <summary>Patch side in pixels; null uses a quarter of the image side (8 px on 32×32).</summary>
    public int? PatchSize { get; init; }

    public int Stride { get; init; } = 2;

    /// <summary>Value the patch sets on every channel (0.5 = mid grey).</summary>
    public float Fill { get; init; } = 0.5f;

    public ExperimentResult Run(ExperimentContext context)
    {
        var model = context.Model;
        context.ConfigureTorch();
        var (channels, height, width) = (context.Channels, context.Height, context.Width);
        var patch = PatchSize ?? Math.Max(1, Math.Min(height, width) / 4);
        var count = Math.Min(context.Budget.OcclusionImages, context.Test.Count);
        var pixels = context.TestPixels;
        var length = context.ImageLength;
        var maps = new float[count][];
        var baseProbability = new double[count];
        var centre = new double[count];
        var border = new double[count];
        var peakInCentre = 0;
        for (var i = 0; i < count; i++)
        {
            context.Report(Name, Invariant($"image {i + 1}/{count}"), (double)i / count);
            var label = (int)context.Test.Labels[i];
            (maps[i], baseProbability[i]) = Map(model, pixels.AsSpan(i * length, length), label, patch, Stride, Fill);
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
        context.Report(Name, "done", 1);

        var difference = centre.Zip(border, (c, b) => c - b).ToArray();
        var meanDifference = Stats.Mean(difference);
        var error = Stats.StandardError(difference);
        var verdict = count < 2 ? Verdict.Inconclusive
            : meanDifference > 2 * error ? Verdict.Supported
            : meanDifference < -2 * error ? Verdict.NotSupported
            : Verdict.Inconclusive;
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
        return new ExperimentResult
        {
            Name = Name,
            Title = Title,
            Hypothesis = Hypothesis,
            Verdict = verdict,
            Explanation = explanation,
            KeyMeasurements = new[] { "mean-centre-drop", "mean-border-drop", "centre-minus-border" },
            Measurements = new[]
            {
                new Measurement("images", count, "images"),
                new Measurement("patch-size", patch, "px"),
                new Measurement("mean-base-probability", Stats.Mean(baseProbability), "probability"),
                new Measurement("mean-centre-drop", Stats.Mean(centre), "probability"),
                new Measurement("mean-border-drop", Stats.Mean(border), "probability"),
                new Measurement("centre-minus-border", meanDifference, "probability"),
                new Measurement("centre-minus-border.standard-error", error, "probability"),
                new Measurement("mean-max-drop", maps.Average(m => (double)m.Max()), "probability"),
                new Measurement("peak-in-centre", peakInCentre, "images"),
            },
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

    /// <summary>
    /// The occlusion map of one image (C×H×W): for each pixel, the mean drop of p(<paramref name="classIndex"/>) over
    /// the patch positions covering it; also the unoccluded probability. Patch positions step by
    /// <paramref name="stride"/> and always include the last position flush with the border.
    /// </summary>
    public static (float[] Map, double BaseProbability) Map(TrainedCnn model, ReadOnlySpan<float> image, int classIndex, int patchSize, int stride, float fill)
    {
        var a = model.Architecture;
        var (channels, height, width) = (a.InputChannels, a.InputHeight, a.InputWidth);
        if (patchSize < 1 || patchSize > Math.Min(height, width)) throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, "The patch must fit in the image.");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be at least 1.");
        var length = channels * height * width;
        var classes = a.ClassCount;
        var rows = Positions(height, patchSize, stride);
        var cols = Positions(width, patchSize, stride);
        var positions = rows.SelectMany(r => cols.Select(c => (r, c))).ToArray();
        var original = image.ToArray();
        var baseProbability = model.PredictProbabilities(original, 1)[classIndex];

        var sum = new double[height * width];
        var cover = new int[height * width];
        const int batch = 64;
        var buffer = new float[batch * length];
        for (var start = 0; start < positions.Length; start += batch)
        {
            var n = Math.Min(batch, positions.Length - start);
            for (var j = 0; j < n; j++)
            {
                var (top, left) = positions[start + j];
                var target = buffer.AsSpan(j * length, length);
                original.CopyTo(target);
                for (var c = 0; c < channels; c++)
                for (var y = top; y < top + patchSize; y++)
                    target.Slice(c * height * width + y * width + left, patchSize).Fill(fill);
            }
            var probabilities = model.PredictProbabilities(buffer.AsSpan(0, n * length), n);
            for (var j = 0; j < n; j++)
            {
                var drop = baseProbability - probabilities[j * classes + classIndex];
                var (top, left) = positions[start + j];
                for (var y = top; y < top + patchSize; y++)
                for (var x = left; x < left + patchSize; x++)
                {
                    sum[y * width + x] += drop;
                    cover[y * width + x]++;
                }
            }
        }
        var map = new float[height * width];
        for (var p = 0; p < map.Length; p++) map[p] = cover[p] > 0 ? (float)(sum[p] / cover[p]) : 0f;
        return (map, baseProbability);
    }

    private static int[] Positions(int size, int patch, int stride)
    {
        var positions = new List<int>();
        for (var p = 0; p + patch <= size; p += stride) positions.Add(p);
        if (positions[^1] != size - patch) positions.Add(size - patch);
        return positions.ToArray();
    }
}
