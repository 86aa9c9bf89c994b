// Throughput benchmarks (not tests). Usage:
//   dotnet run -c Release --project benchmarks/MlNetCnn.Benchmarks -- [training|featuremaps|report|all] [CIFAR_DIR]
// training:    training images/s at batch 4 (seed procedure), inference images/s at batch 64, 1 and 2 threads
// featuremaps: feature-map extraction images/s through the IDataView path vs a bare TorchSharp forward, batch 64
// report:      report generation time and HTML size for 8 images
using MlNetCnn.Benchmarks;

var mode = args.Length > 0 ? args[0] : "all";
var directory = args.Length > 1 ? args[1] : BenchmarkData.FindCifarDirectory();
Console.WriteLine($"CIFAR-10 data: {directory}; {Environment.ProcessorCount} cores; mode {mode}; load average at start: {MachineLoad.Describe()}");
using var data = new BenchmarkData(directory);

if (mode is "training" or "all") TrainingBenchmark.Run(data);
if (mode is "featuremaps" or "all") FeatureMapBenchmark.Run(data);
if (mode is "report" or "all") ReportBenchmark.Run(data);
if (mode is not ("training" or "featuremaps" or "report" or "all"))
{
    Console.Error.WriteLine($"Unknown mode '{mode}'; expected training, featuremaps, report or all.");
    return 2;
}
Console.WriteLine($"load average at end: {MachineLoad.Describe()}");
return 0;
