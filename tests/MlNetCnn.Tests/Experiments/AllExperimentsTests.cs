using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

[Collection(TorchSerialCollection.Name)]
public class AllExperimentsTests
{
    public static TheoryData<string> Names => new(ExperimentRegistry.Default.Names);

    /// <summary>A fresh context on the streak images, training its own model: nothing is shared between the two runs.</summary>
    private static ExperimentResult RunFresh(string name, int seed, IProgress<ExperimentProgress>? progress = null)
    {
        using var train = StreakImages.Create(96, seed: 11);
        using var test = StreakImages.Create(48, seed: 12);
        using var context = new ExperimentContext(train, test, new[] { "horizontal", "vertical" })
        {
            Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
            Budget = ExperimentTestModels.Tiny,
            Seed = seed,
            Threads = 1,
            Progress = progress,
        };
        return new ExperimentRunner().Run(name, context);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RunsInATinyBudgetWellFormedAndDeterministic(string name)
    {
        var reports = new List<ExperimentProgress>();
        var first = RunFresh(name, seed: 5, new SynchronousProgress<ExperimentProgress>(p => { lock (reports) reports.Add(p); }));
        var second = RunFresh(name, seed: 5);

        var experiment = ExperimentRegistry.Default.Get(name);
        Assert.Equal(name, first.Name);
        Assert.Equal(experiment.Title, first.Title);
        Assert.Equal(experiment.Hypothesis, first.Hypothesis);
        Assert.False(string.IsNullOrWhiteSpace(first.Explanation));
        Assert.Matches("[0-9]", first.Explanation); // generated from the numbers
        Assert.True(first.Elapsed > TimeSpan.Zero);
        // Every experiment reports "done" once, last, at fraction 1 (Experiment.Result), and only under its own name.
        Assert.All(reports, p => Assert.Equal(name, p.Experiment));
        Assert.Equal((name, "done", 1.0), (reports[^1].Experiment, reports[^1].Stage, reports[^1].Fraction));
        Assert.Single(reports, p => p.Stage == "done");
        Assert.NotEmpty(first.Measurements);
        Assert.Equal(first.Measurements.Count, first.Measurements.Select(m => m.Name).Distinct().Count());
        Assert.All(first.Measurements, m => Assert.False(double.IsInfinity(m.Value), $"{m.Name} is infinite"));
        Assert.NotEmpty(first.KeyMeasurements);
        Assert.All(first.KeyMeasurements, k => first.Value(k)); // every key number exists
        Assert.True(first.Heatmaps.Count + first.Charts.Count + first.Tables.Count + first.Images.Count > 0, "no figure data");
        Assert.All(first.Heatmaps, h => Assert.All(h.Values, v => Assert.True(float.IsFinite(v), $"{h.Title} has {v}")));
        Assert.All(first.Charts, c => Assert.All(c.Series, s => Assert.Equal(s.X.Count, s.Y.Count)));
        Assert.All(first.Images, f => Assert.All(f.Images, p => Assert.All(p.Pixels, v => Assert.InRange(v, 0f, 1f))));

        // Same seed and threads ⇒ the same numbers, the same text and the same figures.
        ExperimentResultAssert.Same(first, second);
    }

    [Fact]
    public void ADifferentSeedGivesDifferentNumbers()
    {
        var a = RunFresh("receptive-field", seed: 5);
        var b = RunFresh("receptive-field", seed: 6);
        Assert.NotEqual(a.Value("conv2.effective-side") + a.Heatmaps[0].Values.Sum(), b.Value("conv2.effective-side") + b.Heatmaps[0].Values.Sum());
    }
}
