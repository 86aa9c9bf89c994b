namespace MlNetCnn.Experiments;

/// <summary>The experiments by name. <see cref="Default"/> holds every experiment of the catalog with its default options.</summary>
public sealed class ExperimentRegistry
{
    private readonly IReadOnlyList<IExperiment> experiments;

    /// <summary>A registry of <paramref name="experiments"/>, in that order.</summary>
    public ExperimentRegistry(IEnumerable<IExperiment> experiments)
    {
        this.experiments = experiments.ToArray();
        var duplicate = this.experiments.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new ArgumentException($"Two experiments are named '{duplicate.Key}'.", nameof(experiments));
    }

    // One line per experiment, named relative to this namespace (each experiment has its own folder and namespace).
    /// <summary>Every experiment of the catalog with its default options, in catalog order (<see cref="Names"/> lists them).</summary>
    public static ExperimentRegistry Default { get; } = new(new IExperiment[]
    {
        new PixelPermutation.PixelPermutationExperiment(),
        new TranslationEquivariance.TranslationEquivarianceExperiment(),
        new ReceptiveField.ReceptiveFieldExperiment(),
        new OrientationProbe.OrientationProbeExperiment(),
        new OcclusionSensitivity.OcclusionSensitivityExperiment(),
        new TopPatches.TopPatchesExperiment(),
        new LinearProbe.LinearProbeExperiment(),
        new DepthSweep.DepthSweepExperiment(),
        new DepthFeatures.DepthFeaturesExperiment(),
        new ExplanationFaithfulness.ExplanationFaithfulnessExperiment(),
    });

    /// <summary>The experiments, in registry order.</summary>
    public IReadOnlyList<IExperiment> All => experiments;

    /// <summary>The experiments' names, in registry order.</summary>
    public IReadOnlyList<string> Names => experiments.Select(e => e.Name).ToArray();

    /// <summary>The experiment called <paramref name="name"/>; false when there is none.</summary>
    public bool TryGet(string name, out IExperiment experiment)
    {
        experiment = experiments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return experiment != null;
    }

    /// <summary>The experiment called <paramref name="name"/> (case-insensitive); the error lists the names that exist.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    /// <exception cref="KeyNotFoundException">No experiment is called <paramref name="name"/>.</exception>
    public IExperiment Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return TryGet(name, out var experiment) ? experiment
            : throw new KeyNotFoundException($"No experiment named '{name}'. Known: {string.Join(", ", Names)}.");
    }
}
