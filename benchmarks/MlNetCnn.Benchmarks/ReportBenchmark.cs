namespace MlNetCnn.Benchmarks;

/// <summary>Report generation time and HTML size for 8 images (targets: under 10 s and under 8 MB).</summary>
internal static class ReportBenchmark
{
    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        Console.WriteLine("report benchmark: pending the report generator");
    }
}
