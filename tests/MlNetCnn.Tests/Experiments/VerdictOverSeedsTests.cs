using MlNetCnn.Experiments;

namespace MlNetCnn.Tests.Experiments;

/// <summary>The rule for the overall verdict over seeds, on constructed per-seed verdicts and effects.</summary>
public class VerdictOverSeedsTests
{
    private const Verdict S = Verdict.Supported;
    private const Verdict N = Verdict.NotSupported;
    private const Verdict I = Verdict.Inconclusive;

    /// <summary>
    /// Two-sided p of a one-sample t-test, computed independently of MathNet: the t density integrated in float64 by
    /// Simpson's rule from |t| to a far tail (the tail beyond is negligible for the df used here).
    /// </summary>
    private static double ReferenceP(IReadOnlyList<double> effects)
    {
        var n = effects.Count;
        var mean = effects.Average();
        var sd = Math.Sqrt(effects.Sum(e => (e - mean) * (e - mean)) / (n - 1));
        var t = Math.Abs(mean / (sd / Math.Sqrt(n)));
        double nu = n - 1;
        static double LogGamma(double x)
        {
            // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.5.
            double[] c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
            x -= 1;
            var a = c[0];
            var tt = x + 7.5;
            for (var i = 1; i < 9; i++) a += c[i] / (x + i);
            return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(tt) - tt + Math.Log(a);
        }
        var logNorm = LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI);
        double Density(double x) => Math.Exp(logNorm - (nu + 1) / 2 * Math.Log(1 + x * x / nu));
        // Substitute x = t + u / (1 − u) to integrate to infinity over u in [0, 1).
        const int steps = 200_000;
        var h = 1.0 / steps;
        double F(double u) => u >= 1 ? 0 : Density(t + u / (1 - u)) / ((1 - u) * (1 - u));
        var sum = F(0) + F(1);
        for (var i = 1; i < steps; i++) sum += (i % 2 == 1 ? 4 : 2) * F(i * h);
        return 2 * sum * h / 3;
    }

    [Fact]
    public void AllSeedsSupportedWithAPositivePooledEffectIsSupported()
    {
        double[] effects = [0.01, 0.02, 0.03, 0.04, 0.05];
        var v = VerdictOverSeeds.Decide([S, S, S, S, S], effects);

        Assert.Equal(S, v.Overall);
        Assert.Equal(5, v.Agreeing);
        Assert.Equal(0.03, v.MeanEffect, 12);
        Assert.Equal(Math.Sqrt(0.00025), v.EffectStandardDeviation, 12);
        Assert.Equal(0.03 / (Math.Sqrt(0.00025) / Math.Sqrt(5)), v.T, 10);
        // t = 4.243 with 4 degrees of freedom: p ≈ 0.0132 (tables); checked against an independent integration.
        Assert.Equal(ReferenceP(effects), v.PValue, 6);
        Assert.InRange(v.PValue, 0.013, 0.0135);
        Assert.True(v.Rejects);
        Assert.Contains("Supported: 5 of 5 seed(s) agree", v.Describe("gain"));
        Assert.Contains("gain", v.Describe("gain"));
    }

    [Fact]
    public void ASplitOfSeedVerdictsIsInconclusiveEvenWhenThePooledTestRejects()
    {
        var v = VerdictOverSeeds.Decide([S, S, I, S, S], [0.05, 0.06, 0.01, 0.05, 0.07]);

        Assert.True(v.Rejects && v.MeanEffect > 0, $"p = {v.PValue}");
        Assert.Equal(I, v.Overall);
        Assert.Equal(1, v.Agreeing);
    }

    [Fact]
    public void EffectsOfOppositeSignsDoNotRejectSoEvenUnanimousSeedsAreInconclusive()
    {
        double[] effects = [0.10, -0.10, 0.20, -0.15, 0.05];
        var v = VerdictOverSeeds.Decide([S, S, S, S, S], effects);

        Assert.False(v.Rejects);
        Assert.Equal(ReferenceP(effects), v.PValue, 6);
        Assert.Equal(I, v.Overall);
        Assert.Equal(0, v.Agreeing);
        Assert.Contains("does not reject", v.Describe());
    }

    [Fact]
    public void APooledEffectAgainstThePredictionIsNotSupported()
    {
        var v = VerdictOverSeeds.Decide([I, N, I, N, I], [-0.03, -0.05, -0.02, -0.06, -0.04]);

        Assert.True(v.Rejects);
        Assert.True(v.MeanEffect < 0);
        Assert.Equal(N, v.Overall);
        Assert.Equal(2, v.Agreeing);
        Assert.Contains("against the prediction", v.Describe());
    }

    [Fact]
    public void EverySeedNotSupportedIsNotSupportedWithoutATest()
    {
        var v = VerdictOverSeeds.Decide([N, N, N], [0.01, -0.01, 0.0]);

        Assert.False(v.Rejects);
        Assert.Equal(N, v.Overall);
        Assert.Equal(3, v.Agreeing);
    }

    [Theory]
    [InlineData(Verdict.Supported)]
    [InlineData(Verdict.NotSupported)]
    [InlineData(Verdict.Inconclusive)]
    public void OneSeedIsThatSeedsVerdictWithNoTest(Verdict verdict)
    {
        var v = VerdictOverSeeds.Decide([verdict], [verdict == N ? 0.5 : -0.5]);

        Assert.Equal(verdict, v.Overall);
        Assert.Equal(1, v.Agreeing);
        Assert.True(double.IsNaN(v.PValue));
        Assert.True(double.IsNaN(v.T));
        Assert.False(v.Rejects);
        Assert.Contains("no pooled test", v.Describe());
    }

    [Fact]
    public void IdenticalNonZeroEffectsAreCertainAndIdenticalZerosAreNoEffect()
    {
        var same = VerdictOverSeeds.Decide([S, S, S], [0.25, 0.25, 0.25]);
        Assert.Equal(S, same.Overall);
        Assert.Equal(0, same.PValue);
        Assert.Equal(double.PositiveInfinity, same.T);

        var zero = VerdictOverSeeds.Decide([S, S, S], [0, 0, 0]);
        Assert.Equal(I, zero.Overall);
        Assert.Equal(1, zero.PValue);
    }

    [Fact]
    public void AMissingEffectMeansNoTestSoNeverSupported()
    {
        var v = VerdictOverSeeds.Decide([S, S, S], [0.2, double.NaN, 0.3]);

        Assert.True(double.IsNaN(v.PValue));
        Assert.Equal(I, v.Overall);
        Assert.Contains("not measured in every seed", v.Describe());
    }

    [Fact]
    public void BadInputsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => VerdictOverSeeds.Decide([], []));
        Assert.Throws<ArgumentException>(() => VerdictOverSeeds.Decide([S, S], [0.1]));
    }

    [Fact]
    public void MeasurementSummaryGivesMeanSampleSdAndRange()
    {
        var m = new MeasurementSummary("cnn.original.accuracy", MeasurementUnit.Accuracy, [0.40, 0.44, 0.48]);

        Assert.Equal(0.44, m.Mean, 12);
        Assert.Equal(0.04, m.StandardDeviation, 12);
        Assert.Equal(0.40, m.Min);
        Assert.Equal(0.48, m.Max);
        Assert.Equal("cnn.original.accuracy 44.0 ± 4.0 (40.0–48.0)%", m.Describe());
        Assert.Equal("gain 3 px", new MeasurementSummary("gain", MeasurementUnit.Pixels, [3]).Describe());
        Assert.Throws<ArgumentException>(() => new MeasurementSummary("x", MeasurementUnit.None, []));
    }
}
