using Microsoft.ML;
using MlNetCnn.Cli.Output;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>Writing the CNN report, shared by <c>report</c> and the one-shot default command.</summary>
public static class ReportStep
{
    /// <summary>Renders the report with a progress bar and prints where it went and how big it is.</summary>
    /// <param name="extraSections">Sections appended after the default ones (e.g. experiments).</param>
    /// <param name="includeExplorer">False leaves out the network explorer section.</param>
    /// <param name="appendedSections">Sections that need no measured data (experiments), added after all the others.</param>
    /// <param name="includeFeatureVisualization">False leaves out each channel's optimized picture (section and explorer).</param>
    public static void Write(ConsoleReporter reporter, MLContext mlContext, SimpleCnnTransformer classifier, IDataView test, string path,
        IReadOnlyList<long>? imageIndices, bool overwrite, IReadOnlyList<IReportSectionBuilder>? extraSections = null, CancellationToken cancel = default,
        bool includeExplorer = true, IReadOnlyList<IReportSection>? appendedSections = null, bool includeFeatureVisualization = true)
    {
        var options = new CnnReportOptions
        {
            ImageIndices = imageIndices,
            IncludeExplorer = includeExplorer,
            IncludeFeatureVisualization = includeFeatureVisualization,
            AppendedSections = appendedSections,
            Sections = extraSections is null ? null : [.. CnnReportGenerator.DefaultSections, .. extraSections],
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        reporter.RunStep("rendering report", progress =>
            CnnReportGenerator.Write(path, mlContext, classifier, test, options, overwrite,
                new SynchronousProgress<ReportProgress>(p =>
                {
                    // Ctrl+C stops the scan at the next report; the page is written only at the end, atomically.
                    cancel.ThrowIfCancellationRequested();
                    progress.Report(p.Fraction);
                })));
        reporter.Result($"report written to {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB, {clock.Elapsed.TotalSeconds:F1} s)");
    }
}
