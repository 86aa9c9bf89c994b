using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Output;
using MlNetCnn.Cli.Steps;
using MlNetCnn.Data;
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
    public const string All = ExperimentSelection.All;

    /// <summary>Seeds <c>experiment all</c> runs when neither --seeds nor --seed is given: 1..5.</summary>
    public const int DefaultSeedsForAll = 5;

    /// <summary>The page <c>experiment</c> writes without <c>--output</c> (in the current folder); the CNN report links to it.</summary>
    public const string DefaultOutput = "experiments.html";

    /// <summary>Largest seed count <c>--seeds K</c> accepts.</summary>
    public const int MaxSeeds = 100;

    public static Command Create(ExperimentRegistry? registry = null)
    {
        registry ??= ExperimentRegistry.Default;
        var name = new Argument<string>("name") { Description = $"Experiment to run, or '{All}': {string.Join(", ", registry.Names)}" };
        var output = CommonOptions.Output("HTML file to write", DefaultOutput);
        var quick = new Option<bool>("--quick") { Description = QuickDescription(ExperimentBudget.Quick) };
        var data = CommonOptions.Data();
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Study this trained model (a file from `mlnetcnn train --output` or a PyTorch state_dict .pth) instead of training one; experiments that train their own networks still do",
        };
        var classNames = CommonOptions.ClassNames();
        var imageSize = CommonOptions.ImageSize();
        var grayscale = CommonOptions.Grayscale();
        var seed = CommonOptions.Seed();
        var seeds = new Option<string?>("--seeds")
        {
            Description = $"Run every experiment once per seed: a count K (seeds 1..K) or a list such as 3,7,11, comma separated; default {DefaultSeedsForAll} for '{All}', else --seed (not both)",
        }.CommaSeparated("3,7,11").Parsed(ParseSeeds);
        var threads = CommonOptions.Threads();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var serial = new Option<bool>("--serial") { Description = "Run experiments and their trainings one after another (same results; by default they share the cores when --threads is 1)" };
        var command = new Command("experiment", "Run experiments on why convolutions detect local spatial patterns and write their HTML report. " + BudgetDescription(registry))
            { name, output, data, model, classNames, imageSize, grayscale, seed, seeds, threads, quick, serial, force, quiet };
        // --seeds names every seed: a --seed beside it would be silently ignored.
        OptionChecks.Exclusive(command, seed, seeds);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var names = ExperimentSelection.Select(registry, parse.GetValue(name));
            var htmlPath = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            // Refuse before minutes of work, not after.
            CommonOptions.EnsureNotAnInput(htmlPath, ("--model", parse.GetValue(model)), ("--data", parse.GetValue(data)));
            CommonOptions.EnsureWritable(htmlPath, overwrite);
            var shape = CommonOptions.ShapeRequest(parse, imageSize, grayscale);
            var source = new DataResolver(reporter).ResolveSource(parse.GetValue(data), cancel);
            CommonOptions.EnsureNotAnInput(htmlPath, ("--data", source.Directory));
            var budget = parse.GetValue(quick) ? ExperimentBudget.Quick : ExperimentBudget.Default;
            var seedList = parse.GetValue(seeds) is { } seedText ? ParseSeeds(seedText)
                : parse.GetResult(seed) is { Implicit: false } || names.Count != registry.Names.Count ? [parse.GetValue(seed)]
                : Enumerable.Range(1, DefaultSeedsForAll).ToArray();
            var settings = new Settings(source, budget, parse.GetValue(quick) ? "quick" : "default", seedList[0], CommonOptions.CapThreads(parse.GetValue(threads), reporter) ?? 1)
            {
                Seeds = seedList,
                Shape = shape,
                ModelPath = parse.GetValue(model),
                ClassNames = ModelFiles.ParseClassNames(parse.GetValue(classNames)),
                Parallel = !parse.GetValue(serial),
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

        /// <summary>Every experiment runs once per seed, in this order (default: <see cref="Seed"/> alone).</summary>
        public IReadOnlyList<int>? Seeds { get; init; }

        /// <summary>Experiments and their independent trainings share the cores (false: --serial).</summary>
        public bool Parallel { get; init; } = true;
    }

    /// <summary>
    /// The seeds --seeds names: a count K means seeds 1..K (1 ≤ K ≤ <see cref="MaxSeeds"/>); a comma-separated list
    /// names them (distinct, non-negative whole numbers). Anything else is a usage error naming --seeds.
    /// </summary>
    public static IReadOnlyList<int> ParseSeeds(string? text)
    {
        static CliException Error(string? text, string why) => new(ExitCodes.UsageError,
            $"--seeds must be a count K (seeds 1..K, 1 to {MaxSeeds}) or a comma-separated list of distinct non-negative whole numbers such as 3,7,11; got '{text}': {why}.");
        if (string.IsNullOrWhiteSpace(text)) throw Error(text, "no value");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                throw Error(text, $"'{part}' is not a non-negative whole number");
            values.Add(value);
        }

        if (values.Count == 1)
        {
            var count = values[0];
            if (count < 1 || count > MaxSeeds) throw Error(text, $"a count must be 1 to {MaxSeeds}");
            return Enumerable.Range(1, count).ToArray();
        }

        if (values.Distinct().Count() != values.Count) throw Error(text, "a seed is repeated");
        return values;
    }

    // Read from the library's Quick budget so the help cannot drift from it.
    private static string QuickDescription(ExperimentBudget quick) => string.Create(CultureInfo.InvariantCulture,
        $"Smoke-run budget: {quick.Epochs} epoch{(quick.Epochs == 1 ? "" : "s")} on at most {quick.TrainImages:N0} training and {quick.TestImages:N0} test images. Its verdicts only show that the code runs: too small a budget to support or refute anything");

    /// <summary>Printed before a --quick run and on its page.</summary>
    public const string QuickWarning = "--quick is a smoke run: its budget is too small for a verdict, so read \"Supported\", \"Not supported\" and " +
                                       "\"Inconclusive\" as \"it ran\" only (the permutation experiment, for one, often says Not supported under --quick); " +
                                       "run without --quick for evidence.";

    // Appended to each run's line under --quick.
    private const string SmokeOnly = " [--quick: smoke run, verdict not evidence]";

    /// <summary>The budget line of `experiment --help`: what `all` runs and how long it takes, from the measured cost per run.</summary>
    private static string BudgetDescription(ExperimentRegistry registry)
    {
        var runs = registry.Names.Count * DefaultSeedsForAll;
        var cpu = ExperimentTimeEstimate.CpuSeconds(runs, ExperimentTimeEstimate.ReferenceTrainImages, ExperimentBudget.Default.Epochs);
        return string.Create(CultureInfo.InvariantCulture,
            $"Budget: '{All}' runs {registry.Names.Count} experiments × {DefaultSeedsForAll} seeds = {runs} runs of {ExperimentBudget.Default.Epochs} epochs each: about {cpu:N0} CPU s on {ExperimentTimeEstimate.ReferenceTrainImages:N0} training images, {ExperimentTimeEstimate.Readable(cpu / 2)} on an idle 2-core machine (longer under load; it prints its own estimate before it starts). --quick takes seconds per experiment");
    }

    /// <summary>Runs the experiments (side by side unless settings say otherwise), prints a line per experiment as it ends, writes the page; returns how many failed.</summary>
    public static int Run(ConsoleReporter reporter, ExperimentRegistry registry, IReadOnlyList<string> names, Settings settings, string htmlPath, bool overwrite, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        SimpleCnnTransformer? studied = null;
        using var context = reporter.RunStep(settings.Data.Kind == DataFolderKind.Cifar10 ? "loading CIFAR-10" : "loading images", _ =>
        {
            var ml = new MLContext(settings.Seed);
            Dataset data;
            if (settings.ModelPath is { } path)
                (studied, data) = ModelFiles.OpenWithData(ml, path, settings.Data, settings.Shape, settings.ClassNames, reporter);
            else
                data = Dataset.Open(ml, settings.Data, settings.Shape, reporter, seed: settings.Seed);
            return ExperimentContext.FromDataViews(data.Train, data.Test, settings.Budget, settings.Seed, settings.Threads, model: studied?.Model,
                cancellation: cancel, parallel: settings.Parallel);
        });
        using var ownedModel = studied;
        var seeds = settings.Seeds ?? [settings.Seed];
        var workers = ExperimentRunner.WorkerCount(context, names.Count * seeds.Count);
        var seedText = seeds.Count == 1 ? $"seed {seeds[0]}" : $"{seeds.Count} seeds ({string.Join(", ", seeds)})";
        var description = $"{context.Train.Count:N0} training / {context.Test.Count:N0} test images from {settings.DataDirectory}; " +
                          $"{settings.BudgetName} budget ({settings.Budget.Epochs} epoch(s), batch {settings.Budget.BatchSize}), {seedText}, {settings.Threads} thread(s)";
        reporter.Info($"Running {names.Count} experiment(s) on {description}; {(workers > 1 ? $"side by side on {workers} cores" : "one after another")}.");
        // Said before the minutes of work start (and never hidden by --quiet): how long, from a measured cost per run.
        reporter.Result(ExperimentTimeEstimate.Describe(ExperimentTimeEstimate.CpuSeconds(names.Count * seeds.Count, settings.Budget, context.Train.Count),
            workers, ExperimentTimeEstimate.LoadAverage(), Environment.ProcessorCount));
        if (settings.Budget == ExperimentBudget.Quick)
            reporter.Warning(QuickWarning);

        var runner = new ExperimentRunner(registry);
        var gate = new object();
        var finished = 0;
        var totalRuns = names.Count * seeds.Count;
        var experimentsClock = Stopwatch.StartNew();
        // Runs go side by side, so one progress step counts finished runs and each prints as it ends.
        var series = reporter.RunStep(workers > 1 ? $"{totalRuns} run(s) on {workers} cores" : $"{totalRuns} run(s)", progress =>
            runner.RunSeeds(context, seeds, names, run =>
            {
                lock (gate)
                {
                    progress.Report((double)++finished / totalRuns);
                    var label = seeds.Count == 1 ? run.Name : $"{run.Name} (seed {run.Seed})";
                    reporter.Result(run.Result is { } result
                        ? ExperimentSelection.Describe(label, result, run.Elapsed) + (settings.Budget == ExperimentBudget.Quick ? SmokeOnly : "")
                        : $"{label}: FAILED after {Durations.Describe(run.Elapsed)} — {run.Error?.GetType().Name}: {run.Error?.Message}");
                }
            }));
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
            ExperimentReport.Write(htmlPath, series, options, overwrite, progress));
        reporter.Result(seeds.Count == 1 ? $"{ExperimentReport.Describe(runs).Split(". ")[0]}." : $"{ExperimentReport.Describe(series).Split(". ")[0]}.");
        reporter.Result($"report written to {Path.GetFullPath(htmlPath)} ({new FileInfo(htmlPath).Length / 1e6:F1} MB); total {Durations.Describe(total.Elapsed)}" +
                        (seeds.Count > 1 ? $" for {names.Count} experiment(s) × {seeds.Count} seeds" : ""));
        return runs.Count(r => !r.Succeeded);
    }
}
