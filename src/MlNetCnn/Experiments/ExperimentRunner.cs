using System.Diagnostics;

namespace MlNetCnn.Experiments;

/// <summary>Runs experiments from a registry against one context and times each.</summary>
public sealed class ExperimentRunner
{
    public ExperimentRunner(ExperimentRegistry? registry = null)
    {
        Registry = registry ?? ExperimentRegistry.Default;
    }

    public ExperimentRegistry Registry { get; }

    /// <summary>Runs the experiment called <paramref name="name"/>; exceptions propagate. The result carries its run time.</summary>
    public ExperimentResult Run(string name, ExperimentContext context) => Run(Registry.Get(name), context);

    public static ExperimentResult Run(IExperiment experiment, ExperimentContext context)
    {
        context.Cancellation.ThrowIfCancellationRequested();
        context.ConfigureTorch();
        var clock = Stopwatch.StartNew();
        var result = experiment.Run(context);
        return result with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// Runs the named experiments (all when <paramref name="names"/> is null) in registry order. A failing experiment is
    /// recorded with its error and the rest still run; cancellation stops the batch.
    /// </summary>
    public IReadOnlyList<ExperimentRun> RunAll(ExperimentContext context, IEnumerable<string>? names = null)
    {
        var selected = names == null ? Registry.All : names.Select(Registry.Get).ToArray();
        var runs = new List<ExperimentRun>();
        foreach (var experiment in selected)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var result = Run(experiment, context);
                runs.Add(new ExperimentRun(experiment.Name, result, null, result.Elapsed));
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception error)
            {
                runs.Add(new ExperimentRun(experiment.Name, null, error, clock.Elapsed));
            }
        }
        return runs;
    }
}
