using Microsoft.ML;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.IO;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.Experiments;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>Writing the CNN report, shared by <c>report</c> and the one-shot default command.</summary>
public static class ReportStep
{
    /// <summary>
    /// Measures the test data, then renders the report, each with a progress bar, and prints where it went and how big it
    /// is. The library checks the image indices against the test data before its scan: the one check of them a run makes.
    /// </summary>
    /// <param name="extraSections">Sections appended after the default ones (e.g. explanations).</param>
    /// <param name="includeExplorer">False leaves out the network explorer section.</param>
    /// <param name="appendedSections">
    /// Makes the sections that need no measured data (experiments), added after all the others. Called between the scan
    /// and the rendering, so bad --images are refused before minutes of experiments. Null: a link to the experiments page.
    /// </param>
    /// <param name="includeFeatureVisualization">False leaves out each channel's optimized picture (section and explorer).</param>
    /// <param name="output">The page, checked by the command before any work (<c>CommonOptions.EnsureWritable</c>): not asked again.</param>
    public static void Write(ConsoleReporter reporter, MLContext mlContext, SimpleCnnTransformer classifier, IDataView test, OutputTarget output,
        IReadOnlyList<long>? imageIndices, IReadOnlyList<ICnnReportSection>? extraSections = null, CancellationToken cancel = default,
        bool includeExplorer = true, Func<IReadOnlyList<IPrebuiltSection>>? appendedSections = null, bool includeFeatureVisualization = true)
    {
        var options = new CnnReportOptions
        {
            ImageIndices = imageIndices,
            IncludeExplorer = includeExplorer,
            IncludeFeatureVisualization = includeFeatureVisualization,
            // Without experiments on the page itself, the page ends with a link to the experiments page (or how to write it).
            AppendedSections = appendedSections is null ? [ExperimentsLink(output.FullPath)] : null,
            Sections = extraSections is null ? null : [.. CnnReportGenerator.DefaultSections(), .. extraSections],
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // A signal stops the scan and the rendering at their next progress report (RunStep checks the token); the page is
        // written only at the end, atomically, to the target the command checked before any work (not asked again).
        var data = reporter.RunStep("scanning test data", progress =>
            CnnReportGenerator.Measure(mlContext, classifier, test, options, new SynchronousProgress<ReportProgress>(p => progress.Report(p.Fraction))), cancel);
        // The measured data (chosen images, channel statistics) stays alive while the experiments load their data sets: it
        // is small beside them. The experiments' minutes are theirs, not the report's, in the time printed below.
        var scanTime = clock.Elapsed;
        var appended = appendedSections?.Invoke() ?? [];
        clock.Restart();
        reporter.RunStep("rendering report", progress =>
        {
            var report = CnnReportGenerator.Create(data, new SynchronousProgress<ReportProgress>(p => progress.Report(0.8 * p.Fraction)));
            foreach (var section in appended) section.AddTo(report);
            report.Save(output, new SynchronousProgress<double>(f => progress.Report(0.8 + 0.2 * f)));
            return report;
        }, cancel);
        reporter.Result($"report written to {output.FullPath} ({new FileInfo(output.FullPath).Length / 1e6:F1} MB, {Durations.Describe(scanTime + clock.Elapsed)})");
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
