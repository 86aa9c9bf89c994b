using MlNetCnn.Model;
using static System.FormattableString;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) for a chosen conv layer and class: channel weights are the spatially averaged
/// gradients of the class logit with respect to the layer's post-ReLU activations; the map is ReLU(Σ weight·activation),
/// upsampled bilinearly to the image and scaled to [0,1]. Checked by a deletion test: greying the most highlighted pixels
/// should hurt the class more than greying as many random pixels.
/// </summary>
public sealed class GradCamExperiment : IExperiment
{
    public string Name => "grad-cam";

    public string Title => "Grad-CAM";

    public string Hypothesis =>
        "Grad-CAM highlights the evidence the network uses: greying out the pixels it ranks highest lowers the class " +
        "probability more than greying out the same number of random pixels.";

    /// <summary>Conv layer to explain (conv1, conv2, …); null = the last one.</summary>
    public string? Layer { get; init; }

    /// <summary>Class to explain for every image; null = each image's true class.</summary>
    public int? ClassIndex { get; init; }

    /// <summary>Fraction of pixels greyed in the deletion test.</summary>
    public double DeletedFraction { get; init; } = 0.2;

    public float Fill { get; init; } = 0.5f;

    /// <summary>Images per autograd pass; bounds memory.</summary>
    public int BatchSize { get; init; } = 32;

    public ExperimentResult Run(ExperimentContext context)
    {
        var model = context.Model;
        context.ConfigureTorch();
        var layer = Layer == null ? model.ConvLayers[^1] : model.GetLayer(Layer);
        if (ClassIndex is { } fixedClass && (fixedClass < 0 || fixedClass >= model.Architecture.ClassCount))
            throw new ArgumentOutOfRangeException(nameof(ClassIndex), fixedClass, $"The model has {model.Architecture.ClassCount} classes.");
        var (channels, height, width) = (context.Channels, context.Height, context.Width);
        var count = Math.Min(context.Budget.AnalysisImages, context.Test.Count);
        var length = context.ImageLength;
        var pixels = context.TestPixels.AsSpan(0, count * length).ToArray();
        var classes = Enumerable.Range(0, count).Select(i => ClassIndex ?? (int)context.Test.Labels[i]).ToArray();
        context.Report(Name, "computing maps", 0);
        var maps = Compute(model, pixels, count, layer.Index, classes, BatchSize);

        context.Report(Name, "deletion test", 0.5);
        var area = height * width;
        var deleted = Math.Max(1, (int)Math.Round(DeletedFraction * area));
        var random = new Random(context.Seed);
        var byCam = new float[count * length];
        var byChance = new float[count * length];
        for (var i = 0; i < count; i++)
        {
            var map = maps.AsSpan(i * area, area).ToArray();
            var top = Enumerable.Range(0, area).OrderByDescending(p => map[p]).ThenBy(p => p).Take(deleted).ToArray();
            var order = Enumerable.Range(0, area).ToArray();
            random.Shuffle(order);
            Grey(pixels, byCam, i, top, channels, area);
            Grey(pixels, byChance, i, order.Take(deleted), channels, area);
        }
        var before = model.PredictProbabilities(pixels, count);
        var afterCam = model.PredictProbabilities(byCam, count);
        var afterChance = model.PredictProbabilities(byChance, count);
        var k = model.Architecture.ClassCount;
        var camDrop = Enumerable.Range(0, count).Select(i => (double)before[i * k + classes[i]] - afterCam[i * k + classes[i]]).ToArray();
        var chanceDrop = Enumerable.Range(0, count).Select(i => (double)before[i * k + classes[i]] - afterChance[i * k + classes[i]]).ToArray();
        var difference = camDrop.Zip(chanceDrop, (a, b) => a - b).ToArray();
        var meanDifference = Stats.Mean(difference);
        var error = Stats.StandardError(difference);
        var centreMass = Enumerable.Range(0, count).Average(i => CentreMass(maps.AsSpan(i * area, area), height, width));
        context.Report(Name, "done", 1);

        var verdict = count < 2 ? Verdict.Inconclusive
            : meanDifference > 2 * error ? Verdict.Supported
            : meanDifference < -2 * error ? Verdict.NotSupported
            : Verdict.Inconclusive;
        var target = ClassIndex is { } c ? Invariant($"class {context.ClassNames[c]}") : "each image's true class";
        var explanation = Invariant($"Greying the {Stats.WholePercent(DeletedFraction)} of pixels Grad-CAM ranks highest ({layer.Name}, {target}) lowered the class probability by {Stats.Mean(camDrop):F3} on average over {count} test images; greying {Stats.WholePercent(DeletedFraction)} random pixels lowered it by {Stats.Mean(chanceDrop):F3}. The paired difference is {meanDifference:+0.000;-0.000} ± {2 * error:F3} (two standard errors). ") +
            verdict switch
            {
                Verdict.Supported => "The highlighted regions carry more of the evidence than random ones.",
                Verdict.NotSupported => "Random pixels mattered more: the maps do not point at the evidence.",
                _ => "The difference is within noise.",
            } +
            Invariant($" On average {Stats.WholePercent(centreMass)} of each map's mass lies in the central half of the image (a uniform map would put 25% there). {layer.Name} maps are {layer.OutHeight}×{layer.OutWidth}, upsampled bilinearly to {height}×{width}.");

        var shown = Math.Min(count, Math.Max(1, context.Budget.FigureImages));
        var predicted = Enumerable.Range(0, count).Select(i => Enumerable.Range(0, k).MaxBy(j => before[i * k + j])).ToArray();
        var heatmaps = Enumerable.Range(0, shown).Select(i => new HeatmapFigure(
            Invariant($"Grad-CAM {layer.Name} for '{context.ClassNames[classes[i]]}', test image {i} (true {context.ClassNames[(int)context.Test.Labels[i]]}, predicted {context.ClassNames[predicted[i]]}, p = {before[i * k + classes[i]]:F2})"),
            maps.AsSpan(i * area, area).ToArray(), 1, height, width, new[] { "Grad-CAM" }, HeatmapScale.Sequential,
            ImageTensors.Panel(Invariant($"test image {i}"), pixels, i, channels, height, width))).ToArray();
        var x = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
        return new ExperimentResult
        {
            Name = Name,
            Title = Title,
            Hypothesis = Hypothesis,
            Verdict = verdict,
            Explanation = explanation,
            KeyMeasurements = new[] { "mean-drop-grad-cam", "mean-drop-random", "difference" },
            Measurements = new[]
            {
                new Measurement("images", count, "images"),
                new Measurement("layer-index", layer.Index, "index"),
                new Measurement("mean-drop-grad-cam", Stats.Mean(camDrop), "probability"),
                new Measurement("mean-drop-random", Stats.Mean(chanceDrop), "probability"),
                new Measurement("difference", meanDifference, "probability"),
                new Measurement("difference.standard-error", error, "probability"),
                new Measurement("centre-mass", centreMass, "fraction"),
            },
            Heatmaps = heatmaps,
            Charts = new[]
            {
                new ChartFigure(Invariant($"Probability drop after greying {Stats.WholePercent(DeletedFraction)} of pixels"), ChartKind.Bar, "test image", "probability drop", new[]
                {
                    new ChartSeries("Grad-CAM top pixels", x, camDrop),
                    new ChartSeries("random pixels", x, chanceDrop),
                }),
            },
        };
    }

    /// <summary>Copies image <paramref name="image"/> into <paramref name="target"/> with the given pixel positions set to <see cref="Fill"/> in every channel.</summary>
    private void Grey(float[] source, float[] target, int image, IEnumerable<int> positions, int channels, int area)
    {
        var length = channels * area;
        source.AsSpan(image * length, length).CopyTo(target.AsSpan(image * length, length));
        foreach (var p in positions)
            for (var c = 0; c < channels; c++)
                target[image * length + c * area + p] = Fill;
    }

    private static double CentreMass(ReadOnlySpan<float> map, int height, int width)
    {
        double inside = 0, total = 0;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var v = map[y * width + x];
            total += v;
            if (y >= height / 4 && y < height - height / 4 && x >= width / 4 && x < width - width / 4) inside += v;
        }
        return total > 0 ? inside / total : 0;
    }

    /// <summary>
    /// Grad-CAM maps for <paramref name="count"/> images (planar N×C×H×W) at conv layer <paramref name="layerIndex"/>,
    /// each for its class in <paramref name="classes"/>: N×H×W floats in [0,1] at input resolution (all zeros where no
    /// channel has positive evidence). Runs in batches of <paramref name="batchSize"/>.
    /// </summary>
    public static float[] Compute(TrainedCnn model, float[] images, int count, int layerIndex, IReadOnlyList<int> classes, int batchSize = 32)
    {
        var a = model.Architecture;
        var (height, width) = (a.InputHeight, a.InputWidth);
        var length = a.InputLength;
        var result = new float[count * height * width];
        model.Network.eval();
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, count - start);
            var input = tensor(images.AsSpan(start * length, n * length).ToArray(), new long[] { n, a.InputChannels, height, width });
            using var output = model.Network.Forward(input, captureActivations: true);
            var activation = output.Activations[layerIndex];
            var index = tensor(classes.Skip(start).Take(n).Select(c => (long)c).ToArray()).unsqueeze(1);
            var score = output.Logits.gather(1, index).sum();
            var gradient = autograd.grad(new[] { score }, new[] { activation })[0];
            Tensor cam;
            using (no_grad())
            {
                var weights = gradient.mean(new long[] { 2, 3 }, keepdim: true);
                cam = nn.functional.relu((weights * activation).sum(1, keepdim: true));
                cam = nn.functional.interpolate(cam, new long[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false);
                var max = cam.amax(new long[] { 2, 3 }, keepdim: true);
                cam = where(max > 0, cam / max.clamp_min(1e-12), zeros_like(cam));
            }
            ImageTensors.ToArray(cam).CopyTo(result, start * height * width);
        }
        return result;
    }
}
