using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Feature visualization's budget (issue 25): every channel of the default model (18) and of a 4-layer 6-12-24-48 model
/// (90), default settings (256 steps, one batch per layer); and the default report with and without it, rounds
/// alternated so both see the same load.
/// </summary>
internal static class FeatureVisualizationBenchmark
{
    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        using var small = data.TrainModel(threads: 1);
        using var deep = data.MlContext.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            ConvChannels = [6, 12, 24, 48],
        }).Fit(data.Train);
        // CPU seconds beside wall-clock seconds: on a loaded machine the wall clock measures the neighbours too.
        Console.WriteLine("| round | model | channels | seconds (all layers) | CPU seconds | load average |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (var round = 1; round <= 3; round++)
        {
            foreach (var (name, model) in new[] { ("default 6-12", small), ("4-layer 6-12-24-48", deep) })
            {
                var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
                var channels = model.Model.ConvLayers.Sum(l => new FeatureVisualizer().Visualize(model.Model, l.Name).Channels.Count);
                Console.WriteLine($"| {round} | {name} | {channels} | {clock.Elapsed.TotalSeconds:F2} | {CpuSince(cpu):F2} | {MachineLoad.Describe()} |");
            }
        }

        Console.WriteLine("(targets: default model ≤ 10 s, 4-layer model ≤ 60 s)");
        Console.WriteLine();
        var path = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-featviz-{Environment.ProcessId}.html");
        try
        {
            Console.WriteLine("| round | report | generation s | CPU seconds | HTML MB | load average |");
            Console.WriteLine("|---|---|---|---|---|---|");
            for (var round = 1; round <= 3; round++)
            {
                foreach (var include in new[] { false, true })
                {
                    var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
                    CnnReportGenerator.Write(path, data.MlContext, small, data.Test, new CnnReportOptions { IncludeFeatureVisualization = include }, overwrite: true);
                    Console.WriteLine($"| {round} | {(include ? "default (with feature visualization)" : "--no-feature-visualization")} | {clock.Elapsed.TotalSeconds:F2} | {CpuSince(cpu):F2} | {new FileInfo(path).Length / 1e6:F2} | {MachineLoad.Describe()} |");
                }
            }

            Console.WriteLine("(target: the default report at most 10 s slower than without feature visualization, ≤ 8 MB)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double CpuSince(TimeSpan start) => (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
}
