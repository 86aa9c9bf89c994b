using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Transforms;
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
    private const int Repeats = 5;

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

            var clock = Stopwatch.StartNew();
            var bareImages = Bare(network, data.TestSet, Repeats);
            var bareRate = bareImages / clock.Elapsed.TotalSeconds;

            clock.Restart();
            var viewImages = 0;
            for (var r = 0; r < Repeats; r++) viewImages += BenchmarkData.Drain(extractor.Transform(data.Test), "conv1", "conv2");
            var viewRate = viewImages / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {threads} | {bareRate:F0} | {viewRate:F0} | {viewRate / bareRate:P0} |");
        }
    }

    // The tensors are already in memory; this is the cost floor of computing the maps.
    private static int Bare(MlNetCnn.Model.SimpleCnn network, MlNetCnn.Training.InMemoryImageSet set, int repeats)
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
