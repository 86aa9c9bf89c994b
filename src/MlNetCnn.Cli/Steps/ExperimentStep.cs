using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data;
using MlNetCnn.Experiments;
using MlNetCnn.IO;
using MlNetCnn.Reporting.Experiments;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>
/// Running experiments from the command line, shared by <c>experiment</c> (which writes their page) and
/// <c>report --experiments</c> (which appends their sections to the CNN report): one loop, one line per finished run.
/// </summary>
public static class ExperimentStep
{
    /// <summary>The page <c>experiment</c> writes without <c>--output</c> (in the current folder); the CNN report links to it.</summary>
    public const string DefaultOutput = "experiments.html";

    /// <summary>Where and how the experiments run.</summary>
    public sealed record Settings(DataLocation Data, ExperimentBudget Budget, string BudgetName, int Seed, int Threads)
    {
        /// <summary>--image-size / --grayscale for image-folder data.</summary>
        public ImageShapeRequest Shape { get; init; } = ImageShapeRequest.None;

        public string DataDirectory => Data.Directory;

        /// <summary>A model file to study instead of training one.</summary>
        public string? ModelPath { get; init; }

        /// <summary>--class-names for a PyTorch model.</summary>
        public IReadOnlyList<string>? ClassNames { get; init; }

        /// <summary>Every experiment runs once per seed, in this order (default: <see cref="Seed"/> alone).</summary>
        public IReadOnlyList<int>? Seeds { get; init; }

        /// <summary>Experiments and their independent trainings share the cores (false: --serial).</summary>
        public bool Parallel { get; init; } = true;
    }

    /// <summary>Printed before a --quick run and on its page.</summary>
    public const string QuickWarning = "--quick is a smoke run: its budget is too small for a verdict, so read \"Supported\", \"Not supported\" and " +
                                       "\"Inconclusive\" as \"it ran\" only (the permutation experiment, for one, often says Not supported under --quick); " +
                                       "run without --quick for evidence.";

    // Appended to each run's line under --quick.
    private const string SmokeOnly = " [--quick: smoke run, verdict not evidence]";

    /// <summary>Runs the experiments (side by side unless settings say otherwise), prints a line per experiment as it ends, writes the page; returns how many failed.</summary>
    /// <param name="output">The page, checked by the command before any work: not asked again.</param>
    public static int Run(ConsoleReporter reporter, ExperimentRegistry registry, IReadOnlyList<string> names, Settings settings, OutputTarget output, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        SimpleCnnTransformer? studied = null;
        using var context = reporter.RunStep(settings.Data.Kind == DataFolderKind.Cifar10 ? "loading CIFAR-10" : "loading images", _ =>
        {
            var ml = new MLContext(settings.Seed);
            Dataset data;
            if (settings.ModelPath is { } path)
                (studied, data) = ModelFiles.OpenWithData(ml, path, settings.Data, settings.Shape, settings.ClassNames, reporter, cancel);
            else
                data = Dataset.Open(ml, settings.Data, settings.Shape, reporter, cancel, seed: settings.Seed);
            return ExperimentContext.FromDataViews(data.Train, data.Test, settings.Budget, settings.Seed, settings.Threads, model: studied?.Model,
                cancellation: cancel, parallel: settings.Parallel);
        });
        using var ownedModel = studied;
        var seeds = settings.Seeds ?? [settings.Seed];
        var workers = ExperimentRunner.WorkerCount(context, names.Count * seeds.Count);
        var seedText = seeds.Count == 1 ? $"seed {seeds[0]}" : $"{seeds.Count} seeds ({string.Join(", ", seeds)})";
        var description = $"{context.Train.Count:N0} training / {context.Test.Count:N0} test images from {settings.DataDirectory}; " +
                          $"{settings.BudgetName} budget ({settings.Budget.Training.Epochs} epoch(s), batch {settings.Budget.Training.BatchSize}), {seedText}, {settings.Threads} thread(s)";
        reporter.Info($"Running {names.Count} experiment(s) on {description}; {(workers > 1 ? $"side by side on {workers} cores" : "one after another")}.");
        // Said before the minutes of work start (and never hidden by --quiet): how long, from a measured cost per run.
        reporter.Result(ExperimentTimeEstimate.Describe(ExperimentTimeEstimate.CpuSeconds(names.Count * seeds.Count, settings.Budget, context.Train.Count),
            workers, ExperimentTimeEstimate.LoadAverage(), Environment.ProcessorCount));
        if (settings.Budget == ExperimentBudget.Quick)
            reporter.Warning(QuickWarning);

        var experimentsClock = Stopwatch.StartNew();
        var series = RunSeries(reporter, registry, context, names, seeds, workers, smokeRun: settings.Budget == ExperimentBudget.Quick);
        var runs = series.SelectMany(s => s.Runs).ToArray();
        reporter.Result($"experiments: {Durations.Describe(experimentsClock.Elapsed)} wall clock ({(workers > 1 ? $"side by side on {workers} cores" : "serial")}), " +
                        $"{Durations.Describe(TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)))} summed over runs" +
                        (context.HasModel ? "; the first experiment needing each seed's model under study trained it" : ""));
        if (seeds.Count > 1)
        {
            reporter.Result("Overall verdicts — " + VerdictOverSeeds.Rule);
            foreach (var s in series)
            {
                reporter.Result(s.Verdict is { } v
                    ? $"{s.Name}: {v.DescribeOverall()} ({v.Agreeing} of {seeds.Count} seeds agree; per seed {string.Join(", ", s.Runs.Select(r => r.Result!.DescribeVerdict()))}) — " +
                      string.Join("; ", s.KeyMeasurements.Select(m => m.Describe())) +
                      (double.IsNaN(v.PValue) ? "" : $"; effect {s.EffectMeasurement} t = {v.T:F2}, p = {v.PValue:G2}")
                    : $"{s.Name}: FAILED in {s.Runs.Count(r => !r.Succeeded)} of {seeds.Count} seeds");
            }
        }

        var options = new ExperimentReportOptions
        {
            Registry = registry,
            Subtitle = $"{names.Count} experiment(s) on {description}" + (settings.Budget == ExperimentBudget.Quick ? ". " + QuickWarning : ""),
            Footer = $"Generated by MlNetCnn (`mlnetcnn experiment`) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.",
        };
        cancel.ThrowIfCancellationRequested();
        reporter.RunStep("writing HTML", progress =>
        {
            var page = ExperimentReport.Create(series, options);
            page.Save(output, progress);
            return page;
        }, cancel);
        reporter.Result(seeds.Count == 1 ? $"{ExperimentReport.Describe(runs).Split(". ")[0]}." : $"{ExperimentReport.Describe(series).Split(". ")[0]}.");
        reporter.Result($"report written to {output.FullPath} ({new FileInfo(output.FullPath).Length / 1e6:F1} MB); total {Durations.Describe(total.Elapsed)}" +
                        (seeds.Count > 1 ? $" for {names.Count} experiment(s) × {seeds.Count} seeds" : ""));
        return runs.Count(r => !r.Succeeded);
    }

    /// <summary>
    /// Runs every experiment of <paramref name="names"/> once per seed on <paramref name="context"/> (side by side when
    /// <paramref name="workers"/> &gt; 1) and prints each run's line as it ends; failures are returned, not thrown.
    /// </summary>
    /// <param name="smokeRun">A --quick budget: each line says its verdict is not evidence.</param>
    public static IReadOnlyList<ExperimentSeries> RunSeries(ConsoleReporter reporter, ExperimentRegistry registry, ExperimentContext context,
        IReadOnlyList<string> names, IReadOnlyList<int> seeds, int workers, bool smokeRun = false)
    {
        var runner = new ExperimentRunner(registry);
        var gate = new object();
        var finished = 0;
        var totalRuns = names.Count * seeds.Count;
        // Runs go side by side, so one progress step counts finished runs and each prints as it ends.
        return reporter.RunStep(workers > 1 ? $"{totalRuns} run(s) on {workers} cores" : $"{totalRuns} run(s)", progress =>
            runner.RunSeeds(context, seeds, names, run =>
            {
                lock (gate)
                {
                    progress.Report((double)++finished / totalRuns);
                    var label = seeds.Count == 1 ? run.Name : $"{run.Name} (seed {run.Seed})";
                    reporter.Result(run.Result is { } result
                        ? ExperimentSelection.Describe(label, result, run.Elapsed) + (smokeRun ? SmokeOnly : "")
                        : $"{label}: FAILED after {Durations.Describe(run.Elapsed)} — {run.Error?.GetType().Name}: {run.Error?.Message}");
                }
            }));
    }
}
