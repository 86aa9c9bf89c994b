using System.Diagnostics;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Feature-map extraction through ML.NET (ExtractFeatureMaps, cursor reading conv1 and conv2) against a bare
/// TorchSharp forward of the same batches that captures the same activations. Target: the IDataView path keeps at
/// least 80% of the bare speed.
/// </summary>
internal static class FeatureMapBenchmark
{
    private const int BatchSize = 64;
    private const int Rounds = 9;

    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        Console.WriteLine("| threads | bare TorchSharp forward img/s (batch 64, conv1+conv2 captured) | IDataView ExtractFeatureMaps img/s (batch 64) | IDataView / bare |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var threads in new[] { 1, 2 })
        {
            using var model = data.TrainModel(threads);
            var network = model.Model.Network;
            var extractor = data.MlContext.Transforms.ExtractFeatureMaps(model).Fit(data.Test);

            Bare(network, data.TestSet, 1); // warm-up
            BenchmarkData.Drain(extractor.Transform(data.Test), "conv1", "conv2");

            // Alternate the two paths and keep each one's median round, so a burst of other work on the machine
            // lands on both sides rather than skewing the ratio.
            var bareRates = new List<double>();
            var viewRates = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var bareImages = Bare(network, data.TestSet, 1);
                bareRates.Add(bareImages / clock.Elapsed.TotalSeconds);
                clock.Restart();
                var viewImages = BenchmarkData.Drain(extractor.Transform(data.Test), "conv1", "conv2");
                viewRates.Add(viewImages / clock.Elapsed.TotalSeconds);
            }
            var bareRate = Median(bareRates);
            var viewRate = Median(viewRates);
            Console.WriteLine($"| {threads} | {bareRate:F0} | {viewRate:F0} | {viewRate / bareRate:P0} |");
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    // The tensors are already in memory; this is the cost floor of computing the maps.
    private static int Bare(Model.SimpleCnn network, Training.InMemoryImageSet set, int repeats)
    {
        network.eval();
        using var noGrad = no_grad();
        var images = 0;
        for (var r = 0; r < repeats; r++)
        {
            for (var start = 0; start < set.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(BatchSize, set.Count - start);
                var (_, activations) = network.ForwardConvLayers(set.Features.narrow(0, start, count), 1);
                images += count;
            }
        }
        return images;
    }
}
