using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A Python 3 that can import a given module, found once: the <c>MLNETCNN_PYTHON</c> variable (alone, when set: an
/// explicit choice has no fallback), else /usr/bin/python3 (where Debian's python3-* packages live; a pyenv or venv
/// python3 earlier on PATH does not see them), then python3 on PATH. <see cref="PythonTorch"/> and
/// <c>PythonOnnx</c> are the two instances.
/// </summary>
public sealed class PythonWithModule
{
    public const string EnvironmentVariable = "MLNETCNN_PYTHON";

    private readonly Lazy<(string? Python, string Why)> found;

    /// <param name="probe">Python code that succeeds only where the module is usable, e.g. <c>import torch</c>.</param>
    /// <param name="missing">What to install, said first in the skip message.</param>
    public PythonWithModule(string probe, string missing) => found = new(() => Find(Candidates(), probe, missing));

    /// <summary>The interpreter, or null when none can import the module.</summary>
    public string? Python => found.Value.Python;

    /// <summary>Why no interpreter was found (for the skip message).</summary>
    public string WhyMissing => found.Value.Why;

    /// <summary>Runs the interpreter with <paramref name="args"/>; returns its exit code and output (stdout then stderr).</summary>
    public (int Code, string Output) Run(params string[] args) =>
        Execute(Python ?? throw new InvalidOperationException(WhyMissing), args, TimeSpan.FromMinutes(3));

    // MLNETCNN_PYTHON alone when set; else /usr/bin/python3, then the first executable python3 on PATH.
    private static IReadOnlyList<string> Candidates()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return [fromEnvironment.Contains(Path.DirectorySeparatorChar) ? fromEnvironment : ExecutableSearch.FindOnPath(fromEnvironment, path) ?? fromEnvironment];
        var candidates = new List<string> { "/usr/bin/python3" };
        if (ExecutableSearch.FindOnPath("python3", path) is { } onPath) candidates.Add(onPath);
        return candidates;
    }

    /// <summary>
    /// The first of <paramref name="candidates"/> that runs <paramref name="probe"/>; a missing, dangling or
    /// non-executable candidate is tried and reported like one that lacks the module, never thrown.
    /// </summary>
    internal static (string? Python, string Why) Find(IEnumerable<string> candidates, string probe, string missing)
    {
        var tried = new List<string>();
        foreach (var candidate in candidates.Distinct())
        {
            if (!ExecutableSearch.IsExecutableFile(candidate))
            {
                tried.Add($"{candidate}: not an executable file");
                continue;
            }
            try
            {
                var (code, output) = Execute(candidate, ["-c", probe], TimeSpan.FromMinutes(1));
                if (code == 0) return (candidate, "");
                tried.Add($"{candidate}: {output.Trim().Split('\n').LastOrDefault()}");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
            {
                tried.Add($"{candidate}: {e.Message}");
            }
        }
        return (null, $"{missing} or set {EnvironmentVariable}. Tried {string.Join("; ", tried)}.");
    }

    private static (int Code, string Output) Execute(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds:F0} s.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
