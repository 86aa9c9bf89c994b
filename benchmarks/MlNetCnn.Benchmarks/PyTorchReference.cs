using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Runs the seed procedure in PyTorch (benchmarks/pytorch-reference/seed_reference.py) between our own rounds, so both
/// are measured under the same machine load. Unavailable (null) when Debian's python3-torch is not installed.
/// </summary>
internal static class PyTorchReference
{
    private const string Python = "/usr/bin/python3";
    private static readonly string? Script = FindScript();

    public static bool Available { get; private set; } = true;

    /// <summary>Training and forward images/s from one 1-epoch run, or null when PyTorch is not available.</summary>
    public static (double Train, double Forward)? Measure(string cifarDirectory, int threads) =>
        RunScript(cifarDirectory, threads) is { } output && Number(output, @"training: (\d+) images/s") is { } train && Number(output, @"forward: (\d+) images/s") is { } forward
            ? (train, forward)
            : Unavailable<(double, double)>();

    /// <summary>Training images/s (1 epoch, 1 thread) and the script's peak RSS in MB, or null when PyTorch is not available.</summary>
    public static (double Train, double PeakMb)? MeasureScale(string cifarDirectory) =>
        RunScript(cifarDirectory, 1) is { } output && Number(output, @"training: (\d+) images/s") is { } train && Number(output, @"peak RSS: (\d+) MB") is { } peak
            ? (train, peak)
            : Unavailable<(double, double)>();

    /// <summary>Test accuracy (a fraction) after <paramref name="epochs"/> epochs of the seed procedure from <paramref name="seed"/> (1 thread), or null when PyTorch is not available.</summary>
    public static double? Accuracy(string cifarDirectory, int epochs, int seed) =>
        RunScript(cifarDirectory, 1, epochs, seed) is { } output && Number(output, @"test accuracy after \d+ epoch\(s\): ([\d.]+)%") is { } percent
            ? percent / 100
            : null;

    /// <summary>Whether /usr/bin/python3 can import torch (Debian's python3-torch).</summary>
    public static bool HasTorch()
    {
        if (!File.Exists(Python) || Script == null) return false;
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "import torch" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private static T? Unavailable<T>() where T : struct
    {
        Available = false;
        return null;
    }

    private static double? Number(string output, string pattern) =>
        Regex.Match(output, pattern) is { Success: true } match ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>The script's output for a run (1 epoch, seed 1 unless given), or null when it cannot run.</summary>
    private static string? RunScript(string cifarDirectory, int threads, int epochs = 1, int seed = 1)
    {
        if (!Available || Script == null || !File.Exists(Python)) return null;
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Script, cifarDirectory, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        error.Wait();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : null;
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "pytorch-reference", "seed_reference.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
