using MlNetCnn.Attribution;
using MlNetCnn.Experiments.Figures;
using static System.FormattableString;

namespace MlNetCnn.Experiments.ExplanationFaithfulness;

/// <summary>
/// Which explanations reflect the model: every registered attribution method scored by deletion and insertion curves against a random pixel order on
/// the same test images. A method beats random when removing its top-ranked pixels lowers p(class) faster (smaller
/// deletion area) by more than two standard errors of the paired per-image difference.
/// </summary>
internal sealed class ExplanationFaithfulnessExperiment() : Experiment(
    "explanations",
    "Which explanations reflect the model (deletion and insertion)",
    "Attribution maps point at the evidence the network uses: removing the pixels a map ranks highest lowers the " +
    "class probability faster than removing random pixels, and revealing them first raises it faster.",
    "best.deletion-gain")
{
    /// <summary>Registry names of the methods to score; null = every method of <see cref="AttributionRegistry.Default"/>.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Conv layer for Grad-CAM; null = the last one.</summary>
    public string? Layer { get; init; }

    /// <summary>Points per curve after the start.</summary>
    public int Steps { get; init; } = FaithfulnessOptions.Defaults.Steps;

    /// <summary>Value of removed pixels and of the insertion canvas (0.5 = mid grey).</summary>
    public float Fill { get; init; } = FaithfulnessOptions.Defaults.Fill;

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var model = context.StudiedModel();
        var names = Methods ?? AttributionRegistry.Default.Names;
        var methods = names.Select(n => AttributionRegistry.Default.Create(n, new AttributionSettings { Layer = Layer, Seed = context.Seed })).ToArray();
        var count = Math.Min(context.Budget.AnalysisImages, context.Test.Count);
        var length = context.ImageLength;
        var pixels = context.TestPixels.AsSpan(0, count * length).ToArray();
        var targets = Enumerable.Range(0, count).Select(i => (int)context.Test.Labels[i]).ToArray();
        var options = new FaithfulnessOptions { Steps = Steps, Fill = Fill, Seed = context.Seed };

        // Pages show each method by its display name ("Grad-CAM"); measurement keys keep the registry name ("gradcam").
        static string Shown(string method) => AttributionRegistry.Default.DisplayName(method);
        // Compare's own last report (fraction 1, "done") is left to Result, which reports "done" for every experiment.
        var comparison = Faithfulness.Compare(model, pixels, targets, methods, options,
            new SynchronousProgress<FaithfulnessProgress>(p => { if (p.Fraction < 1) Report(context, p.Stage, p.Fraction); }));
        var (maps, curves, random) = (comparison.Maps, comparison.Curves, comparison.Random);
        var scores = curves.Select(c => FaithfulnessScore.Against(c, random)).ToArray();
        var beating = scores.Where(s => s.BeatsRandom).ToArray();
        // Negation is exact, so this is DeletionGain < −2·SE.
        var worse = scores.Where(s => VerdictRule.Beyond(-s.DeletionGain, s.DeletionGainError)).ToArray();
        var verdict = count < 2 ? Verdict.Inconclusive
            : beating.Length > 0 ? Verdict.Supported
            : worse.Length == scores.Length ? Verdict.NotSupported
            : Verdict.Inconclusive;
        var best = scores.OrderByDescending(s => s.DeletionGain).First();
        var explanation = Invariant($"On {count} test images (each explained for its true class), removing random pixels in {Steps} steps gives a deletion area of {random.MeanDeletionArea:F3} and revealing them an insertion area of {random.MeanInsertionArea:F3}. ") +
            string.Join(" ", scores.Select(s => s.Describe(Shown(s.Method)))) + " " +
            verdict switch
            {
                Verdict.Supported => Invariant($"{beating.Length} of {scores.Length} methods beat random beyond two standard errors ({string.Join(", ", beating.Select(s => Shown(s.Method)))}); the largest deletion gain is {Shown(best.Method)}'s."),
                Verdict.NotSupported => "Every method did worse than random: the maps do not point at the evidence.",
                _ => "No method beat random beyond noise.",
            };

        var measurements = new List<Measurement>
        {
            new("images", count, "images"),
            new("methods-beating-random", beating.Length, "methods"),
            new("random.deletion-area", random.MeanDeletionArea, "probability"),
            new("random.insertion-area", random.MeanInsertionArea, "probability"),
            // The effect over seeds: the largest deletion gain over the methods (the verdict asks whether any method beats random).
            new("best.deletion-gain", best.DeletionGain, "probability"),
        };
        foreach (var s in scores)
        {
            measurements.Add(new($"{s.Method}.deletion-area", s.DeletionArea, "probability"));
            measurements.Add(new($"{s.Method}.insertion-area", s.InsertionArea, "probability"));
            measurements.Add(new($"{s.Method}.deletion-gain", s.DeletionGain, "probability"));
            measurements.Add(new($"{s.Method}.deletion-gain.standard-error", s.DeletionGainError, "probability"));
            measurements.Add(new($"{s.Method}.insertion-gain", s.InsertionGain, "probability"));
            measurements.Add(new($"{s.Method}.insertion-gain.standard-error", s.InsertionGainError, "probability"));
        }

        var shown = Math.Min(count, Math.Max(1, context.Budget.FigureImages));
        var heatmaps = Enumerable.Range(0, shown).Select(i => new HeatmapFigure(
            Invariant($"Every method's map for '{context.ClassNames[targets[i]]}', test image {i} (each scaled to its largest |value|)"),
            maps.SelectMany(m => ScaledPixelMap(m, i)).ToArray(), maps.Count, context.Height, context.Width,
            maps.Select(m => Shown(m.Method)).ToArray(), HeatmapScale.Diverging,
            ImageTensors.Panel(Invariant($"test image {i}"), pixels, i, context.Channels, context.Height, context.Width))).ToArray();
        var all = curves.Append(random).ToArray();
        var fractions = random.Fractions.ToArray();
        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = new[] { "methods-beating-random", $"{best.Method}.deletion-gain", "random.deletion-area" },
            Measurements = measurements,
            Heatmaps = heatmaps,
            Charts = new[]
            {
                new ChartFigure("Deletion: p(class) as the top-ranked pixels are removed (lower is more faithful)", ChartKind.Line, "fraction of pixels removed", "mean p(class)",
                    all.Select(c => new ChartSeries(Shown(c.Method), fractions, FaithfulnessCurves.MeanCurve(c.Deletion))).ToArray()),
                new ChartFigure("Insertion: p(class) as the top-ranked pixels are revealed (higher is more faithful)", ChartKind.Line, "fraction of pixels revealed", "mean p(class)",
                    all.Select(c => new ChartSeries(Shown(c.Method), fractions, FaithfulnessCurves.MeanCurve(c.Insertion))).ToArray()),
            },
            Tables = new[]
            {
                new TableFigure("Deletion and insertion areas against random (gain ± one standard error of the paired difference)",
                    new[] { "method", "deletion area", "deletion gain", "insertion area", "insertion gain", "beats random" },
                    scores.Select(s => (IReadOnlyList<string>)new[]
                    {
                        Shown(s.Method), Invariant($"{s.DeletionArea:F3}"), Invariant($"{s.DeletionGain:+0.000;-0.000} ± {s.DeletionGainError:F3}"),
                        Invariant($"{s.InsertionArea:F3}"), Invariant($"{s.InsertionGain:+0.000;-0.000} ± {s.InsertionGainError:F3}"), s.BeatsRandom ? "yes" : "no",
                    }).ToArray()),
            },
        };
    }

    private static float[] ScaledPixelMap(AttributionMaps maps, int index)
    {
        var map = maps.PixelMap(index);
        var max = map.Max(Math.Abs);
        if (max > 0) for (var p = 0; p < map.Length; p++) map[p] /= max;
        return map;
    }
}
