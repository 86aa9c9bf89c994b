using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.Distributions;
using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Accuracy parity with the seed's PyTorch procedure: the SimpleCNN trained with seeds 1..K for E epochs (Adam 0.001,
/// batch 4, cross-entropy) in MlNetCnn and, where /usr/bin/python3 has torch, in PyTorch
/// (benchmarks/pytorch-reference/seed_reference.py) on the same CIFAR-10 files; prints every seed's test accuracy, the
/// means and sample standard deviations, and Welch's t with its two-sided p-value. The seeds run side by side, one
/// per core, each with one libtorch / torch thread.
/// </summary>
internal static class AccuracyBenchmark
{
    public static int Run(BenchmarkData data, int seeds, int epochs)
    {
        var list = Enumerable.Range(1, seeds).ToArray();
        var workers = Math.Max(1, Environment.ProcessorCount);
        Console.WriteLine();
        Console.WriteLine($"Accuracy parity: seed procedure (Adam 0.001, batch 4), {epochs} epoch(s) on {data.TrainSet.Count} training images, " +
                          $"test accuracy on {data.TestSet.Count}; seeds 1..{seeds}, {workers} at a time, 1 thread each.");
        var clock = Stopwatch.StartNew();
        var ours = new double[seeds];
        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            var settings = new TrainingSettings { Epochs = epochs, Seed = list[i], NumberOfThreads = 1 };
            using var model = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
            TrainingLoop.Train(model, data.TrainSet, null, settings);
            ours[i] = TrainingLoop.Evaluate(model, data.TestSet, 256).Accuracy;
        });
        Console.WriteLine($"MlNetCnn: {clock.Elapsed.TotalSeconds:F0} s");

        double[]? theirs = null;
        if (PyTorchReference.HasTorch())
        {
            clock.Restart();
            var results = new double?[seeds];
            Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => results[i] = PyTorchReference.Accuracy(data.Directory, epochs, list[i]));
            Console.WriteLine($"PyTorch: {clock.Elapsed.TotalSeconds:F0} s");
            if (results.All(r => r.HasValue)) theirs = results.Select(r => r!.Value).ToArray();
            else Console.WriteLine("PyTorch: the reference script failed for some seeds; its column is left empty.");
        }
        else
        {
            Console.WriteLine("PyTorch: /usr/bin/python3 has no torch (apt-get install python3-torch); its column is left empty.");
        }

        Console.WriteLine();
        Console.WriteLine("| seed | MlNetCnn test accuracy | PyTorch test accuracy |");
        Console.WriteLine("|---|---|---|");
        for (var i = 0; i < seeds; i++)
            Console.WriteLine($"| {list[i]} | {Percent(ours[i])} | {(theirs is null ? "–" : Percent(theirs[i]))} |");
        Console.WriteLine($"| mean ± sd | {Percent(Mean(ours))} ± {Points(Sd(ours))} | {(theirs is null ? "–" : $"{Percent(Mean(theirs))} ± {Points(Sd(theirs))}")} |");
        if (theirs is not null)
        {
            var (t, df, p) = Welch(ours, theirs);
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant(
                $"Welch's t = {t:F2} (df {df:F1}), two-sided p = {p:F3}: difference of means {100 * (Mean(ours) - Mean(theirs)):+0.0;-0.0} points; ") +
                (p < 0.05 ? "the two procedures differ at α = 0.05." : "not distinguishable at α = 0.05."));
        }

        return 0;
    }

    /// <summary>Welch's unequal-variance t-test of two samples: t, Welch–Satterthwaite degrees of freedom, two-sided p.</summary>
    public static (double T, double Df, double P) Welch(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2) return (double.NaN, double.NaN, double.NaN);
        var (va, vb) = (Sd(a) * Sd(a) / a.Count, Sd(b) * Sd(b) / b.Count);
        if (va + vb == 0) return (double.NaN, double.NaN, double.NaN);
        var t = (Mean(a) - Mean(b)) / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return (t, df, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
    }

    private static double Mean(IReadOnlyList<double> v) => v.Average();

    private static double Sd(IReadOnlyList<double> v)
    {
        var m = v.Average();
        return v.Count < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Points(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture);
}
