using MlNetCnn.Experiments.Figures;

namespace MlNetCnn.Experiments;

/// <summary>
/// What an experiment measured and concluded, as plain data: named numbers, a verdict with an explanation generated
/// from those numbers, and figure data (heatmaps, pictures, charts, tables) for a report to render.
/// </summary>
public sealed record ExperimentResult
{
    /// <summary>The experiment's registry name.</summary>
    public required string Name { get; init; }

    /// <summary>The experiment's title.</summary>
    public required string Title { get; init; }

    /// <summary>The claim the experiment tests.</summary>
    public required string Hypothesis { get; init; }

    /// <summary>What the measurements say about the hypothesis.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Why the verdict follows from the numbers; written from the measured values, not canned.</summary>
    public required string Explanation { get; init; }

    /// <summary>Every named number the experiment measured.</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = Array.Empty<Measurement>();

    /// <summary>
    /// Names of the few measurements that summarise the result (for summary tables and one-line findings), in order;
    /// empty means the first three measurements.
    /// </summary>
    public IReadOnlyList<string> KeyMeasurements { get; init; } = Array.Empty<string>();

    /// <summary>The measurements named by <see cref="KeyMeasurements"/>, or the first three when it names none.</summary>
    /// <exception cref="InvalidOperationException">
    /// A key name matches no measurement: a typo would otherwise drop that number from every summary silently.
    /// <see cref="ExperimentRunner.Run(IExperiment, ExperimentContext)"/> reads this, so such a run fails when it ends.
    /// </exception>
    public IReadOnlyList<Measurement> KeyValues =>
        KeyMeasurements.Count == 0
            ? Measurements.Take(3).ToArray()
            : KeyMeasurements.Select(n => Measurements.FirstOrDefault(m => m.Name == n) ?? throw new InvalidOperationException(
                $"Experiment '{Name}' names '{n}' as a key measurement, but measured no such thing; it measured {string.Join(", ", Measurements.Select(m => m.Name))}.")).ToArray();

    /// <summary>
    /// Name of the measurement that is this result's effect for <see cref="VerdictOverSeeds"/>: positive in the
    /// direction the hypothesis predicts, zero for no effect. Null: the experiment names none, and over several seeds
    /// it is decided on the seeds' verdicts alone (no pooled test, so never Supported).
    /// </summary>
    public string? EffectMeasurement { get; init; }

    /// <summary>The value of <see cref="EffectMeasurement"/>, or NaN when none is named or measured.</summary>
    public double Effect =>
        EffectMeasurement is { } name && Measurements.FirstOrDefault(m => m.Name == name) is { } m ? m.Value : double.NaN;

    /// <summary>Heatmap figures for a report.</summary>
    public IReadOnlyList<HeatmapFigure> Heatmaps { get; init; } = Array.Empty<HeatmapFigure>();

    /// <summary>Picture figures for a report.</summary>
    public IReadOnlyList<ImageFigure> Images { get; init; } = Array.Empty<ImageFigure>();

    /// <summary>Chart figures for a report.</summary>
    public IReadOnlyList<ChartFigure> Charts { get; init; } = Array.Empty<ChartFigure>();

    /// <summary>Table figures for a report.</summary>
    public IReadOnlyList<TableFigure> Tables { get; init; } = Array.Empty<TableFigure>();

    /// <summary>Wall-clock time of <see cref="IExperiment.Run"/>; set by <see cref="ExperimentRunner"/>.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The verdict in words, as the report writes it: "Supported", "Not supported" or "Inconclusive".</summary>
    public string DescribeVerdict() => ExperimentText.Describe(Verdict);

    /// <summary>
    /// The key measurements (<see cref="KeyValues"/>) as "name value" pairs, as the report's summary writes them, e.g.
    /// "cnn.original.accuracy 47.1%, cnn.permuted.accuracy 38.2%" (invariant culture).
    /// </summary>
    public string DescribeKeyNumbers() => ExperimentText.KeyNumbers(this);

    /// <summary>The value of the measurement called <paramref name="name"/>.</summary>
    public double Value(string name) =>
        Measurements.FirstOrDefault(m => m.Name == name)?.Value
        ?? throw new KeyNotFoundException($"Experiment '{Name}' has no measurement '{name}'; it has {string.Join(", ", Measurements.Select(m => m.Name))}.");
}
