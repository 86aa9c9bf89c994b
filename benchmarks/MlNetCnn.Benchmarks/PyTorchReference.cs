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
    public static (double Train, double Forward)? Measure(string cifarDirectory, int threads)
    {
        if (!Available || Script == null || !File.Exists(Python))
        {
            Available = false;
            return null;
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Script, cifarDirectory, "--epochs", "1", "--threads", threads.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        var train = Regex.Match(output, @"training: (\d+) images/s");
        var forward = Regex.Match(output, @"forward: (\d+) images/s");
        if (process.ExitCode != 0 || !train.Success || !forward.Success)
        {
            Available = false;
            return null;
        }
        return (double.Parse(train.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(forward.Groups[1].Value, CultureInfo.InvariantCulture));
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
