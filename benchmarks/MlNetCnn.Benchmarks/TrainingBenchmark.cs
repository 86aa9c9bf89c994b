using System.Diagnostics;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Training images/s at batch 4 (the seed procedure) and inference images/s at batch 64, alternating rounds with the
/// same procedure in PyTorch 1.13 (when installed) so both see the same machine load; medians are reported.
/// </summary>
internal static class TrainingBenchmark
{
    private const int Rounds = 3;

    public static void Run(BenchmarkData data, IReadOnlyList<int> threadCounts)
    {
        Console.WriteLine();
        Console.WriteLine($"Median of {Rounds} alternating rounds (1 epoch of {data.TrainSet.Count} images each):");
        Console.WriteLine("| threads | MlNetCnn training img/s (batch 4) | PyTorch 1.13 training img/s (batch 4) | MlNetCnn inference img/s (batch 64) | PyTorch 1.13 forward img/s (batch 64) | MlNetCnn IDataView scoring img/s (batch 64) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var threads in threadCounts)
        {
            var ours = new List<(double Train, double Infer, double View)>();
            var theirs = new List<(double Train, double Forward)>();
            for (var round = 0; round < Rounds; round++)
            {
                ours.Add(MeasureOurs(data, threads));
                if (PyTorchReference.Measure(data.Directory, threads) is { } reference) theirs.Add(reference);
            }
            Console.WriteLine($"| {threads} | {Median(ours.Select(o => o.Train)):F0} | {MedianOrNone(theirs.Select(t => t.Train))} | " +
                              $"{Median(ours.Select(o => o.Infer)):F0} | {MedianOrNone(theirs.Select(t => t.Forward))} | {Median(ours.Select(o => o.View)):F0} |");
        }
        if (!PyTorchReference.Available) Console.WriteLine("(PyTorch columns empty: install Debian's python3-torch to measure the reference in the same run.)");
    }

    private static (double Train, double Infer, double View) MeasureOurs(BenchmarkData data, int threads)
    {
        var settings = new TrainingSettings { Epochs = 1, Seed = 1, NumberOfThreads = threads };
        var model = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
        // Warm-up so lazy initialisation does not count.
        using (var warm = BenchmarkData.Slice(data.TrainSet, 400)) TrainingLoop.Train(model, warm, null, settings);

        var clock = Stopwatch.StartNew();
        TrainingLoop.Train(model, data.TrainSet, null, settings);
        var trainRate = data.TrainSet.Count / clock.Elapsed.TotalSeconds;

        using var trained = new TrainedCnn(model, Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(), Array.Empty<EpochMetrics>(), settings);
        var probabilities = new float[64 * 10];
        clock.Restart();
        var inferred = 0;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            for (var start = 0; start < data.TestSet.Count; start += 64)
            {
                var count = Math.Min(64, data.TestSet.Count - start);
                trained.Infer(data.TestImages.AsSpan(start * 3072, count * 3072), count, probabilities, Array.Empty<int>(), Array.Empty<float[]>());
                inferred += count;
            }
        }
        var inferRate = inferred / clock.Elapsed.TotalSeconds;

        var transformer = new SimpleCnnTransformer(trained, "Features", "Score", "PredictedLabel", TrainingDefaults.InferenceBatchSize);
        clock.Restart();
        var scored = 0;
        for (var repeat = 0; repeat < 5; repeat++) scored += BenchmarkData.Drain(transformer.Transform(data.Test), "Score");
        return (trainRate, inferRate, scored / clock.Elapsed.TotalSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string MedianOrNone(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "–" : Median(list).ToString("F0");
    }
}
