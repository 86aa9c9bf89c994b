namespace MlNetCnn.Experiments;

/// <summary>
/// One experiment run once per seed: the runs in seed order, the overall verdict by <see cref="VerdictOverSeeds.Rule"/>
/// and each key measurement's mean, spread and per-seed values.
/// </summary>
public sealed class ExperimentSeries
{
    /// <summary>The runs of experiment <paramref name="name"/>, one per seed, in seed order.</summary>
    /// <exception cref="ArgumentException">No runs, or a run of another experiment.</exception>
    public ExperimentSeries(string name, IReadOnlyList<ExperimentRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException($"Experiment '{name}' needs at least one run.", nameof(runs));
        if (runs.FirstOrDefault(r => r.Name != name) is { } other)
            throw new ArgumentException($"Run of '{other.Name}' among the runs of '{name}'.", nameof(runs));
        Name = name;
        Runs = runs.ToArray();
        if (Succeeded)
        {
            var results = Runs.Select(r => r.Result!).ToArray();
            Verdict = VerdictOverSeeds.Decide(results.Select(r => r.Verdict).ToArray(), results.Select(r => r.Effect).ToArray());
        }
    }

    /// <summary>The experiment's registry name.</summary>
    public string Name { get; }

    /// <summary>One run per seed, in seed order.</summary>
    public IReadOnlyList<ExperimentRun> Runs { get; }

    /// <summary>The seeds, in order.</summary>
    public IReadOnlyList<int> Seeds => Runs.Select(r => r.Seed).ToArray();

    /// <summary>Whether every seed produced a result.</summary>
    public bool Succeeded => Runs.All(r => r.Succeeded);

    /// <summary>The overall verdict over the seeds; null when any seed failed.</summary>
    public VerdictOverSeeds? Verdict { get; }

    /// <summary>The first seed's result (title, hypothesis and figures the page shows), or null when it failed.</summary>
    public ExperimentResult? First => Runs[0].Result;

    /// <summary>The measurement each seed's verdict is scored by (<see cref="ExperimentResult.EffectMeasurement"/>).</summary>
    public string? EffectMeasurement => Runs.Select(r => r.Result?.EffectMeasurement).FirstOrDefault(n => n != null);

    /// <summary>Run time summed over the seeds.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Runs.Sum(r => r.Elapsed.Ticks));

    /// <summary>
    /// The key measurements (those of the first successful seed's <see cref="ExperimentResult.KeyMeasurements"/>, then
    /// the effect) over the seeds that measured them.
    /// </summary>
    public IReadOnlyList<MeasurementSummary> KeyMeasurements
    {
        get
        {
            var first = Runs.Select(r => r.Result).FirstOrDefault(r => r != null);
            if (first == null) return Array.Empty<MeasurementSummary>();
            var names = first.KeyValues.Select(m => m.Name).ToList();
            if (first.EffectMeasurement is { } effect && !names.Contains(effect)) names.Add(effect);
            return names.Select(Summarize).OfType<MeasurementSummary>().ToArray();
        }
    }

    /// <summary>The measurement <paramref name="name"/> over the seeds that measured it, or null when none did.</summary>
    public MeasurementSummary? Summarize(string name)
    {
        var found = Runs.Select(r => r.Result?.Measurements.FirstOrDefault(m => m.Name == name)).OfType<Measurement>().ToArray();
        return found.Length == 0 ? null : new MeasurementSummary(name, found[0].Unit, found.Select(m => m.Value).ToArray());
    }
}
