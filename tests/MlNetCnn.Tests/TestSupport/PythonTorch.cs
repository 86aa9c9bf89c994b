using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A Python 3 that can <c>import torch</c> (Debian's python3-torch, which .ci/run installs), found once: the
/// <c>MLNETCNN_PYTHON</c> variable (alone, when set), else /usr/bin/python3 (where Debian's package lives; a pyenv or venv python3
/// earlier on PATH does not see it), then python3 on PATH.
/// </summary>
public static class PythonTorch
{
    public const string EnvironmentVariable = "MLNETCNN_PYTHON";

    private static readonly Lazy<(string? Python, string Why)> Found = new(Find);

    /// <summary>The interpreter, or null when none can import torch.</summary>
    public static string? Python => Found.Value.Python;

    /// <summary>Why no interpreter was found (for the skip message).</summary>
    public static string WhyMissing => Found.Value.Why;

    /// <summary>The seed's PyTorch script, copied next to the test binaries.</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "pytorch", "seed_simplecnn.py");

    /// <summary>Runs the script; fails the test with Python's output when it exits non-zero.</summary>
    public static void Run(params string[] args)
    {
        var python = Python ?? throw new InvalidOperationException(WhyMissing);
        var (code, output) = Execute(python, [Script, .. args], TimeSpan.FromMinutes(3));
        if (code != 0) throw new InvalidOperationException($"{python} {Path.GetFileName(Script)} {string.Join(' ', args)} exited {code}:\n{output}");
    }

    private static (string?, string) Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment); // an explicit choice: no fallback
        }
        else
        {
            if (File.Exists("/usr/bin/python3")) candidates.Add("/usr/bin/python3");
            candidates.Add("python3");
        }
        var tried = new List<string>();
        foreach (var candidate in candidates.Distinct())
        {
            try
            {
                var (code, output) = Execute(candidate, ["-c", "import torch; print(torch.__version__)"], TimeSpan.FromMinutes(1));
                if (code == 0) return (candidate, "");
                tried.Add($"{candidate}: {output.Trim().Split('\n').LastOrDefault()}");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
            {
                tried.Add($"{candidate}: {e.Message}");
            }
        }
        return (null, "No Python with PyTorch: install Debian's python3-torch (`apt-get install -y --no-install-recommends python3-torch`; .ci/run does) " +
                      $"or set {EnvironmentVariable}. Tried {string.Join("; ", tried)}.");
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

/// <summary>
/// A fact that needs a Python with PyTorch; skipped, saying why, where there is none — unless
/// <c>MLNETCNN_REQUIRE_PYTORCH=1</c> (set by .ci/run, which installs python3-torch), where it runs and fails instead.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public const string RequireVariable = "MLNETCNN_REQUIRE_PYTORCH";

    public PyTorchFactAttribute()
    {
        if (PythonTorch.Python == null && Environment.GetEnvironmentVariable(RequireVariable) != "1") Skip = PythonTorch.WhyMissing;
    }
}
