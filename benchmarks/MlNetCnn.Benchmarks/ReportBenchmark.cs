using System.Diagnostics;
using MlNetCnn.Reporting.CnnReport;

namespace MlNetCnn.Benchmarks;

/// <summary>Report generation time and HTML size for 8 images (targets: under 10 s and under 8 MB).</summary>
internal static class ReportBenchmark
{
    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        using var model = data.TrainModel(threads: 1);
        var path = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-{Environment.ProcessId}.html");
        try
        {
            Console.WriteLine("| run | images | generation s (scan test set, build, write) | HTML MB |");
            Console.WriteLine("|---|---|---|---|");
            for (var run = 1; run <= 3; run++)
            {
                var clock = Stopwatch.StartNew();
                CnnReportGenerator.Write(path, data.MlContext, model, data.Test, new CnnReportOptions { ImageCount = 8 }, overwrite: true);
                Console.WriteLine($"| {run} | 8 | {clock.Elapsed.TotalSeconds:F2} | {new FileInfo(path).Length / 1e6:F2} |");
            }
            Console.WriteLine($"(test set of {data.TestSet.Count} images scanned for the confusion matrix and channel statistics; targets: < 10 s, < 8 MB)");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
