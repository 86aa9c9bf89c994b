namespace MlNetCnn.Experiments.Figures;

/// <summary>
/// One named series. For bar charts over categories, <see cref="Categories"/> names each point and <see cref="X"/> is
/// 0, 1, 2, …; NaN in <see cref="Y"/> marks a point that was not measured (a gap).
/// </summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<string>? Categories = null)
{
    /// <summary>The y values, one per x value; NaN marks a gap.</summary>
    /// <exception cref="ArgumentException">Y and X differ in length.</exception>
    public IReadOnlyList<double> Y { get; init; } = Y.Count == X.Count ? Y
        : throw new ArgumentException($"Series '{Name}' has {X.Count} x values and {Y.Count} y values.", nameof(Y));
}
