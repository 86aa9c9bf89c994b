using Microsoft.ML;
using MlNetCnn.Cli.Output;
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
        var section = new ExplanationSection { Methods = methods, Target = target, Layer = layer };
        // The generator checks the target, scans the test data once, runs the methods and writes the page atomically.
        reporter.RunStep("explaining", progress =>
            CnnReportGenerator.WriteExplanation(path, mlContext, classifier, test, section, imageIndices, overwrite,
                new SynchronousProgress<ReportProgress>(p => progress.Report(p.Fraction))), cancel);
        reporter.Result($"explanations written to {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB, {Durations.Describe(clock.Elapsed)})");
    }
}
