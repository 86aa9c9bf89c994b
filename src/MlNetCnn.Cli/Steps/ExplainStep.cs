using Microsoft.ML;
using MlNetCnn.Attribution;
using MlNetCnn.Cli.Output;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>Writing the <c>explain</c> page: every chosen attribution method's maps on the chosen test images.</summary>
public static class ExplainStep
{
    /// <summary>Measures the chosen images, explains them with <paramref name="methods"/> (null: all) with a progress bar per stage, and writes the page.</summary>
    public static void Write(ConsoleReporter reporter, MLContext mlContext, SimpleCnnTransformer classifier, IDataView test, string path,
        IReadOnlyList<long>? imageIndices, IReadOnlyList<string>? methods, AttributionTarget target, string? layer, bool overwrite, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IProgress<double>? step = null;
        var section = new ExplanationSection
        {
            Methods = methods,
            Target = target,
            Layer = layer,
            Progress = new SynchronousProgress<ReportProgress>(p => { cancel.ThrowIfCancellationRequested(); step?.Report(p.Fraction); }),
        };
        // The page holds this one section, so the scan measures nothing for sections it will not have (the explorer's patches).
        var options = new CnnReportOptions { ImageIndices = imageIndices, Title = section.Title, Sections = [section] };
        var data = reporter.RunStep("reading test images", progress =>
            CnnReportGenerator.Measure(mlContext, classifier.Model, test, options, new SynchronousProgress<ReportProgress>(p => { cancel.ThrowIfCancellationRequested(); progress.Report(p.Fraction); })));
        cancel.ThrowIfCancellationRequested();
        var report = new ReportDocument(section.Title, $"{data.SampleCount} test images, each explained by {string.Join(", ", (methods ?? AttributionRegistry.Default.Names).Select(AttributionRegistry.Default.DisplayName))}");
        reporter.RunStep("explaining", progress =>
        {
            step = progress;
            section.AddTo(report, data);
            return 0;
        });
        cancel.ThrowIfCancellationRequested();
        report.Save(path, overwrite);
        reporter.Result($"explanations written to {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB, {clock.Elapsed.TotalSeconds:F1} s)");
    }
}
