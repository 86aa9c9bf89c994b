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
        ArgumentNullException.ThrowIfNull(methods);
        options ??= new FaithfulnessOptions();
        var list = methods.ToArray();
        if (list.Length == 0) throw new ArgumentException("At least one attribution method is needed to compare against random.", nameof(methods));
        var maps = new List<AttributionMaps>();
        var curves = new List<FaithfulnessCurves>();
        for (var m = 0; m < list.Length; m++)
        {
            progress?.Report(new FaithfulnessProgress(list[m].Name, (double)m / (list.Length + 1)));
            maps.Add(list[m].Attribute(model, images, targets));
            curves.Add(Measure(model, images, targets, maps[^1], options));
        }
        progress?.Report(new FaithfulnessProgress(RandomBaseline, (double)list.Length / (list.Length + 1)));
        var a = model.Architecture;
        var random = Measure(model, images, targets, RandomMaps(targets.Count, a.InputHeight, a.InputWidth, options.Seed), options);
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
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(maps);
        options ??= new FaithfulnessOptions();
        options.Validate();
        var a = model.Architecture;
        var (channels, area, length, classes) = (a.InputChannels, a.InputHeight * a.InputWidth, a.InputLength, a.ClassCount);
        if (images.Length != targets.Count * length)
            throw new ArgumentException($"Expected {targets.Count} images of {length} values, got {images.Length} values.", nameof(images));
        if (maps.Count != targets.Count || maps.Height != a.InputHeight || maps.Width != a.InputWidth)
            throw new ArgumentException($"Expected {targets.Count} maps of {a.InputHeight}×{a.InputWidth}, got {maps.Count} of {maps.Height}×{maps.Width}.", nameof(maps));
        if (targets.Any(t => t < 0 || t >= classes))
            throw new ArgumentOutOfRangeException(nameof(targets), $"Targets are 0-based class indices 0–{classes - 1}.");

        var steps = options.Steps;
        var fractions = Enumerable.Range(0, steps + 1).Select(s => (double)s / steps).ToArray();
        var deletion = new double[targets.Count][];
        var insertion = new double[targets.Count][];
        // Per image: steps + 1 deleted variants then steps + 1 inserted ones, run through the model in chunks.
        var variants = 2 * (steps + 1);
        var buffer = new float[Math.Min(options.BatchSize, variants) * length];
        for (var i = 0; i < targets.Count; i++)
        {
            var image = images.Slice(i * length, length);
            var pixels = maps.PixelMap(i);
            var order = Enumerable.Range(0, area).OrderByDescending(p => pixels[p]).ThenBy(p => p).ToArray();
            var probabilities = new double[variants];
            var chunk = buffer.Length / length;
            for (var start = 0; start < variants; start += chunk)
            {
                var n = Math.Min(chunk, variants - start);
                for (var v = 0; v < n; v++)
                {
                    var variant = start + v;
                    var inserting = variant > steps;
                    var changed = (int)Math.Round(fractions[inserting ? variant - steps - 1 : variant] * area);
                    Compose(image, buffer.AsSpan(v * length, length), order.AsSpan(0, changed), inserting, options.Fill, channels, area);
                }
                var p = model.PredictProbabilities(buffer.AsSpan(0, n * length), n);
                for (var v = 0; v < n; v++) probabilities[start + v] = p[v * classes + targets[i]];
            }
            deletion[i] = probabilities[..(steps + 1)];
            insertion[i] = probabilities[(steps + 1)..];
        }
        return new FaithfulnessCurves(maps.Method, fractions, deletion, insertion);
    }

    /// <summary>Maps of seeded uniform noise: a random pixel order, the baseline a faithful method must beat.</summary>
    public static AttributionMaps RandomMaps(int count, int height, int width, int seed)
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
