using System.Diagnostics;
using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Benchmarks;

/// <summary>Training images/s at batch 4 (the seed procedure) and inference images/s at batch 64.</summary>
internal static class TrainingBenchmark
{
    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        Console.WriteLine("| threads | training img/s (batch 4, 1 epoch) | inference img/s (batch 64, TrainedCnn) | IDataView scoring img/s (batch 64) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var threads in new[] { 1, 2 })
        {
            var settings = new TrainingSettings { Epochs = 1, Seed = 1, NumberOfThreads = threads };
            var model = CnnTrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
            // Warm-up so lazy initialisation does not count.
            using (var warm = BenchmarkData.Slice(data.TrainSet, 400)) CnnTrainingLoop.Train(model, warm, null, settings);

            var clock = Stopwatch.StartNew();
            CnnTrainingLoop.Train(model, data.TrainSet, null, settings);
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

            var transformer = new MlNetCnn.Transforms.SimpleCnnTransformer(trained, "Features", "Score", "PredictedLabel", TrainingDefaults.InferenceBatchSize);
            clock.Restart();
            var scored = 0;
            for (var repeat = 0; repeat < 5; repeat++) scored += BenchmarkData.Drain(transformer.Transform(data.Test), "Score");
            var viewRate = scored / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {threads} | {trainRate:F0} | {inferRate:F0} | {viewRate:F0} |");
        }
        PyTorchReference.Run(data.Directory);
    }
}
