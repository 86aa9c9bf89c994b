// Throughput benchmarks (not tests). Usage:
//   dotnet run -c Release --project benchmarks/MlNetCnn.Benchmarks -- [training|optimizer|featuremaps|report|explorer|featviz|livepage|scale|onnx|all] [CIFAR_DIR] [THREADS]
// training:    training images/s at batch 4 (seed procedure), inference images/s at batch 64, 1 and 2 threads (or only THREADS)
// optimizer:   the Adam step alone, FlatAdam's fused pass vs TorchSharp's optim.Adam, default CNN and the permutation MLP
// featuremaps: feature-map extraction images/s through the IDataView path vs a bare TorchSharp forward, batch 64
// report:      report generation time and HTML size for 8 images
// explorer:    the report's network explorer: HTML size and time to interactive in headless Chromium (default report; 3 conv layers on 64×64)
// featviz:     feature visualization: all channels of the default and a 4-layer 6-12-24-48 model; the report with and without it
// livepage:    the explorer's in-page network: ms from a kernel edit to every map and the prediction redrawn (default model; 3 conv layers on 64×64)
// onnx:        scoring img/s of the ONNX export (ONNX Runtime, ApplyOnnxModel) vs the libtorch path, batch 1 and 64, side by side
// scale:       training (in memory, streaming) and feature-map extraction img/s and peak RSS at 5k/50k/200k rows, with PyTorch
// accuracy [--seeds K] [--epochs E] [CIFAR_DIR]: test accuracy of the seed procedure for seeds 1..K (default 5, 10 epochs),
//              MlNetCnn and PyTorch (when /usr/bin/python3 has torch), per seed, means, sds, Welch's t and p
// (scale-child WHAT DIR is the scale benchmark's own child process)
using MlNetCnn.Benchmarks;

var mode = args.Length > 0 ? args[0] : "all";
if (mode == "scale-child") return ScaleBenchmark.RunChild(args[1], args[2]);
if (mode == "accuracy")
{
    int seeds = 5, epochs = 10;
    string? cifar = null;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] is "--seeds" or "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            if (args[i] == "--seeds") seeds = n;
            else epochs = n;
            i++;
        }
        else if (!args[i].StartsWith("--", StringComparison.Ordinal) && cifar == null) cifar = args[i];
        else
        {
            Console.Error.WriteLine($"accuracy: unexpected '{args[i]}'; usage: accuracy [--seeds K] [--epochs E] [CIFAR_DIR] (K, E whole numbers >= 1).");
            return 2;
        }
    }
    cifar ??= BenchmarkData.FindCifarDirectory();
    Console.WriteLine($"CIFAR-10 data: {cifar}; {Environment.ProcessorCount} cores; mode accuracy; load average at start: {MachineLoad.Describe()}");
    using var accuracyData = new BenchmarkData(cifar);
    var code = AccuracyBenchmark.Run(accuracyData, seeds, epochs);
    Console.WriteLine($"load average at end: {MachineLoad.Describe()}");
    return code;
}
var directory = args.Length > 1 ? args[1] : BenchmarkData.FindCifarDirectory();
Console.WriteLine($"CIFAR-10 data: {directory}; {Environment.ProcessorCount} cores; mode {mode}; load average at start: {MachineLoad.Describe()}");
if (mode == "scale")
{
    ScaleBenchmark.Run(directory);
    Console.WriteLine($"load average at end: {MachineLoad.Describe()}");
    return 0;
}
using var data = new BenchmarkData(directory);

var threadCounts = args.Length > 2 ? new[] { int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) } : new[] { 1, 2 };
if (mode is "training" or "all") TrainingBenchmark.Run(data, threadCounts);
if (mode is "optimizer" or "all") OptimizerBenchmark.Run();
if (mode is "featuremaps" or "all") FeatureMapBenchmark.Run(data);
if (mode is "report" or "all") ReportBenchmark.Run(data);
if (mode is "explorer" or "all") ExplorerBenchmark.Run(data);
if (mode is "featviz" or "all") FeatureVisualizationBenchmark.Run(data);
if (mode is "livepage" or "all") LivePageBenchmark.Run(data);
if (mode is "onnx" or "all") OnnxBenchmark.Run(data);
if (mode is not ("training" or "optimizer" or "featuremaps" or "report" or "explorer" or "featviz" or "livepage" or "onnx" or "all"))
{
    Console.Error.WriteLine($"Unknown mode '{mode}'; expected training, optimizer, featuremaps, report, explorer, featviz, livepage, scale, onnx or all.");
    return 2;
}
Console.WriteLine($"load average at end: {MachineLoad.Describe()}");
return 0;
