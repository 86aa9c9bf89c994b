using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Images/s and peak RSS as the data grows: 5k, 50k and 200k training rows made by repeating the CIFAR-10 records of
/// the given directory into temporary binary files (so the data is real 8-bit CIFAR-10, read through
/// Cifar10DataView). Each measurement runs in a child process of its own, so its peak RSS (VmHWM) is its alone:
/// training 1 epoch in memory, training 1 epoch streamed through a 4,096-image shuffle buffer, and extracting conv1 and
/// conv2 feature maps for every row; PyTorch 1.13's seed script (all images as float32 tensors) on the same files.
/// </summary>
internal static class ScaleBenchmark
{
    public static readonly int[] Sizes = { 5_000, 50_000, 200_000 };
    private const int StreamingBuffer = 4096;

    public static void Run(string cifarDirectory)
    {
        Console.WriteLine();
        Console.WriteLine("| rows | MlNetCnn in-memory training img/s | peak RSS MB | MlNetCnn streaming training img/s | peak RSS MB | feature-map extraction img/s | peak RSS MB | PyTorch 1.13 training img/s | PyTorch peak RSS MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var rows in Sizes)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"mlnetcnn-scale-{Environment.ProcessId}-{rows}");
            try
            {
                RepeatRecords(cifarDirectory, directory, rows);
                var memory = Child("memory", directory);
                var streaming = Child("streaming", directory);
                var maps = Child("featuremaps", directory);
                var torch = PyTorchReference.MeasureScale(directory);
                Console.WriteLine($"| {rows:N0} | {memory.Rate:F0} | {memory.PeakMb:F0} | {streaming.Rate:F0} | {streaming.PeakMb:F0} | {maps.Rate:F0} | {maps.PeakMb:F0} | " +
                                  $"{(torch is { } t ? t.Train.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {(torch is { } p ? p.PeakMb.ToString("F0", CultureInfo.InvariantCulture) : "–")} |");
            }
            finally
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
        }
        Console.WriteLine($"(1 epoch, batch 4, 1 thread; streaming through a {StreamingBuffer:N0}-image shuffle buffer; feature maps at batch 64, conv1+conv2 read through a cursor; peak RSS = VmHWM of a process doing only that)");
    }

    /// <summary>The child side: one measurement, printed as "rate R peak P".</summary>
    public static int RunChild(string what, string directory)
    {
        var ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(directory, Cifar10Split.Train);
        var rows = train.GetRowCount() ?? 0;
        var clock = Stopwatch.StartNew();
        if (what == "featuremaps")
        {
            var settings = new TrainingSettings { Seed = 1, NumberOfThreads = 1 };
            using var model = new TrainedCnn(TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings),
                Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), Array.Empty<EpochMetrics>(), settings);
            var extractor = ml.Transforms.ExtractFeatureMaps(model).Fit(train);
            rows = BenchmarkData.Drain(extractor.Transform(train), "conv1", "conv2");
        }
        else
        {
            var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 1, Seed = 1, NumberOfThreads = 1, StreamingShuffleBuffer = what == "streaming" ? StreamingBuffer : null };
            using var model = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train);
            // The epoch's own time, as PyTorch's script times its loop (streaming reads the records inside the epoch).
            Console.WriteLine(FormattableString.Invariant($"rate {rows / model.Model.History[0].Seconds:F0} peak {PeakRssMb():F0}"));
            return 0;
        }
        // Extraction rate over the whole pass (reading the records included), as a consumer of the view sees it.
        Console.WriteLine(FormattableString.Invariant($"rate {rows / clock.Elapsed.TotalSeconds:F0} peak {PeakRssMb():F0}"));
        return 0;
    }

    private static (double Rate, double PeakMb) Child(string what, string directory)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        foreach (var argument in new[] { "scale-child", what, directory }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = Regex.Match(output, @"rate (\d+) peak (\d+)");
        if (process.ExitCode != 0 || !match.Success) throw new InvalidOperationException($"scale child '{what}' failed ({process.ExitCode}): {output}");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Peak resident set of this process so far (VmHWM), in MB.</summary>
    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>data_batch_1..5 holding <paramref name="rows"/> records in all (the source's records, repeated), plus the test and class-name files.</summary>
    private static void RepeatRecords(string source, string target, int rows)
    {
        Directory.CreateDirectory(target);
        var records = Cifar10Format.TrainFileNames.Select(n => File.ReadAllBytes(Path.Combine(source, n))).SelectMany(b => b).ToArray();
        var available = records.Length / Cifar10Format.RecordBytes;
        var perFile = rows / Cifar10Format.TrainFileNames.Count;
        var next = 0;
        foreach (var name in Cifar10Format.TrainFileNames)
        {
            using var file = File.Create(Path.Combine(target, name));
            for (var i = 0; i < perFile; i++, next = (next + 1) % available)
                file.Write(records, next * Cifar10Format.RecordBytes, Cifar10Format.RecordBytes);
        }
        foreach (var name in new[] { Cifar10Format.TestFileName, Cifar10Format.MetaFileName })
            File.Copy(Path.Combine(source, name), Path.Combine(target, name));
    }
}
