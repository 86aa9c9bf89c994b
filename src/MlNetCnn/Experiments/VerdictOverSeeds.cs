using MathNet.Numerics.Distributions;
using static System.FormattableString;

namespace MlNetCnn.Experiments;

/// <summary>
/// One experiment's overall verdict over K seeds, by the single rule in <see cref="Rule"/>: each seed contributes its
/// own verdict and its effect (the experiment's <see cref="ExperimentResult.EffectMeasurement"/>, positive in the
/// direction the hypothesis predicts); the effects are pooled in a two-sided one-sample t-test against zero.
/// </summary>
public sealed class VerdictOverSeeds
{
    /// <summary>Significance level of the pooled test.</summary>
    public const double Alpha = 0.05;

    /// <summary>The rule, in words, as the page and docs/experiments.md state it before any result.</summary>
    public static string Rule { get; } =
        "Each experiment runs once per seed; each seed gives its own verdict and an effect (one named measurement, " +
        "positive in the direction the hypothesis predicts). Overall Supported when every seed's verdict is Supported " +
        "and a two-sided one-sample t-test of the per-seed effects against 0 rejects at α = 0.05 with a positive mean. " +
        "Not supported when every seed's verdict is Not supported, or when that test rejects with a negative mean. " +
        "Otherwise Inconclusive. With one seed there is no test and the overall verdict is that seed's verdict.";

    private VerdictOverSeeds(IReadOnlyList<Verdict> verdicts, IReadOnlyList<double> effects)
    {
        Verdicts = verdicts;
        Effects = effects;
    }

    /// <summary>Each seed's own verdict, in seed order.</summary>
    public IReadOnlyList<Verdict> Verdicts { get; }

    /// <summary>Each seed's effect (positive = the predicted direction), in seed order; NaN where a seed did not measure it.</summary>
    public IReadOnlyList<double> Effects { get; }

    /// <summary>The overall verdict by <see cref="Rule"/>.</summary>
    public Verdict Overall { get; private init; }

    /// <summary>How many seeds' own verdicts equal <see cref="Overall"/>.</summary>
    public int Agreeing => Verdicts.Count(v => v == Overall);

    /// <summary>Mean of the per-seed effects (NaN when any is missing).</summary>
    public double MeanEffect { get; private init; }

    /// <summary>Sample standard deviation of the per-seed effects (0 for one seed).</summary>
    public double EffectStandardDeviation { get; private init; }

    /// <summary>The pooled test's t statistic (NaN with one seed or a missing effect; ±∞ when every effect is the same non-zero value).</summary>
    public double T { get; private init; }

    /// <summary>The pooled test's two-sided p-value (NaN when there is no test).</summary>
    public double PValue { get; private init; }

    /// <summary>Whether the pooled test ran and rejected "mean effect = 0" at <see cref="Alpha"/>.</summary>
    public bool Rejects => PValue < Alpha;

    /// <summary>Applies <see cref="Rule"/> to per-seed verdicts and effects (one of each per seed, same order).</summary>
    /// <exception cref="ArgumentException">No seeds, or the two lists differ in length.</exception>
    internal static VerdictOverSeeds Decide(IReadOnlyList<Verdict> verdicts, IReadOnlyList<double> effects)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(effects);
        if (verdicts.Count == 0) throw new ArgumentException("At least one seed's verdict is needed.", nameof(verdicts));
        if (effects.Count != verdicts.Count)
            throw new ArgumentException($"Expected one effect per seed ({verdicts.Count}), got {effects.Count}.", nameof(effects));
        var k = verdicts.Count;
        var mean = effects.Average();
        var sd = Stats.StandardDeviation(effects);
        double t = double.NaN, p = double.NaN;
        if (k >= 2 && effects.All(double.IsFinite))
        {
            if (sd > 0)
            {
                t = mean / (sd / Math.Sqrt(k));
                p = 2 * StudentT.CDF(0, 1, k - 1, -Math.Abs(t));
            }
            else
            {
                // Every seed measured the same effect: no spread, so any non-zero mean is certain and zero is no effect.
                t = mean == 0 ? 0 : mean > 0 ? double.PositiveInfinity : double.NegativeInfinity;
                p = mean == 0 ? 1 : 0;
            }
        }

        var rejects = p < Alpha;
        var overall = k == 1 ? verdicts[0]
            : verdicts.All(v => v == Verdict.Supported) && rejects && mean > 0 ? Verdict.Supported
            : verdicts.All(v => v == Verdict.NotSupported) || (rejects && mean < 0) ? Verdict.NotSupported
            : Verdict.Inconclusive;
        return new VerdictOverSeeds(verdicts.ToArray(), effects.ToArray())
        {
            Overall = overall,
            MeanEffect = mean,
            EffectStandardDeviation = sd,
            T = t,
            PValue = p,
        };
    }

    /// <summary>The overall verdict in words: "Supported", "Not supported" or "Inconclusive".</summary>
    public string DescribeOverall() => ExperimentText.Describe(Overall);

    /// <summary>
    /// Why the rule gave <see cref="Overall"/>, e.g. "Supported: 5 of 5 seeds Supported; effect cnn.drop +0.071 ± 0.012
    /// (mean ± sd), t = 13.2, p = 0.0002." <paramref name="effectName"/> names the effect measurement.
    /// </summary>
    public string Describe(string? effectName = null)
    {
        var k = Verdicts.Count;
        var counts = string.Join(", ", new[] { Verdict.Supported, Verdict.NotSupported, Verdict.Inconclusive }
            .Select(v => (Verdict: v, Count: Verdicts.Count(x => x == v)))
            .Where(c => c.Count > 0)
            .Select(c => Invariant($"{c.Count} {ExperimentText.Describe(c.Verdict)}")));
        var text = Invariant($"{ExperimentText.Describe(Overall)}: {Agreeing} of {k} seed(s) agree ({counts})");
        if (k == 1) return text + "; one seed, so no pooled test.";
        var effect = effectName ?? "effect";
        if (!double.IsFinite(MeanEffect)) return text + Invariant($"; {effect} was not measured in every seed, so no pooled test.");
        var pText = double.IsNaN(PValue) ? "n/a" : PValue < 1e-4 ? PValue.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture) : PValue.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        return text + Invariant($"; {effect} {ExperimentText.Number(MeanEffect)} ± {ExperimentText.Number(EffectStandardDeviation)} (mean ± sd), t = {(double.IsInfinity(T) ? ExperimentText.Number(T) : T.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))}, df {k - 1}, two-sided p = {pText}{(Rejects ? (MeanEffect > 0 ? ", rejects towards the prediction" : ", rejects against the prediction") : ", does not reject")}.");
    }
}
