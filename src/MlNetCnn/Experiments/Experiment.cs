namespace MlNetCnn.Experiments;

/// <summary>
/// The scaffold every experiment of the catalog shares: its name, title, hypothesis and effect measurement, stated once
/// in the constructor, and <see cref="Result"/>, which writes them into the result and reports "done". A subclass
/// only measures and decides.
/// </summary>
public abstract class Experiment : IExperiment
{
    // Private: it only travels into the result (ExperimentResult.EffectMeasurement), where VerdictOverSeeds reads it.
    private readonly string? effectMeasurement;

    /// <param name="name">Short registry key, e.g. "permutation".</param>
    /// <param name="title">A human-readable title for reports.</param>
    /// <param name="hypothesis">The claim under test, stated before anything is measured.</param>
    /// <param name="effectMeasurement">The measurement that is the result's effect over seeds (see <see cref="ExperimentResult.EffectMeasurement"/>); null for none.</param>
    protected Experiment(string name, string title, string hypothesis, string? effectMeasurement = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(hypothesis);
        Name = name;
        Title = title;
        Hypothesis = hypothesis;
        this.effectMeasurement = effectMeasurement;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Title { get; }

    /// <inheritdoc />
    public string Hypothesis { get; }

    /// <inheritdoc />
    public abstract ExperimentResult Run(ExperimentContext context);

    /// <summary>
    /// This experiment's result with its name, title, hypothesis and effect measurement filled in; reports "done"
    /// first. Add the numbers and figures with <c>with { Measurements = …, Charts = … }</c>.
    /// </summary>
    protected ExperimentResult Result(ExperimentContext context, Verdict verdict, string explanation)
    {
        ArgumentNullException.ThrowIfNull(context);
        Report(context, "done", 1);
        return new ExperimentResult
        {
            Name = Name,
            Title = Title,
            Hypothesis = Hypothesis,
            EffectMeasurement = effectMeasurement,
            Verdict = verdict,
            Explanation = explanation,
        };
    }

    /// <summary>Reports progress of this experiment (<paramref name="fraction"/> in [0, 1]) and stops when the context is cancelled.</summary>
    protected void Report(ExperimentContext context, string stage, double fraction)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report(Name, stage, fraction);
    }
}
