namespace MlNetCnn.Experiments;

/// <summary>Small statistics used to turn measurements into verdicts.</summary>
internal static class Stats
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    public static double StandardError(IReadOnlyList<double> values) =>
        values.Count < 2 ? double.PositiveInfinity : StandardDeviation(values) / Math.Sqrt(values.Count);

    /// <summary>Standard error of the difference of two accuracies measured on independent sets of n1 and n2 items.</summary>
    public static double AccuracyDifferenceError(double accuracy1, int n1, double accuracy2, int n2) =>
        Math.Sqrt(accuracy1 * (1 - accuracy1) / n1 + accuracy2 * (1 - accuracy2) / n2);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Percent(double fraction) => FormattableString.Invariant($"{100 * fraction:F1}%");

    public static string WholePercent(double fraction) => FormattableString.Invariant($"{100 * fraction:F0}%");

    public static string Points(double fraction) => FormattableString.Invariant($"{100 * fraction:+0.0;-0.0;0.0} points");
}
