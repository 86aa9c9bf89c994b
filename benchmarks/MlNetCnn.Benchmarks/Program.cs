// Throughput benchmark (not a test): training images/s at batch 4 with the seed procedure, and inference
// images/s at batch 64, each with 1 and 2 libtorch threads, on the CIFAR-10 files in the given directory.
// Usage: dotnet run -c Release --project benchmarks/MlNetCnn.Benchmarks -- [CIFAR_DIR]
using System.Diagnostics;
using MlNetCnn.Benchmarks;
using MlNetCnn.Data;
using MlNetCnn.Model;
using MlNetCnn.Training;
using Microsoft.ML;
using MlNetCnn.Transforms;

var directory = args.Length > 0 ? args[0] : BenchmarkData.FindCifarDirectory();
Console.WriteLine($"CIFAR-10 data: {directory}");
var mlContext = new MLContext(seed: 1);
var train = new Cifar10DataView(directory, Cifar10Split.Train);
var test = new Cifar10DataView(directory, Cifar10Split.Test);
using var trainSet = BenchmarkData.Load(train);
using var testSet = BenchmarkData.Load(test);
Console.WriteLine($"{trainSet.Count} training images, {testSet.Count} test images; {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| threads | training img/s (batch 4, 1 epoch) | inference img/s (batch 64) | IDataView scoring img/s (batch 64) |");
Console.WriteLine("|---|---|---|---|");

foreach (var threads in new[] { 1, 2 })
{
    var settings = new TrainingSettings { Epochs = 1, Seed = 1, NumberOfThreads = threads };
    using var model = CnnTrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
    // Warm-up: a few hundred steps so lazy initialisation does not count.
    using (var warm = BenchmarkData.Slice(trainSet, 400)) CnnTrainingLoop.Train(model, warm, null, settings);

    var clock = Stopwatch.StartNew();
    CnnTrainingLoop.Train(model, trainSet, null, settings);
    var trainRate = trainSet.Count / clock.Elapsed.TotalSeconds;

    using var trained = new TrainedCnn(model, Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(), Array.Empty<EpochMetrics>(), settings);
    var images = testSet.Features.data<float>().ToArray();
    var probabilities = new float[64 * 10];
    trained.Infer(images, 64, probabilities, Array.Empty<int>(), Array.Empty<float[]>());
    clock.Restart();
    var inferred = 0;
    for (var repeat = 0; repeat < 5; repeat++)
    {
        for (var start = 0; start < testSet.Count; start += 64)
        {
            var count = Math.Min(64, testSet.Count - start);
            trained.Infer(images.AsSpan(start * 3072, count * 3072), count, probabilities, Array.Empty<int>(), Array.Empty<float[]>());
            inferred += count;
        }
    }
    var inferRate = inferred / clock.Elapsed.TotalSeconds;

    var transformer = BenchmarkData.AsTransformer(trained);
    clock.Restart();
    var scored = 0;
    for (var repeat = 0; repeat < 5; repeat++)
    {
        var view = transformer.Transform(test);
        using var cursor = view.GetRowCursor(view.Schema.Where(c => c.Name == "Score"));
        var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(view.Schema["Score"]);
        Microsoft.ML.Data.VBuffer<float> score = default;
        while (cursor.MoveNext()) { getter(ref score); scored++; }
    }
    var viewRate = scored / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"| {threads} | {trainRate:F0} | {inferRate:F0} | {viewRate:F0} |");
}
Console.WriteLine();
Console.WriteLine("Reference (platform notes, same machine): PyTorch 1.13, batch 4, 1 thread: ~2,200 training img/s; forward at batch 64: ~7,000 img/s.");
