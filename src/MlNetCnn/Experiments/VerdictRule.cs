namespace MlNetCnn.Experiments;

/// <summary>
/// The rule within one run: an effect counts only beyond two standard errors. <see cref="VerdictOverSeeds"/> is the
/// rule over seeds; docs/experiments.md states both.
/// </summary>
internal static class VerdictRule
{
    /// <summary>How many standard errors an effect must exceed to count.</summary>
    public const double StandardErrors = 2;

    /// <summary>
    /// Supported when <paramref name="mean"/> &gt; 2·SE, NotSupported when it is &lt; −2·SE, otherwise (also NaN, or
    /// SE = ∞ for fewer than two values) Inconclusive.
    /// </summary>
    public static Verdict FromDifference(double mean, double standardError) =>
        mean > StandardErrors * standardError ? Verdict.Supported
        : mean < -StandardErrors * standardError ? Verdict.NotSupported
        : Verdict.Inconclusive;

    /// <summary><paramref name="difference"/> &gt; 2·SE: positive beyond noise (false for NaN).</summary>
    public static bool Beyond(double difference, double standardError) => difference > StandardErrors * standardError;

    /// <summary>|<paramref name="difference"/>| ≤ 2·SE: no change beyond noise (false for NaN, so not simply !Beyond).</summary>
    public static bool Within(double difference, double standardError) => Math.Abs(difference) <= StandardErrors * standardError;
}
