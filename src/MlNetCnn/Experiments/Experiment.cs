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
    /// This experiment's result with its name, title, hypothesis, effect measurement and
    /// <paramref name="measurements"/> filled in; reports "done" first. Add the figures with
    /// <c>with { Charts = … }</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The effect measurement named in the constructor is not among <paramref name="measurements"/>: a typo there
    /// would otherwise give a NaN effect and a silent "Inconclusive" over seeds.
    /// </exception>
    protected ExperimentResult Result(ExperimentContext context, Verdict verdict, string explanation, IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(measurements);
        if (effectMeasurement is not null && !measurements.Any(m => m.Name == effectMeasurement))
        {
            throw new InvalidOperationException(
                $"Experiment '{Name}' names '{effectMeasurement}' as its effect measurement, but measured no such thing; " +
                $"it measured {string.Join(", ", measurements.Select(m => m.Name))}.");
        }

        Report(context, "done", 1);
        return new ExperimentResult
        {
            Name = Name,
            Title = Title,
            Hypothesis = Hypothesis,
            EffectMeasurement = effectMeasurement,
            Verdict = verdict,
            Explanation = explanation,
            Measurements = measurements,
        };
    }

    /// <summary>Reports progress of this experiment (<paramref name="fraction"/> in [0, 1]) and stops when the context is cancelled.</summary>
    protected void Report(ExperimentContext context, string stage, double fraction)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report(Name, stage, fraction);
    }
}
