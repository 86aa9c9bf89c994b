using System.Diagnostics;

namespace MlNetCnn.Experiments;

/// <summary>Runs experiments from a registry against one context and times each.</summary>
public sealed class ExperimentRunner
{
    /// <summary>A runner over <paramref name="registry"/> (null: <see cref="ExperimentRegistry.Default"/>).</summary>
    public ExperimentRunner(ExperimentRegistry? registry = null)
    {
        Registry = registry ?? ExperimentRegistry.Default;
    }

    /// <summary>The experiments this runner looks names up in.</summary>
    public ExperimentRegistry Registry { get; }

    /// <summary>Runs the experiment called <paramref name="name"/>; exceptions propagate. The result carries its run time.</summary>
    public ExperimentResult Run(string name, ExperimentContext context) => Run(Registry.Get(name), context);

    /// <summary>Runs <paramref name="experiment"/> after applying the context's seed and thread count; exceptions propagate. The result carries its run time.</summary>
    public static ExperimentResult Run(IExperiment experiment, ExperimentContext context)
    {
        context.Cancellation.ThrowIfCancellationRequested();
        context.ConfigureTorch();
        var clock = Stopwatch.StartNew();
        var result = experiment.Run(context);
        _ = result.KeyValues; // a key name that names no measurement fails the run here, not a summary later
        return result with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// How many of <paramref name="count"/> experiments <see cref="RunAll"/> runs at once with this context: one per
    /// core (at most <paramref name="count"/>) when <see cref="ExperimentContext.Parallel"/> is set and
    /// <see cref="ExperimentContext.Threads"/> is 1, otherwise 1. Public so an app can say how a batch will run before
    /// it starts (the CLI prints "side by side on N cores") without copying this rule.
    /// </summary>
    public static int WorkerCount(ExperimentContext context, int count) => IndependentRuns.Workers(context, count);

    /// <summary>
    /// Runs the named experiments (all when <paramref name="names"/> is null) with the context's seed; results in
    /// registry order. A failing experiment is recorded with its error and the rest still run; cancellation stops the
    /// batch. When the context allows (<see cref="ExperimentContext.Parallel"/>, one libtorch thread) the experiments
    /// run side by side, one per core: each seeds its own randomness, so the results equal the serial run's.
    /// <paramref name="completed"/> hears of each run as it ends (from the thread that ran it).
    /// </summary>
    public IReadOnlyList<ExperimentRun> RunAll(ExperimentContext context, IEnumerable<string>? names = null, Action<ExperimentRun>? completed = null) =>
        RunSeeds(context, [context.Seed], names, completed).Select(s => s.Runs[0]).ToArray();

    /// <summary>
    /// Runs every named experiment (all when <paramref name="names"/> is null) once per seed in
    /// <paramref name="seeds"/>, on the context's data and budget, and returns one <see cref="ExperimentSeries"/> per
    /// experiment in registry order, its runs in seed order. Each seed gets its own context
    /// (<see cref="ExperimentContext.WithSeed"/>): a model given to <paramref name="context"/> is shared, otherwise each
    /// seed trains its own. All (experiment, seed) runs share the cores as <see cref="RunAll"/>'s experiments do; each
    /// seeds its own randomness, so every seed's numbers equal a one-seed run with that seed. Failures are recorded
    /// per run; cancellation stops the batch.
    /// </summary>
    /// <exception cref="ArgumentException">No seeds, or a seed repeated.</exception>
    public IReadOnlyList<ExperimentSeries> RunSeeds(ExperimentContext context, IReadOnlyList<int> seeds, IEnumerable<string>? names = null, Action<ExperimentRun>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("At least one seed is needed.", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"Seeds must differ: {string.Join(", ", seeds)}.", nameof(seeds));
        var selected = names == null ? Registry.All : names.Select(Registry.Get).ToArray();
        var contexts = seeds.Select(s => s == context.Seed ? context : context.WithSeed(s)).ToArray();
        try
        {
            // Experiment-major order: the seeds of one experiment run side by side, so the per-seed models the later
            // experiments share are trained in parallel rather than one seed's experiments waiting on one training.
            var items = selected.SelectMany((e, i) => contexts.Select((c, j) => (Experiment: e, Index: i, SeedIndex: j, Context: c))).ToArray();
            ExperimentRun RunOne(int i)
            {
                var (experiment, _, _, seedContext) = items[i];
                var clock = Stopwatch.StartNew();
                ExperimentRun run;
                try
                {
                    var result = Run(experiment, seedContext);
                    run = new ExperimentRun(experiment.Name, result, null, result.Elapsed) { Seed = seedContext.Seed };
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // A failing experiment is recorded and the rest still run; cancellation stops the batch.
                    run = new ExperimentRun(experiment.Name, null, error, clock.Elapsed) { Seed = seedContext.Seed };
                }
                completed?.Invoke(run);
                return run;
            }
            var runs = IndependentRuns.Run(context, items.Length, RunOne);
            return selected.Select((e, i) => new ExperimentSeries(e.Name,
                Enumerable.Range(0, contexts.Length).Select(j => runs[i * contexts.Length + j]).ToArray())).ToArray();
        }
        finally
        {
            foreach (var c in contexts.Where(c => !ReferenceEquals(c, context))) c.Dispose();
        }
    }
}
