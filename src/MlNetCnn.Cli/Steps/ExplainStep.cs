using Microsoft.ML;
using MlNetCnn.Cli.Output;
using MlNetCnn.IO;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>Writing the <c>explain</c> page: every chosen attribution method's maps on the chosen test images.</summary>
public static class ExplainStep
{
    /// <summary>Measures the chosen images, explains them with <paramref name="methods"/> (null: all) with a progress bar per stage, and writes the page.</summary>
    /// <param name="output">The page, checked by the command before any work: not asked again.</param>
    public static void Write(ConsoleReporter reporter, MLContext mlContext, SimpleCnnTransformer classifier, IDataView test, OutputTarget output,
        IReadOnlyList<long>? imageIndices, IReadOnlyList<string>? methods, AttributionTarget target, string? layer, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var section = new ExplanationSection { Methods = methods, Target = target, Layer = layer };
        // The generator scans the test data once, runs the methods and writes the page atomically to the checked target.
        reporter.RunStep("explaining", progress =>
            CnnReportGenerator.WriteExplanation(output, mlContext, classifier, test, section, imageIndices,
                new SynchronousProgress<ReportProgress>(p => progress.Report(p.Fraction))), cancel);
        reporter.Result($"explanations written to {output.FullPath} ({new FileInfo(output.FullPath).Length / 1e6:F1} MB, {Durations.Describe(clock.Elapsed)})");
    }
}
