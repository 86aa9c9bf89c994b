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
        return result with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// How many of <paramref name="count"/> experiments <see cref="RunAll"/> runs at once with this context: one per
    /// core (at most <paramref name="count"/>) when <see cref="ExperimentContext.Parallel"/> is set and
    /// <see cref="ExperimentContext.Threads"/> is 1, otherwise 1.
    /// </summary>
    public static int SideBySide(ExperimentContext context, int count) => IndependentRuns.Workers(context, count);

    /// <summary>
    /// Runs the named experiments (all when <paramref name="names"/> is null); results in registry order. A failing
    /// experiment is recorded with its error and the rest still run; cancellation stops the batch. When the context
    /// allows (<see cref="ExperimentContext.Parallel"/>, one libtorch thread) the experiments run side by side, one per
    /// core: each seeds its own randomness, so the results equal the serial run's. <paramref name="completed"/> hears
    /// of each run as it ends (from the thread that ran it).
    /// </summary>
    public IReadOnlyList<ExperimentRun> RunAll(ExperimentContext context, IEnumerable<string>? names = null, Action<ExperimentRun>? completed = null)
    {
        var selected = names == null ? Registry.All : names.Select(Registry.Get).ToArray();
        var runs = new ExperimentRun?[selected.Count];
        var next = -1;
        Exception? cancelled = null;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < selected.Count && Volatile.Read(ref cancelled) == null)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    var result = Run(selected[i], context);
                    runs[i] = new ExperimentRun(selected[i].Name, result, null, result.Elapsed);
                }
                catch (OperationCanceledException error)
                {
                    Interlocked.CompareExchange(ref cancelled, error, null);
                    return;
                }
                catch (Exception error)
                {
                    runs[i] = new ExperimentRun(selected[i].Name, null, error, clock.Elapsed);
                }
                completed?.Invoke(runs[i]!);
            }
        }
        // Dedicated threads, not the pool: an experiment blocks for minutes and nests its own parallel trainings.
        var workers = Enumerable.Range(0, IndependentRuns.Workers(context, selected.Count) - 1)
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        Work();
        Task.WaitAll(workers);
        if (cancelled != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cancelled).Throw();
        return runs.Select(r => r!).ToArray();
    }
}
