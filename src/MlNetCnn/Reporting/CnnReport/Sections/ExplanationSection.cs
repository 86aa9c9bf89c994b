using MlNetCnn.Attribution;
using MlNetCnn.Experiments.ExplanationFaithfulness;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Parts;
using MlNetCnn.Transforms;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// "Where the network looks": for each chosen image, the image and every method's attribution map drawn over it side
/// by side (one colour scale per method), with each map's deletion and insertion areas, and a table comparing the
/// methods with a random pixel order on the same images.
/// </summary>
public sealed class ExplanationSection : IProgressReportingSection
{
    /// <inheritdoc />
    public string Title => "Where the network looks";

    /// <summary>Registry names of the methods to show; null = every method of <see cref="AttributionRegistry.Default"/>.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Which class each image's maps explain: the predicted class (default) or the label.</summary>
    public AttributionTarget Target { get; init; } = AttributionTarget.PredictedClass;

    /// <summary>Conv layer for Grad-CAM; null = the last one.</summary>
    public string? Layer { get; init; }

    /// <summary>How the deletion and insertion curves are drawn.</summary>
    public FaithfulnessOptions Faithfulness { get; init; } = new();

    /// <summary>Reports each method as it is computed (the slow part of the section).</summary>
    public IProgress<ReportProgress>? Progress { get; init; }

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data) => AddTo(report, data, null);

    /// <summary>The line under the title of a page of this section alone (<c>CnnReportGenerator.WriteExplanation</c>).</summary>
    internal string PageSubtitle(CnnReportData data) =>
        $"{data.SampleCount} test images, each explained by {string.Join(", ", (Methods ?? AttributionRegistry.Default.Names).Select(AttributionRegistry.Default.DisplayName))}";

    /// <summary>Every method on every image, and the curves: this section is most of a report's building time.</summary>
    double IProgressReportingSection.Weight => 40;

    void IProgressReportingSection.AddTo(ReportDocument report, CnnReportData data, IProgress<double>? fraction) => AddTo(report, data, fraction);

    private void AddTo(ReportDocument report, CnnReportData data, IProgress<double>? fraction)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        if (Target == AttributionTarget.FixedClass)
            throw new ArgumentException("The report explains each image's predicted class or its label; FixedClass is not offered here.", nameof(Target));
        var model = data.Model;
        var a = model.Architecture;
        var samples = data.Samples;
        var targets = samples.Select(s => Target == AttributionTarget.Label ? s.Label : s.Predicted).ToArray();
        var unknown = Array.FindIndex(targets, t => t < 0);
        if (unknown >= 0)
            throw new ArgumentException($"Test row {samples[unknown].Row} has no {(Target == AttributionTarget.Label ? "label" : "prediction")} to explain; explain the predicted class instead.", nameof(Target));
        var names = Methods ?? AttributionRegistry.Default.Names;
        var methods = names.Select(n => AttributionRegistry.Default.Create(n, new AttributionSettings { Layer = Layer, Seed = Faithfulness.Seed })).ToArray();
        var shown = names.Select(AttributionRegistry.Default.DisplayName).ToArray(); // "Grad-CAM", not its key "gradcam"
        var images = samples.SelectMany(s => s.Image).ToArray();

        var comparison = Attribution.Faithfulness.Compare(model, images, targets, methods, Faithfulness,
            Progress is null && fraction is null ? null : new SynchronousProgress<FaithfulnessProgress>(p =>
            {
                Progress?.Report(new ReportProgress(p.Stage == "done" ? "Explanations done" : $"Explaining with {AttributionRegistry.Default.DisplayName(p.Stage)}", p.Fraction));
                fraction?.Report(p.Fraction);
            }));
        var (curves, random) = (comparison.Curves, comparison.Random);
        var maps = comparison.Maps.Select(m => Enumerable.Range(0, samples.Count).Select(m.PixelMap).ToArray()).ToArray();
        var scales = maps.Select(AttributionOverlay.Scale).ToArray();
        var strip = new ImageStrip
        {
            Title = "Each image, then each method's map over it (red: evidence for the class, blue: against)",
            Columns = methods.Length + 1,
            TileSize = 112,
            CaptionLines = 3,
        };
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            strip.Add(SampleImages.ToRgb(s.Image, a.InputChannels, a.InputHeight * a.InputWidth), a.InputHeight, a.InputWidth,
                $"row {Int(s.Row)}\n{SampleImages.Caption(data, s)}", s.Label >= 0 ? s.IsCorrect : null);
            for (var m = 0; m < methods.Length; m++)
                strip.Add(AttributionOverlay.Draw(s.Image, a.InputChannels, maps[m][i], scales[m]), a.InputHeight, a.InputWidth,
                    $"{shown[m]}\ndeletion {Fixed(curves[m].DeletionAreas[i], 2)}\ninsertion {Fixed(curves[m].InsertionAreas[i], 2)}");
        }

        // The experiment's comparison with random, paired per image: on a page of a few images most leads are noise.
        var scores = curves.Select(c => FaithfulnessScore.Against(c, random)).ToArray();
        var table = new Table(["method", "colour scale (|value| drawn opaque)", "deletion area (lower is better)", "insertion area (higher is better)",
            "deletion gain over random (± s.e.)", "insertion gain over random (± s.e.)"])
        {
            Title = $"Faithfulness on these {Plural(samples.Count, "image")}",
        };
        for (var m = 0; m < methods.Length; m++)
            table.AddRow(shown[m], Fixed(scales[m], 4), Fixed(curves[m].MeanDeletionArea), Fixed(curves[m].MeanInsertionArea),
                Gain(scores[m].DeletionGain, scores[m].DeletionGainError), Gain(scores[m].InsertionGain, scores[m].InsertionGainError));
        table.AddRow(Attribution.Faithfulness.RandomBaseline, "—", Fixed(random.MeanDeletionArea), Fixed(random.MeanInsertionArea), "—", "—");

        var section = report.AddPart(Title, Explain(data, shown, curves, random, scores)).Add(strip);
        // In a report that also has the explorer (report --explain), each image leads to its explorer view on the same page.
        if (report.Parts.Any(s => s.Blocks.OfType<Explorer.ExplorerBlock>().Any()))
            section.Add(new Explorer.ExplorerLinks([.. samples.Select((s, i) => $"Image {i + 1} (row {Int(s.Row)}): open it in the explorer")]) { Title = "Trace these images unit by unit" });
        section.Add(table);
    }

    private string Explain(CnnReportData data, IReadOnlyList<string> methods, IReadOnlyList<FaithfulnessCurves> curves, FaithfulnessCurves random,
        IReadOnlyList<FaithfulnessScore> scores)
    {
        var target = Target == AttributionTarget.Label ? "its true class" : "the class the network predicts";
        return $"Each map says which pixels count toward {target} by one attribution method ({List(methods)}); " +
               "pixel methods keep one value per colour channel, summed here to one value per pixel. Each method gets its own colour scale " +
               "(the largest |value| over these images is drawn fully opaque), so compare a method's maps with each other, and methods by where they point.\n\n" +
               $"Deletion removes the pixels a map ranks highest in {Faithfulness.Steps} steps (setting them to {Fixed(Faithfulness.Fill, 2)}) and tracks p(class); " +
               "a map that points at the evidence makes it fall fast, so a small area under that curve is better. Insertion reveals the pixels in the same order on a blank canvas; " +
               $"a large area is better. A random pixel order scores {Fixed(random.MeanDeletionArea)} (deletion) and {Fixed(random.MeanInsertionArea)} (insertion) on these images. " +
               ComparedWithRandom(methods, scores, data.Samples.Count) + " " +
               $"With {Plural(data.Samples.Count, "image")} these are illustrations, not a test: 'mlnetcnn experiment explanations' measures the same on many images.";
    }

    /// <summary>
    /// Which methods beat random on deletion, by the experiment's rule: a per-image lead of more than two standard errors.
    /// A lead of a few thousandths over a handful of images is a tie, and the page says so instead of crowning it.
    /// </summary>
    internal static string ComparedWithRandom(IReadOnlyList<string> methods, IReadOnlyList<FaithfulnessScore> scores, int images)
    {
        var best = Enumerable.Range(0, scores.Count).MinBy(m => scores[m].DeletionArea);
        var beating = Enumerable.Range(0, scores.Count).Where(m => scores[m].BeatsRandom).ToArray();
        var smallest = $"{methods[best]} has the smallest deletion area ({Fixed(scores[best].DeletionArea)})";
        if (images < 2)
            return $"Here {smallest}, but with one image no lead over random can be told from noise.";
        // Each gain is random's mean area minus the method's, so any score gives random's area back.
        var randomArea = scores[best].DeletionArea + scores[best].DeletionGain;
        return beating.Length == 0
            ? $"Here {smallest}, but no method's lead over random is beyond noise (more than twice its standard error over these images): on this page they tie with random."
            : $"Here {smallest}; {List(beating.Select(m => methods[m]))} {(beating.Length == 1 ? "beats" : "beat")} random on deletion by more than twice the standard error of the per-image lead, " +
              $"by {Lead(beating.Select(m => scores[m].DeletionGain).ToArray(), randomArea)}" +
              (scores[best].BeatsRandom ? "." : $", and {methods[best]}'s own lead is within noise.");
    }

    // How far ahead the winners are, also as a share of random's area: beyond noise is not the same as large (an
    // untrained network's maps beat random by a thousandth of the area, consistently).
    private static string Lead(IReadOnlyList<double> gains, double randomArea)
    {
        var (low, high) = (gains.Min(), gains.Max());
        // One decimal below 10%, so a lead of 0.4% does not read as "0%".
        string Share(double gain) => Fixed(100 * gain / randomArea, Math.Abs(100 * high / randomArea) < 10 ? 1 : 0);
        return Fixed(low, 4) == Fixed(high, 4)
            ? $"{Fixed(high, 4)} ({Share(high)}% of random's area)"
            : $"{Fixed(low, 4)}–{Fixed(high, 4)} ({Share(low)}–{Share(high)}% of random's area)";
    }

    // A gain over random with its standard error (four decimals: a page's leads are often thousandths, and "± 0.000"
    // would read as exact); the gain alone where one image gives no standard error.
    private static string Gain(double gain, double standardError) =>
        (gain >= 0 ? "+" : "") + Fixed(gain, 4) + (double.IsFinite(standardError) ? " ± " + Fixed(standardError, 4) : "");
}
