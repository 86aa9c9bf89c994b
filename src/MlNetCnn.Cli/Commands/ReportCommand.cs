using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Steps;
using MlNetCnn.Experiments;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Reporting.Experiments;

namespace MlNetCnn.Cli.Commands;

/// <summary><c>mlnetcnn report</c>: write the interactive HTML report for a saved model on the CIFAR-10 test split.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var modelAndData = new ModelAndDataOptions();
        var output = CommonOptions.Output("HTML file to write", "report.html");
        var images = ImageIndices.Option("show");
        var experiments = new Option<IReadOnlyList<string>?>("--experiments")
        {
            Description = "Also run experiments on the saved model and append their sections: 'all' or names, comma separated (see `mlnetcnn experiment --help`)",
        }.ParsedAs(text => ExperimentSelection.SelectList(ExperimentRegistry.Default, text), listExample: "receptive-field,top-patches");
        var explain = new Option<bool>("--explain") { Description = "Add \"Where the network looks\": every attribution method's maps with deletion/insertion scores (see `mlnetcnn explain`)" };
        var noExplorer = new Option<bool>("--no-explorer") { Description = "Leave out the network explorer (click any unit to see the convolution that made it); it is on by default" };
        var noFeatures = new Option<bool>("--no-feature-visualization")
        {
            Description = "Leave out each channel's optimized picture (the \"features by depth\" section and the picture beside each channel's top crops in the explorer); it is on by default",
        };
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("report", "Write the interactive HTML report (feature maps, kernels, curves, confusion, worked convolution) for a saved model on the test images of CIFAR-10 or an image folder")
            { output, images, experiments, explain, noExplorer, noFeatures, force, quiet };
        modelAndData.AddTo(command);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var htmlPath = parse.GetValue(output)!;
            var indices = parse.GetValue(images);
            var registry = ExperimentRegistry.Default;
            var experimentNames = parse.GetValue(experiments);
            var mlContext = new MLContext(seed: 1);
            var (page, classifier, dataset) = modelAndData.OpenWithPage(parse, mlContext, htmlPath, parse.GetValue(force), reporter, cancel);
            using var owned = classifier;
            var test = dataset.Test;
            var extra = new List<ICnnReportSection>();
            if (parse.GetValue(explain)) extra.Add(new ExplanationSection());
            // Run after the report's scan, which checks --images first: a bad index is refused before the experiments' minutes.
            Func<IReadOnlyList<IPrebuiltSection>>? appended = experimentNames is null ? null : () =>
            {
                using var context = ExperimentContext.FromDataViews(dataset.Train, dataset.Test, ExperimentBudget.Default, model: classifier.Model, cancellation: cancel);
                // The same loop as `experiment`: one line per finished run, side by side where the cores allow.
                var series = ExperimentStep.RunSeries(reporter, registry, context, experimentNames, [context.Seed],
                    ExperimentRunner.WorkerCount(context, experimentNames.Count));
                return ExperimentReport.Sections(series.SelectMany(s => s.Runs).ToArray(), registry);
            };
            ReportStep.Write(reporter, mlContext, classifier, test, page, indices, extra.Count == 0 ? null : extra, cancel,
                appendedSections: appended, includeExplorer: !parse.GetValue(noExplorer),
                includeFeatureVisualization: !parse.GetValue(noFeatures));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
