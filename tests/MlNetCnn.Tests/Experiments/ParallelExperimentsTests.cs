using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

[Collection(TorchSerialCollection.Name)]
public class ParallelExperimentsTests
{
    private static IReadOnlyList<ExperimentRun> RunAll(bool parallel, out int workers)
    {
        using var train = StreakImages.Create(96, seed: 11);
        using var test = StreakImages.Create(48, seed: 12);
        using var context = new ExperimentContext(train, test, new[] { "horizontal", "vertical" })
        {
            Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
            Budget = ExperimentTestModels.Tiny,
            Seed = 3,
            Threads = 1,
            Parallel = parallel,
        };
        workers = IndependentRuns.Workers(context, ExperimentRegistry.Default.All.Count);
        var completed = 0;
        var runs = new ExperimentRunner().RunAll(context, completed: _ => Interlocked.Increment(ref completed));
        Assert.Equal(runs.Count, completed);
        return runs;
    }

    /// <summary>
    /// All experiments side by side (and the permutation and depth experiments' trainings side by side inside them)
    /// give the numbers, text and figures of the serial run with the same seed.
    /// </summary>
    [Fact]
    public void ExperimentsRunSideBySideGiveTheSerialResults()
    {
        var serial = RunAll(parallel: false, out var serialWorkers);
        var parallel = RunAll(parallel: true, out var parallelWorkers);

        Assert.Equal(1, serialWorkers);
        Assert.Equal(Math.Min(Environment.ProcessorCount, serial.Count), parallelWorkers);
        Assert.Equal(ExperimentRegistry.Default.Names, parallel.Select(r => r.Name));
        Assert.All(serial.Concat(parallel), r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        foreach (var (first, second) in serial.Select(r => r.Result!).Zip(parallel.Select(r => r.Result!)))
            ExperimentResultAssert.Same(first, second);
    }
}
