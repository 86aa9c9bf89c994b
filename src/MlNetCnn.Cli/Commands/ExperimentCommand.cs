using System.CommandLine;
using System.Globalization;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Cli.Steps;
using MlNetCnn.Experiments;

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

    /// <summary>Largest seed count <c>--seeds K</c> accepts.</summary>
    public const int MaxSeeds = 100;

    public static Command Create(ExperimentRegistry? registry = null)
    {
        registry ??= ExperimentRegistry.Default;
        // Typed when parsed, as the options are: an unknown name is a parse error listing the valid ones.
        var name = new Argument<IReadOnlyList<string>>("name") { Description = $"Experiment to run, or '{All}': {string.Join(", ", registry.Names)}" }
            .ParsedAs(text => ExperimentSelection.Select(registry, text));
        var output = CommonOptions.Output("HTML file to write", ExperimentStep.DefaultOutput);
        var quick = new Option<bool>("--quick") { Description = QuickDescription(ExperimentBudget.Quick) };
        // Without --model the experiments train the network they study.
        var modelAndData = new ModelAndDataOptions(modelRequired: false);
        var seed = CommonOptions.Seed();
        var seeds = new Option<IReadOnlyList<int>?>("--seeds")
        {
            Description = $"Run every experiment once per seed: a count K (seeds 1..K) or a list such as 3,7,11, comma separated; default {DefaultSeedsForAll} for '{All}', else --seed (not both)",
        }.ParsedAs(ParseSeeds, listExample: "3,7,11");
        var threads = CommonOptions.Threads();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var serial = new Option<bool>("--serial") { Description = "Run experiments and their trainings one after another (same results; by default they share the cores when --threads is 1)" };
        var command = new Command("experiment", "Run experiments on why convolutions detect local spatial patterns and write their HTML report. " +
            "With --model they study that trained model instead of training one (experiments that train their own networks still do). " + BudgetDescription(registry))
            { name, output };
        modelAndData.AddTo(command);
        foreach (var option in new Option[] { seed, seeds, threads, quick, serial, force, quiet }) command.Options.Add(option);
        // --seeds names every seed: a --seed beside it would be silently ignored.
        OptionChecks.Exclusive(command, seed, seeds);
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var names = parse.GetValue(name)!;
            var htmlPath = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            // Refuse before minutes of work, not after.
            var modelPath = parse.GetValue(modelAndData.Model);
            var (page, source) = modelAndData.LocateWithPage(parse, htmlPath, overwrite, reporter, cancel);
            var budget = parse.GetValue(quick) ? ExperimentBudget.Quick : ExperimentBudget.Default;
            var seedList = parse.GetValue(seeds) is { } chosenSeeds ? chosenSeeds
                : parse.GetResult(seed) is { Implicit: false } || names.Count != registry.Names.Count ? [parse.GetValue(seed)]
                : Enumerable.Range(1, DefaultSeedsForAll).ToArray();
            var settings = new ExperimentStep.Settings(source, budget, parse.GetValue(quick) ? "quick" : "default", seedList[0], CommonOptions.CapThreads(parse.GetValue(threads), reporter) ?? 1)
            {
                Seeds = seedList,
                Shape = modelAndData.Shape(parse),
                ModelPath = modelPath,
                ClassNames = parse.GetValue(modelAndData.ClassNames),
                Parallel = !parse.GetValue(serial),
            };
            var failed = ExperimentStep.Run(reporter, registry, names, settings, page, cancel);
            if (failed > 0)
                throw new CliException(ExitCodes.UnexpectedError, $"{failed} of {names.Count} experiment(s) failed; the report shows why.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
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
        $"Smoke-run budget: {quick.Training.Epochs} epoch{(quick.Training.Epochs == 1 ? "" : "s")} on at most {quick.TrainImages:N0} training and {quick.TestImages:N0} test images. Its verdicts only show that the code runs: too small a budget to support or refute anything");

    /// <summary>The budget line of `experiment --help`: what `all` runs and how long it takes, from the measured cost per run.</summary>
    private static string BudgetDescription(ExperimentRegistry registry)
    {
        var runs = registry.Names.Count * DefaultSeedsForAll;
        var cpu = ExperimentTimeEstimate.CpuSeconds(runs, ExperimentTimeEstimate.ReferenceTrainImages, ExperimentBudget.Default.Training.Epochs);
        return string.Create(CultureInfo.InvariantCulture,
            $"Budget: '{All}' runs {registry.Names.Count} experiments × {DefaultSeedsForAll} seeds = {runs} runs of {ExperimentBudget.Default.Training.Epochs} epochs each: about {cpu:N0} CPU s on {ExperimentTimeEstimate.ReferenceTrainImages:N0} training images, {ExperimentTimeEstimate.Readable(cpu / 2)} on an idle 2-core machine (longer under load; it prints its own estimate before it starts). --quick takes seconds per experiment");
    }

}
