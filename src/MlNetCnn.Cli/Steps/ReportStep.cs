using Microsoft.ML;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.Experiments;
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
        IReadOnlyList<long>? imageIndices, bool overwrite, IReadOnlyList<ICnnReportSection>? extraSections = null, CancellationToken cancel = default,
        bool includeExplorer = true, IReadOnlyList<IPrebuiltSection>? appendedSections = null, bool includeFeatureVisualization = true)
    {
        var options = new CnnReportOptions
        {
            ImageIndices = imageIndices,
            IncludeExplorer = includeExplorer,
            IncludeFeatureVisualization = includeFeatureVisualization,
            // Without experiments on the page itself, the page ends with a link to the experiments page (or how to write it).
            AppendedSections = appendedSections ?? [ExperimentsLink(path)],
            Sections = extraSections is null ? null : [.. CnnReportGenerator.DefaultSections(), .. extraSections],
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Build, then save: the command checked the output before any work, so the page is not checked a third time
        // before the scan (the generator's Write would); Save's own check before rendering and the atomic no-replace
        // write remain.
        reporter.RunStep("rendering report", progress =>
        {
            // A signal stops the scan and the rendering at their next progress report (RunStep checks the token); the
            // page is written only at the end, atomically.
            var report = CnnReportGenerator.Create(mlContext, classifier, test, options,
                new SynchronousProgress<ReportProgress>(p => progress.Report(0.8 * p.Fraction)));
            report.Save(path, overwrite, new SynchronousProgress<double>(f => progress.Report(0.8 + 0.2 * f)));
            return report;
        }, cancel);
        reporter.Result($"report written to {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1e6:F1} MB, {Durations.Describe(clock.Elapsed)})");
    }

    /// <summary>
    /// The link from the report at <paramref name="reportPath"/> to the experiments page: beside the report, else where
    /// <c>mlnetcnn experiment all</c> writes it by default (the current folder); the command when neither exists.
    /// </summary>
    public static ExperimentsLinkSection ExperimentsLink(string reportPath)
    {
        var reportDirectory = Path.GetDirectoryName(Path.GetFullPath(reportPath))!;
        var page = new[] { Path.Combine(reportDirectory, ExperimentStep.DefaultOutput), Path.GetFullPath(ExperimentStep.DefaultOutput) }.FirstOrDefault(File.Exists);
        var href = page is null ? null : string.Join('/', Path.GetRelativePath(reportDirectory, page).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
        return new ExperimentsLinkSection(href, $"mlnetcnn experiment {ExperimentSelection.All}" +
            (page is null && reportDirectory != Path.GetFullPath(".") ? $" --output {Path.Combine(Path.GetRelativePath(".", reportDirectory), ExperimentStep.DefaultOutput)}" : ""));
    }
}
