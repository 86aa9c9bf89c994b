using System.Diagnostics;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Report generation time and HTML size for 8 images (targets: under 10 s and under 8 MB), split into its phases —
/// the scan of the test split (scores, feature maps, statistics, the explorer's patch search), building the sections,
/// writing the HTML — on each inference engine, the two alternated run by run.
/// </summary>
internal static class ReportBenchmark
{
    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        using var model = data.TrainModel(threads: 1);
        var path = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-{Environment.ProcessId}.html");
        try
        {
            Console.WriteLine($"load at start {MachineLoad.Describe()}");
            Console.WriteLine("| run | engine | scan s | build s | write s | total s | of which JIT s | HTML MB |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            for (var run = 1; run <= 3; run++)
            {
                foreach (var engine in new[] { InferenceEngine.LibTorch, InferenceEngine.Auto })
                {
                    model.Model.InferenceEngine = engine;
                    var jit = System.Runtime.JitInfo.GetCompilationTime();
                    var clock = Stopwatch.StartNew();
                    var measured = CnnReportGenerator.Measure(data.MlContext, model.Model, data.Test, new CnnReportOptions { ImageCount = 8 });
                    var scan = clock.Elapsed.TotalSeconds;
                    var document = CnnReportGenerator.Create(measured);
                    var build = clock.Elapsed.TotalSeconds - scan;
                    document.Save(path, overwrite: true);
                    var total = clock.Elapsed.TotalSeconds;
                    Console.WriteLine($"| {run} | {engine} | {scan:F2} | {build:F2} | {total - scan - build:F2} | {total:F2} | {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalSeconds:F2} | {new FileInfo(path).Length / 1e6:F2} |");
                }
            }
            model.Model.InferenceEngine = InferenceEngine.Auto;
            Console.WriteLine($"(test set of {data.TestSet.Count} images scanned for the confusion matrix and channel statistics; targets: < 10 s, < 8 MB; load at end {MachineLoad.Describe()})");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
