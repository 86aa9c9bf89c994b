using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Cli.Output;
using MlNetCnn.Experiments;
using MlNetCnn.Reporting.Experiments;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn experiment &lt;name&gt;|all</c>: runs experiments from the catalog on CIFAR-10, prints each one's time,
/// verdict and key numbers, and writes them to one HTML page (summary first, one section per experiment).
/// </summary>
public static class ExperimentCommand
{
    public const string All = "all";

    public static Command Create(ExperimentRegistry? registry = null)
    {
        registry ??= ExperimentRegistry.Default;
        var name = new Argument<string>("name") { Description = $"Experiment to run, or '{All}': {string.Join(", ", registry.Names)}" };
        var output = CommonOptions.Output("HTML file to write", "experiments.html");
        var quick = new Option<bool>("--quick") { Description = "Smoke-run budget: 1 epoch on at most 1,000 training and 300 test images" };
        var data = CommonOptions.Data();
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Study this trained model (a file from `mlnetcnn train --output` or a PyTorch state_dict .pth) instead of training one; experiments that train their own networks still do",
        };
        var classNames = CommonOptions.ClassNames();
        var imageSize = CommonOptions.ImageSize();
        var grayscale = CommonOptions.Grayscale();
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("experiment", "Run experiments on why convolutions detect local spatial patterns and write their HTML report")
            { name, output, data, model, classNames, imageSize, grayscale, seed, threads, quick, force, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), reporter =>
        {
            var names = Select(registry, parse.GetValue(name));
            var htmlPath = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            // Refuse before minutes of work, not after.
            CommonOptions.EnsureWritable(htmlPath, overwrite);
            var shape = CommonOptions.ShapeRequest(parse, imageSize, grayscale);
            var source = new DataResolver(reporter).ResolveSource(parse.GetValue(data));
            var budget = parse.GetValue(quick) ? ExperimentBudget.Quick : ExperimentBudget.Default;
            var settings = new Settings(source, budget, parse.GetValue(quick) ? "quick" : "default", parse.GetValue(seed), parse.GetValue(threads) ?? 1)
            {
                Shape = shape,
                ModelPath = parse.GetValue(model),
                ClassNames = ModelFiles.ParseClassNames(parse.GetValue(classNames)),
            };
            var failed = Run(reporter, registry, names, settings, htmlPath, overwrite, cancel);
            if (failed > 0)
                throw new CliException(ExitCodes.UnexpectedError, $"{failed} of {names.Count} experiment(s) failed; the report shows why.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>Where and how the experiments run.</summary>
    public sealed record Settings(DataSource Data, ExperimentBudget Budget, string BudgetName, int Seed, int Threads)
    {
        /// <summary>--image-size / --grayscale for image-folder data.</summary>
        public ImageShapeRequest Shape { get; init; } = ImageShapeRequest.None;

        public string DataDirectory => Data.Directory;

        /// <summary>A model file to study instead of training one.</summary>
        public string? ModelPath { get; init; }

        /// <summary>--class-names for a PyTorch model.</summary>
        public IReadOnlyList<string>? ClassNames { get; init; }
    }

    /// <summary>The experiments <paramref name="name"/> selects ("all" or one registry name); a usage error lists the valid names.</summary>
    public static IReadOnlyList<string> Select(ExperimentRegistry registry, string? name)
    {
        if (string.Equals(name, All, StringComparison.OrdinalIgnoreCase)) return registry.Names;
        if (name != null && registry.TryGet(name, out var experiment)) return [experiment.Name];
        throw new CliException(ExitCodes.UsageError,
            $"Unknown experiment '{name}'. Valid names: {All}, {string.Join(", ", registry.Names)}.");
    }

    /// <summary>Runs the experiments one progress step each, prints a line per experiment, writes the page; returns how many failed.</summary>
    public static int Run(ConsoleReporter reporter, ExperimentRegistry registry, IReadOnlyList<string> names, Settings settings, string htmlPath, bool overwrite, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        IProgress<double>? step = null;
        var sink = new SynchronousProgress<ExperimentProgress>(p => step?.Report(p.Fraction * 100));
        SimpleCnnTransformer? studied = null;
        using var context = reporter.RunStep(settings.Data.Kind == DatasetKind.Cifar10 ? "loading CIFAR-10" : "loading images", _ =>
        {
            var ml = new MLContext(settings.Seed);
            Dataset data;
            if (settings.ModelPath is { } path)
                (studied, data) = ModelFiles.OpenWithData(ml, path, settings.Data, settings.Shape, settings.ClassNames, reporter);
            else
                data = Dataset.Open(ml, settings.Data, settings.Shape, reporter, seed: settings.Seed);
            return ExperimentContext.FromDataViews(data.Train, data.Test, settings.Budget, settings.Seed, settings.Threads, model: studied?.Model, progress: sink, cancellation: cancel);
        });
        using var ownedModel = studied;
        var description = $"{context.Train.Count:N0} training / {context.Test.Count:N0} test images from {settings.DataDirectory}; " +
                          $"{settings.BudgetName} budget ({settings.Budget.Epochs} epoch(s), batch {settings.Budget.BatchSize}), seed {settings.Seed}, {settings.Threads} thread(s)";
        reporter.Info($"Running {names.Count} experiment(s) on {description}.");

        var runner = new ExperimentRunner(registry);
        var runs = new List<ExperimentRun>();
        foreach (var experimentName in names)
        {
            var hadModel = context.HasModel;
            var run = reporter.RunStep(experimentName, progress =>
            {
                step = progress;
                try
                {
                    return runner.RunAll(context, [experimentName])[0];
                }
                finally
                {
                    step = null;
                }
            });
            runs.Add(run);
            var trained = !hadModel && context.HasModel ? $" (includes training the model under study, {settings.Budget.Epochs} epoch(s))" : "";
            reporter.Result(run.Result is { } result
                ? $"{experimentName}: {ExperimentText.Describe(result.Verdict)} in {ExperimentText.Duration(run.Elapsed)}{trained} — {ExperimentText.KeyNumbers(result)}"
                : $"{experimentName}: FAILED after {ExperimentText.Duration(run.Elapsed)}{trained} — {run.Error?.GetType().Name}: {run.Error?.Message}");
        }

        var options = new ExperimentReportOptions
        {
            Registry = registry,
            Subtitle = $"{names.Count} experiment(s) on {description}",
            Footer = $"Generated by MlNetCnn (`mlnetcnn experiment`) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.",
        };
        reporter.RunStep("writing HTML", progress =>
            ExperimentReport.Write(htmlPath, runs, options, overwrite, new SynchronousProgress<int>(p => progress.Report(p))));
        reporter.Result($"{ExperimentReport.Describe(runs).Split(". ")[0]}.");
        reporter.Result($"report written to {Path.GetFullPath(htmlPath)} ({new FileInfo(htmlPath).Length / 1e6:F1} MB); total {ExperimentText.Duration(total.Elapsed)}");
        return runs.Count(r => !r.Succeeded);
    }
}
