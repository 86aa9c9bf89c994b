using MlNetCnn.Experiments;
using MlNetCnn.Reporting.Experiments;

namespace MlNetCnn.Tests.Reporting.Experiments;

/// <summary>The experiments page over seeds: the rule first, per-seed verdicts, spread drawn; one seed gives the one-seed page.</summary>
public class ExperimentReportOverSeedsTests
{
    private static ExperimentRun Run(int seed, Verdict verdict, double accuracy) => new("sample",
        ExperimentSectionRendererTests.Sample(verdict) with
        {
            EffectMeasurement = "a.accuracy",
            Measurements = [new Measurement("a.accuracy", accuracy, MeasurementUnit.Accuracy), new Measurement("b.count", 10 + seed, MeasurementUnit.Pixels)],
        },
        null, TimeSpan.FromSeconds(seed))
    { Seed = seed };

    [Fact]
    public void PageOverSeedsStatesTheRuleFirstAndShowsEverySeed()
    {
        var series = new ExperimentSeries("sample", [Run(1, Verdict.Supported, 0.41), Run(2, Verdict.Inconclusive, 0.47), Run(3, Verdict.Supported, 0.44)]);
        var html = ExperimentReport.Create([series]).ToHtml();

        var rule = html.IndexOf("How the overall verdict is decided", StringComparison.Ordinal);
        var section = html.IndexOf("Overall verdict over 3 seeds: Inconclusive (1 of 3 agree)", StringComparison.Ordinal);
        Assert.True(rule >= 0 && section > rule, $"rule at {rule}, section at {section}");
        Assert.Contains("two-sided one-sample t-test", html);
        Assert.Contains("1: Supported, 2: Inconclusive, 3: Supported", html);
        Assert.Contains("a.accuracy 44.0 ± 3.0 (41.0–47.0)%", html);
        Assert.Contains("data-kind=\"seed-spread\"", html);
        Assert.Contains("Seed 1 verdict: Supported", html);
        Assert.Contains("9 experiments", ExperimentReport.Describe(Enumerable.Repeat(series, 9).ToArray()));
    }

    [Fact]
    public void OneSeedGivesTheOneSeedPage()
    {
        var run = Run(1, Verdict.Supported, 0.41);
        // Chart containers get fresh ids on every render; everything else must match.
        static string WithoutIds(string html) => System.Text.RegularExpressions.Regex.Replace(html, "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "ID");
        var overSeeds = WithoutIds(ExperimentReport.Create([new ExperimentSeries("sample", [run])]).ToHtml());
        var today = WithoutIds(ExperimentReport.Create([run]).ToHtml());

        Assert.Equal(today, overSeeds);
        Assert.DoesNotContain("How the overall verdict is decided", overSeeds);
    }

    [Fact]
    public void AFailedSeedLeavesNoOverallVerdict()
    {
        var failed = new ExperimentRun("sample", null, new InvalidOperationException("boom"), TimeSpan.FromSeconds(1)) { Seed = 2 };
        var series = new ExperimentSeries("sample", [Run(1, Verdict.Supported, 0.41), failed]);

        Assert.Null(series.Verdict);
        var html = ExperimentReport.Create([series]).ToHtml();
        Assert.Contains("Failed: no overall verdict", html);
        Assert.Contains("seed 2: InvalidOperationException: boom", html);
    }
}
