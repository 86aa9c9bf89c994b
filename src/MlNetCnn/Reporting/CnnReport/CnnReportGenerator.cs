using System.Globalization;
using Microsoft.ML;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Builds the interactive "why convolutions work" report from a trained SimpleCnn and test data: scores the data
/// and adds the feature-map columns (<c>conv1</c>, <c>conv2</c>, …) when they are missing, streams the view once to
/// feed every row to the sections' accumulators (<see cref="Scan.IMeasuringSection"/>) and keep the chosen images
/// (<see cref="CnnReportData"/>), then lets each <see cref="ICnnReportSection"/> add its part of the page.
/// </summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var train = ml.Data.LoadFromCifar10(dir, Cifar10Split.Train);
/// var test = ml.Data.LoadFromCifar10(dir, Cifar10Split.Test);
/// using var classifier = ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { ValidationSet = test }).Fit(train);
/// CnnReportGenerator.Write("report.html", ml, classifier, test, new CnnReportOptions { ImageCount = 8 }, overwrite: false,
///     progress: new Progress&lt;ReportProgress&gt;(p =&gt; Console.Write($"\r{p.Fraction:P0} {p.Stage}")));
/// </code>
/// </example>
public static class CnnReportGenerator
{
    /// <summary>A new list of the sections of a default report, in page order (fresh instances: add to it or reorder it freely).</summary>
    public static IReadOnlyList<ICnnReportSection> DefaultSections() =>
    [
        new InputImagesSection(),
        new FeatureMapsSection(),
        new WorkedConvolutionSection(),
        new ExplorerSection(),
        new KernelsSection(),
        new FeaturesByDepthSection(),
        new ChannelStatisticsSection(),
        new TrainingCurvesSection(),
        new ConfusionSection(),
    ];

    /// <summary>Builds the report for a classifier from an ML.NET pipeline.</summary>
    /// <param name="testData">Needs the label and image columns named in <paramref name="options"/>. Prediction and
    /// <c>conv*</c> feature-map columns are used when present and computed otherwise.</param>
    public static ReportDocument Create(MLContext ml, SimpleCnnTransformer classifier, IDataView testData, CnnReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return Create(ml, classifier.Model, classifier, testData, options ?? new(), progress, 0, 1);
    }

    /// <summary>Builds the report for a trained network.</summary>
    public static ReportDocument Create(MLContext ml, TrainedCnn model, IDataView testData, CnnReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(ml, model, null, testData, options ?? new(), progress, 0, 1);
    }

    /// <summary>
    /// Builds the report and writes it atomically to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="OutputFileExistsException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false (checked before any work).</exception>
    public static ReportDocument Write(string path, MLContext ml, SimpleCnnTransformer classifier, IDataView testData, CnnReportOptions? options = null, bool overwrite = false, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return Write(OutputFile.Check(path, overwrite), ml, classifier.Model, classifier, testData, options ?? new(), progress);
    }

    /// <inheritdoc cref="Write(string, MLContext, SimpleCnnTransformer, IDataView, CnnReportOptions?, bool, IProgress{ReportProgress}?)"/>
    public static ReportDocument Write(string path, MLContext ml, TrainedCnn model, IDataView testData, CnnReportOptions? options = null, bool overwrite = false, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(OutputFile.Check(path, overwrite), ml, model, null, testData, options ?? new(), progress);
    }

    /// <summary>
    /// Writes the explanation page (what <c>mlnetcnn explain</c> writes): a page of the one <paramref name="explanation"/>
    /// section over the chosen images, so the scan measures nothing else; checked, measured, built and saved as a report.
    /// </summary>
    /// <param name="imageIndices">Rows to explain, in this order; null picks images as <see cref="CnnReportOptions.ImageIndices"/> does.</param>
    /// <exception cref="OutputFileExistsException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false (checked before any work).</exception>
    public static ReportDocument WriteExplanation(string path, MLContext ml, SimpleCnnTransformer classifier, IDataView testData, ExplanationSection explanation,
        IReadOnlyList<long>? imageIndices = null, bool overwrite = false, IProgress<ReportProgress>? progress = null) =>
        WriteExplanation(OutputFile.Check(path, overwrite), ml, classifier, testData, explanation, imageIndices, progress);

    /// <summary>
    /// As <see cref="WriteExplanation(string, MLContext, SimpleCnnTransformer, IDataView, ExplanationSection, IReadOnlyList{long}?, bool, IProgress{ReportProgress}?)"/>,
    /// to an output already checked (<see cref="OutputFile.Check"/>).
    /// </summary>
    public static ReportDocument WriteExplanation(OutputTarget output, MLContext ml, SimpleCnnTransformer classifier, IDataView testData, ExplanationSection explanation,
        IReadOnlyList<long>? imageIndices = null, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(explanation);
        // No footer: the page is about the images and the methods, not the training run.
        var options = new CnnReportOptions { ImageIndices = imageIndices, Title = explanation.Title, Sections = [explanation], Footer = "" };
        return Write(output, ml, classifier.Model, classifier, testData, options, progress, explanation.PageSubtitle);
    }

    /// <summary>
    /// The test data as the report reads it: scored (Score, PredictedLabel) and with one feature-map column per
    /// shown layer, each added only when missing.
    /// </summary>
    internal static IDataView PrepareView(MLContext ml, TrainedCnn model, IDataView testData, CnnReportOptions? options = null) =>
        PrepareView(ml, model, null, testData, options ?? new(), ResolveLayers(model, options ?? new()));

    // Every Write overload: the target was checked (by the overload or the app) before the slow part; the save does not ask again.
    private static ReportDocument Write(OutputTarget output, MLContext ml, TrainedCnn model, SimpleCnnTransformer? classifier, IDataView testData, CnnReportOptions options,
        IProgress<ReportProgress>? progress, Func<CnnReportData, string>? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var report = Create(ml, model, classifier, testData, options, progress, 0, 0.8, subtitle);
        report.Save(output, progress is null ? null : new SynchronousProgress<double>(f => progress.Report(new ReportProgress("Writing HTML", 0.8 + 0.2 * f))));
        return report;
    }

    /// <summary>
    /// The measuring half of <see cref="Create(MLContext, TrainedCnn, IDataView, CnnReportOptions?, IProgress{ReportProgress}?)"/>:
    /// one streaming pass over the prepared test data. Build the page from it with <see cref="Create(CnnReportData, IProgress{ReportProgress}?)"/>.
    /// </summary>
    public static CnnReportData Measure(MLContext ml, TrainedCnn model, IDataView testData, CnnReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Measure(ml, model, null, testData, options ?? new(), progress, 0, 1);
    }

    /// <summary>
    /// The measuring half of <see cref="Create(MLContext, SimpleCnnTransformer, IDataView, CnnReportOptions?, IProgress{ReportProgress}?)"/>,
    /// scoring with <paramref name="classifier"/> itself where the columns allow. <see cref="CnnReportOptions.ImageIndices"/>
    /// is checked against the data before the scan (<see cref="ImageIndexOutOfRangeException"/>).
    /// </summary>
    public static CnnReportData Measure(MLContext ml, SimpleCnnTransformer classifier, IDataView testData, CnnReportOptions? options = null, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return Measure(ml, classifier.Model, classifier, testData, options ?? new(), progress, 0, 1);
    }

    /// <summary>Builds the page from measured data: each of the sections it was measured for adds its part, in order.</summary>
    public static ReportDocument Create(CnnReportData data, IProgress<ReportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Build(data, progress, 0, 1);
    }

    // Scanning dominates the time; sections get the rest of the [from, to] progress interval. A slow section (the
    // explanations) takes most of the time instead: then scanning gets a smaller share.
    private const double ScanShare = 0.85;
    private const double ScanShareBesideSlowSections = 0.3;

    private static ReportDocument Create(MLContext ml, TrainedCnn model, SimpleCnnTransformer? classifier, IDataView testData, CnnReportOptions options, IProgress<ReportProgress>? progress,
        double from, double to, Func<CnnReportData, string>? subtitle = null)
    {
        var scanShare = (options.Sections ?? DefaultSections()).Any(s => s is IProgressReportingSection) ? ScanShareBesideSlowSections : ScanShare;
        var data = Measure(ml, model, classifier, testData, options, progress, from, from + (to - from) * scanShare);
        return Build(data, progress, from + (to - from) * scanShare, to, subtitle);
    }

    private static CnnReportData Measure(MLContext ml, TrainedCnn model, SimpleCnnTransformer? classifier, IDataView testData, CnnReportOptions options, IProgress<ReportProgress>? progress, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(testData);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Before the scan, not after it: an index past the end would otherwise be found only once every row was scored.
        if (options.ImageIndices is { } indices && testData.GetRowCount() is { } rows && indices.Where(i => i >= rows).ToArray() is { Length: > 0 } outside)
            throw new ImageIndexOutOfRangeException(outside, rows);
        var layers = ResolveLayers(model, options);
        progress?.Report(new ReportProgress("Scanning test data", from));
        var view = PrepareView(ml, model, classifier, testData, options, layers);
        // Resolved once: the sections that measure during the scan are the very instances that build the page.
        var sections = options.Sections ?? DefaultSections();
        return ReportDataCollector.Collect(model, view, options, layers, sections, f => progress?.Report(new ReportProgress("Scanning test data", from + (to - from) * f)));
    }

    /// <param name="subtitle">The line under the title when the options give none; null: the model and the number of test images.</param>
    private static ReportDocument Build(CnnReportData data, IProgress<ReportProgress>? progress, double from, double to, Func<CnnReportData, string>? subtitle = null)
    {
        var options = data.Options;
        var sections = data.Sections;
        var report = new ReportDocument(options.Title, options.Subtitle ?? subtitle?.Invoke(data) ?? Subtitle(data.Model, data))
        {
            Footer = options.Footer ?? Footer(data.Model),
        };
        // Each section gets a stretch of [from, to] in proportion to its weight; a slow one moves the bar across its own.
        var weights = sections.Select(s => s is IProgressReportingSection slow ? Math.Max(1, slow.Weight) : 1).ToArray();
        var appended = options.AppendedSections ?? [];
        var total = weights.Sum() + appended.Count;
        var done = 0.0;
        for (var i = 0; i < sections.Count; i++)
        {
            var (start, width, stage) = (from + (to - from) * done / total, (to - from) * weights[i] / total, $"Section: {sections[i].Title}");
            progress?.Report(new ReportProgress(stage, start));
            if (sections[i] is IProgressReportingSection slow && progress != null)
                slow.AddTo(report, data, new SynchronousProgress<double>(f => progress.Report(new ReportProgress(stage, start + width * Math.Clamp(f, 0, 1)))));
            else
                sections[i].AddTo(report, data);
            done += weights[i];
        }

        // Appended sections carry their own content: a weight of 1 each, after the builders.
        foreach (var section in appended)
        {
            progress?.Report(new ReportProgress($"Section: {section.Title}", from + (to - from) * done / total));
            section.AddTo(report);
            done += 1;
        }

        progress?.Report(new ReportProgress("Report built", to));
        return report;
    }

    private static IDataView PrepareView(MLContext ml, TrainedCnn model, SimpleCnnTransformer? classifier, IDataView testData, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers)
    {
        var view = testData;
        var missing = layers.Where(l => view.Schema.GetColumnOrNull(l.Name) is null).ToList();
        if (view.Schema.GetColumnOrNull(options.PredictedLabelColumnName) is null)
        {
            var useClassifier = classifier is not null && classifier.FeatureColumnName == options.FeatureColumnName && classifier.PredictedLabelColumnName == options.PredictedLabelColumnName;
            var (scoreColumn, batchSize) = useClassifier
                ? (classifier!.ScoreColumnName, classifier.InferenceBatchSize)
                : (options.ScoreColumnName, model.Settings.InferenceBatchSize);
            if (missing.Count == 0)
            {
                var scorer = useClassifier ? classifier! : new SimpleCnnTransformer(model, options.FeatureColumnName, scoreColumn, options.PredictedLabelColumnName, batchSize);
                return scorer.Transform(view);
            }
            // Predictions and maps from one forward pass per batch: the same columns the classifier and the
            // feature-map transform add, with the same checks, but the network runs once per image instead of twice.
            ImageColumnValidator.CheckFeatures(view.Schema, options.FeatureColumnName, model.Architecture);
            BatchLimit.Check(batchSize, model.Architecture.InputLength + model.Architecture.ClassCount + missing.Sum(l => (long)l.MapLength), "InferenceBatchSize");
            return new BatchedInferenceDataView(view,
                new ClassificationWithMapsScorer(model, options.FeatureColumnName, scoreColumn, options.PredictedLabelColumnName, missing, batchSize));
        }

        // The maps come from the library's ML.NET transform: the same lazy, batched columns any pipeline gets.
        return missing.Count == 0
            ? view
            : ml.Transforms.ExtractFeatureMaps(model, options.FeatureColumnName, [.. missing.Select(l => l.Name)]).Fit(view).Transform(view);
    }

    private static IReadOnlyList<ConvLayerShape> ResolveLayers(TrainedCnn model, CnnReportOptions options) =>
        options.Layers is null
            ? model.ConvLayers
            : [.. options.Layers.Select(model.GetLayer).DistinctBy(l => l.Index).OrderBy(l => l.Index)];

    private static string Subtitle(TrainedCnn model, CnnReportData data)
    {
        var layers = string.Join(", ", model.ConvLayers.Select(l => $"{l.Name} {l.InChannels}→{l.OutChannels} {l.KernelSize}×{l.KernelSize}"));
        var a = model.Architecture;
        return $"SimpleCnn ({layers}; fc {a.FlattenedFeatures()}→{a.HiddenUnits}→{a.ClassCount}) on {data.RowCount.ToString("N0", CultureInfo.InvariantCulture)} test images";
    }

    private static string Footer(TrainedCnn model)
    {
        var s = model.Settings;
        return string.Create(CultureInfo.InvariantCulture,
            $"Generated by MlNetCnn. Training: {model.History.Count} epoch(s), batch size {s.BatchSize}, learning rate {s.LearningRate}, seed {s.Seed}.");
    }
}
