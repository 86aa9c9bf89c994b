using MlNetCnn.Model;

namespace MlNetCnn.Attribution;

/// <summary>
/// Measures which maps reflect the model: deletion and insertion curves for any method's maps, and for a random
/// pixel order on the same images as the baseline every method must beat.
/// </summary>
public static class Faithfulness
{
    /// <summary>Name of the random baseline in results.</summary>
    public const string RandomBaseline = "random";

    /// <summary>
    /// Every method's maps and curves, and the random baseline's curves, on the same images and targets.
    /// <paramref name="progress"/> hears of each method before it runs, and of the end.
    /// </summary>
    /// <param name="targets">0-based class per image.</param>
    public static FaithfulnessComparison Compare(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets,
        IEnumerable<IAttributionMethod> methods, FaithfulnessOptions? options = null, IProgress<FaithfulnessProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CompareScoring(model, model.PredictProbabilities, images, targets, methods, options, progress);
    }

    /// <summary>Probabilities (count × classes) of <paramref name="count"/> images; the model, or a test's counting wrapper of it.</summary>
    internal delegate float[] ProbabilityScorer(ReadOnlySpan<float> images, int count);

    /// <summary><see cref="Compare(TrainedCnn, ReadOnlySpan{float}, IReadOnlyList{int}, IEnumerable{IAttributionMethod}, FaithfulnessOptions?, IProgress{FaithfulnessProgress}?)"/> scoring every curve point through <paramref name="score"/>.</summary>
    internal static FaithfulnessComparison CompareScoring(TrainedCnn model, ProbabilityScorer score, ReadOnlySpan<float> images, IReadOnlyList<int> targets,
        IEnumerable<IAttributionMethod> methods, FaithfulnessOptions? options, IProgress<FaithfulnessProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(methods);
        options ??= new FaithfulnessOptions();
        var list = methods.ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one attribution method is needed to compare against random.", nameof(methods));
        Check(model, images, targets, options);
        // Every curve starts or ends at the image itself and at the blank canvas, whatever the map: scored once here.
        var ends = Ends(model, score, images, targets, options);
        var maps = new List<AttributionMaps>();
        var curves = new List<FaithfulnessCurves>();
        for (var m = 0; m < list.Length; m++)
        {
            progress?.Report(new FaithfulnessProgress(list[m].Name, (double)m / (list.Length + 1)));
            maps.Add(list[m].Attribute(model, images, targets));
            curves.Add(Measure(model, score, images, targets, maps[^1], options, ends));
        }
        progress?.Report(new FaithfulnessProgress(RandomBaseline, (double)list.Length / (list.Length + 1)));
        var a = model.Architecture;
        var random = Measure(model, score, images, targets, RandomMaps(targets.Count, a.InputHeight, a.InputWidth, options.Seed), options, ends);
        progress?.Report(new FaithfulnessProgress("done", 1));
        return new FaithfulnessComparison(maps, curves, random);
    }

    /// <summary>
    /// Deletion and insertion curves of <paramref name="maps"/> (one per image): pixels ranked by the map's value
    /// (channels summed; ties by position), removed or revealed in <see cref="FaithfulnessOptions.Steps"/> equal steps.
    /// </summary>
    public static FaithfulnessCurves Measure(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets, AttributionMaps maps,
        FaithfulnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new FaithfulnessOptions();
        Check(model, images, targets, options);
        return Measure(model, model.PredictProbabilities, images, targets, maps, options, ends: null);
    }

    // The checks Measure and Compare share: options, one image per target, targets in range.
    private static void Check(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets, FaithfulnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(targets);
        options.Validate();
        var a = model.Architecture;
        if (images.Length != targets.Count * a.InputLength)
            throw new ArgumentException($"Expected {targets.Count} images of {a.InputLength} values, got {images.Length} values.", nameof(images));
        if (targets.Any(t => t < 0 || t >= a.ClassCount))
            throw new ArgumentOutOfRangeException(nameof(targets), $"Targets are 0-based class indices 0–{a.ClassCount - 1}.");
    }

    /// <summary>p(target) of each image itself and of the blank canvas (every value <see cref="FaithfulnessOptions.Fill"/>).</summary>
    private sealed record CurveEnds(double[] Original, double[] Canvas);

    // The canvas is the same for every image, so it is scored once, in the first chunk with the images.
    private static CurveEnds Ends(TrainedCnn model, ProbabilityScorer score, ReadOnlySpan<float> images, IReadOnlyList<int> targets, FaithfulnessOptions options)
    {
        var (length, classes, count) = (model.Architecture.InputLength, model.Architecture.ClassCount, targets.Count);
        var rows = count + 1;
        var buffer = new float[Math.Min(options.BatchSize, rows) * length];
        var scored = new float[rows][];
        var chunk = buffer.Length / length;
        for (var start = 0; start < rows; start += chunk)
        {
            var n = Math.Min(chunk, rows - start);
            for (var r = 0; r < n; r++)
            {
                var row = start + r;
                if (row == 0) buffer.AsSpan(0, length).Fill(options.Fill);
                else images.Slice((row - 1) * length, length).CopyTo(buffer.AsSpan(r * length, length));
            }
            var p = score(buffer.AsSpan(0, n * length), n);
            for (var r = 0; r < n; r++) scored[start + r] = p.AsSpan(r * classes, classes).ToArray();
        }
        return new CurveEnds(
            Enumerable.Range(0, count).Select(i => (double)scored[i + 1][targets[i]]).ToArray(),
            Enumerable.Range(0, count).Select(i => (double)scored[0][targets[i]]).ToArray());
    }

    // Measure after the checks. With ends known, the four map-independent variants of each image are not scored again:
    // deletion 0 and insertion `steps` are the image itself, deletion `steps` and insertion 0 the blank canvas.
    private static FaithfulnessCurves Measure(TrainedCnn model, ProbabilityScorer score, ReadOnlySpan<float> images, IReadOnlyList<int> targets, AttributionMaps maps,
        FaithfulnessOptions options, CurveEnds? ends)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var a = model.Architecture;
        var (channels, area, length, classes) = (a.InputChannels, a.InputHeight * a.InputWidth, a.InputLength, a.ClassCount);
        if (maps.Count != targets.Count || maps.Height != a.InputHeight || maps.Width != a.InputWidth)
            throw new ArgumentException($"Expected {targets.Count} maps of {a.InputHeight}×{a.InputWidth}, got {maps.Count} of {maps.Height}×{maps.Width}.", nameof(maps));

        var steps = options.Steps;
        var fractions = Enumerable.Range(0, steps + 1).Select(s => (double)s / steps).ToArray();
        var deletion = new double[targets.Count][];
        var insertion = new double[targets.Count][];
        // Per image: steps + 1 deleted variants then steps + 1 inserted ones, those still to score run through the model in chunks.
        var variants = 2 * (steps + 1);
        var scoring = Enumerable.Range(0, variants).Where(v => ends == null || (v != 0 && v != steps && v != steps + 1 && v != variants - 1)).ToArray();
        var buffer = new float[Math.Min(options.BatchSize, Math.Max(1, scoring.Length)) * length];
        for (var i = 0; i < targets.Count; i++)
        {
            var image = images.Slice(i * length, length);
            var pixels = maps.PixelMap(i);
            var order = Enumerable.Range(0, area).OrderByDescending(p => pixels[p]).ThenBy(p => p).ToArray();
            var probabilities = new double[variants];
            if (ends != null)
            {
                probabilities[0] = probabilities[variants - 1] = ends.Original[i];
                probabilities[steps] = probabilities[steps + 1] = ends.Canvas[i];
            }
            var chunk = buffer.Length / length;
            for (var start = 0; start < scoring.Length; start += chunk)
            {
                var n = Math.Min(chunk, scoring.Length - start);
                for (var v = 0; v < n; v++)
                {
                    var variant = scoring[start + v];
                    var inserting = variant > steps;
                    var changed = (int)Math.Round(fractions[inserting ? variant - steps - 1 : variant] * area);
                    Compose(image, buffer.AsSpan(v * length, length), order.AsSpan(0, changed), inserting, options.Fill, channels, area);
                }
                var p = score(buffer.AsSpan(0, n * length), n);
                for (var v = 0; v < n; v++) probabilities[scoring[start + v]] = p[v * classes + targets[i]];
            }
            deletion[i] = probabilities[..(steps + 1)];
            insertion[i] = probabilities[(steps + 1)..];
        }
        return new FaithfulnessCurves(maps.Method, fractions, deletion, insertion);
    }

    /// <summary>Maps of seeded uniform noise: a random pixel order, the baseline a faithful method must beat.</summary>
    internal static AttributionMaps RandomMaps(int count, int height, int width, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * height * width];
        for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return new AttributionMaps(RandomBaseline, values, count, 1, height, width, keepsChannels: false);
    }

    // Deletion: the image with the ranked pixels set to fill. Insertion: a fill canvas with the ranked pixels revealed.
    private static void Compose(ReadOnlySpan<float> image, Span<float> target, ReadOnlySpan<int> ranked, bool inserting, float fill, int channels, int area)
    {
        if (inserting) target.Fill(fill);
        else image.CopyTo(target);
        foreach (var p in ranked)
            for (var c = 0; c < channels; c++)
                target[c * area + p] = inserting ? image[c * area + p] : fill;
    }
}
