using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

/// <summary>A K-seed run gives each seed the numbers of a separate one-seed run with that seed.</summary>
[Collection(TorchSerialCollection.Name)]
public class ExperimentSeedsTests
{
    // linear-probes: its pixel probe is fitted once and shared by the seeds (ExperimentContext.DataOnly).
    private static readonly string[] Names = ["permutation", "equivariance", "occlusion", "depth", "linear-probes"];

    private static ExperimentContext Context(InMemoryImageSetPair data, int seed) => new(data.Train, data.Test, ["horizontal", "vertical"])
    {
        Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
        Budget = ExperimentTestModels.Tiny,
        Seed = seed,
        Threads = 1,
    };

    internal sealed class InMemoryImageSetPair : IDisposable
    {
        public MlNetCnn.Training.InMemoryImageSet Train { get; } = StreakImages.Create(96, seed: 21);
        public MlNetCnn.Training.InMemoryImageSet Test { get; } = StreakImages.Create(48, seed: 22);

        public void Dispose()
        {
            Train.Dispose();
            Test.Dispose();
        }
    }

    [Fact]
    public void EachSeedOfAMultiSeedRunEqualsASeparateOneSeedRun()
    {
        int[] seeds = [3, 7];
        using var data = new InMemoryImageSetPair();
        IReadOnlyList<ExperimentSeries> series;
        using (var context = Context(data, seed: 3)) series = new ExperimentRunner().RunSeeds(context, seeds, Names);

        Assert.Equal(Names, series.Select(s => s.Name));
        foreach (var (seed, index) in seeds.Select((s, i) => (s, i)))
        {
            using var single = Context(data, seed);
            var alone = new ExperimentRunner().RunAll(single, Names);
            foreach (var (s, run) in series.Zip(alone))
            {
                Assert.True(s.Runs[index].Succeeded, $"{s.Name} seed {seed}: {s.Runs[index].Error}");
                Assert.True(run.Succeeded, $"{run.Name} seed {seed}: {run.Error}");
                Assert.Equal(seed, s.Runs[index].Seed);
                ExperimentResultAssert.Same(run.Result!, s.Runs[index].Result!);
            }
        }

        // Different seeds really differ (trained networks start elsewhere), so the comparison above can fail.
        var equivariance = series[1];
        Assert.NotEqual(equivariance.Runs[0].Result!.Value("fc1.mean-change"), equivariance.Runs[1].Result!.Value("fc1.mean-change"));
        foreach (var s in series)
        {
            var expected = VerdictOverSeeds.Decide(s.Runs.Select(r => r.Result!.Verdict).ToArray(), s.Runs.Select(r => r.Result!.Effect).ToArray());
            Assert.Equal(expected.Overall, s.Verdict!.Overall);
            Assert.False(double.IsNaN(s.Runs[0].Result!.Effect), $"{s.Name} names no effect measurement");
            Assert.Equal(s.Runs.Select(r => r.Result!.Value(s.EffectMeasurement!)), s.Summarize(s.EffectMeasurement!)!.Values);
        }
    }

    [Fact]
    public void SeedsMustBeGivenAndDistinct()
    {
        using var data = new InMemoryImageSetPair();
        using var context = Context(data, seed: 1);
        Assert.Throws<ArgumentException>(() => new ExperimentRunner().RunSeeds(context, [], Names));
        Assert.Throws<ArgumentException>(() => new ExperimentRunner().RunSeeds(context, [2, 2], Names));
    }
}
