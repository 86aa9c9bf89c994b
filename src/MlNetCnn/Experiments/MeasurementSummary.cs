using static System.FormattableString;

namespace MlNetCnn.Experiments;

/// <summary>One measurement over seeds: every seed's value (seed order), mean, sample standard deviation, min and max.</summary>
public sealed class MeasurementSummary
{
    /// <summary>Summarises <paramref name="values"/> (one per seed) of the measurement <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public MeasurementSummary(string name, MeasurementUnit unit, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException($"Measurement '{name}' needs at least one value.", nameof(values));
        ArgumentNullException.ThrowIfNull(unit);
        Name = name;
        Unit = unit;
        Values = values.ToArray();
        Mean = values.Average();
        StandardDeviation = Stats.StandardDeviation(values);
        Min = values.Min();
        Max = values.Max();
    }

    /// <summary>The measurement's name.</summary>
    public string Name { get; }

    /// <summary>Its unit, as in <see cref="Measurement.Unit"/>.</summary>
    public MeasurementUnit Unit { get; }

    /// <summary>One value per seed, in seed order.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Mean over seeds.</summary>
    public double Mean { get; }

    /// <summary>Sample standard deviation over seeds (0 for one seed).</summary>
    public double StandardDeviation { get; }

    /// <summary>Smallest value.</summary>
    public double Min { get; }

    /// <summary>Largest value.</summary>
    public double Max { get; }

    /// <summary>
    /// "name mean ± sd (min–max)" with the measurement's unit, e.g. "cnn.original.accuracy 45.1% ± 2.3 (41.0–47.9%)";
    /// one value alone is written as <see cref="ExperimentResult.DescribeKeyNumbers"/> writes it.
    /// </summary>
    public string Describe()
    {
        if (Values.Count == 1) return Name + " " + Unit.Format(Mean);
        string Bare(double v) => Unit.FormatNumber(v);
        return Invariant($"{Name} {Bare(Mean)} ± {Bare(StandardDeviation)} ({Bare(Min)}–{Bare(Max)}){Unit.Suffix}");
    }
}
