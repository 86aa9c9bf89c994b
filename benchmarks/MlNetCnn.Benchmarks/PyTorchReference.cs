using System.Diagnostics;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Runs the seed procedure in PyTorch (benchmarks/pytorch-reference/seed_reference.py) right after our own figures,
/// so both are measured under the same machine load. Skipped with a note when Debian's python3-torch is absent.
/// </summary>
internal static class PyTorchReference
{
    private const string Python = "/usr/bin/python3";

    public static void Run(string cifarDirectory)
    {
        var script = FindScript();
        if (script == null || !File.Exists(Python))
        {
            Console.WriteLine("PyTorch reference skipped (needs /usr/bin/python3 with python3-torch and benchmarks/pytorch-reference/seed_reference.py).");
            return;
        }
        foreach (var threads in new[] { 1, 2 })
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, cifarDirectory, "--epochs", "1", "--threads", threads.ToString() })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Console.WriteLine(process.ExitCode == 0
                ? $"PyTorch 1.13 reference, {threads} thread(s), same run: {string.Join("; ", lines.Take(2))}"
                : $"PyTorch reference failed ({process.ExitCode}): {errors.Trim().Split('\n').LastOrDefault()}");
        }
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
