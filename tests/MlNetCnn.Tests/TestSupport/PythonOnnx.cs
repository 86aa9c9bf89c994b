using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A Python 3 that can <c>import onnx</c> (Debian's python3-onnx, which .ci/run installs), found once: the
/// <c>MLNETCNN_PYTHON</c> variable (alone, when set), else /usr/bin/python3 (Debian's; a pyenv or venv python3 earlier on
/// PATH does not see it), then python3 on PATH — the same search as <see cref="PythonTorch"/>.
/// </summary>
public static class PythonOnnx
{
    private static readonly Lazy<(string? Python, string Why)> Found = new(Find);

    /// <summary>The interpreter, or null when none can import onnx.</summary>
    public static string? Python => Found.Value.Python;

    /// <summary>Why no interpreter was found (for the skip message).</summary>
    public static string WhyMissing => Found.Value.Why;

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns its exit code and output (stdout then stderr).</summary>
    public static (int Code, string Output) Run(string script, params string[] args)
    {
        var python = Python ?? throw new InvalidOperationException(WhyMissing);
        return Execute(python, ["-c", script, .. args], TimeSpan.FromMinutes(3));
    }

    private static (string?, string) Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(PythonTorch.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
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
                var (code, output) = Execute(candidate, ["-c", "import onnx, onnx.checker; print(onnx.__version__)"], TimeSpan.FromMinutes(1));
                if (code == 0) return (candidate, "");
                tried.Add($"{candidate}: {output.Trim().Split('\n').LastOrDefault()}");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
            {
                tried.Add($"{candidate}: {e.Message}");
            }
        }
        return (null, "No Python with the onnx package: install Debian's python3-onnx (`apt-get install -y --no-install-recommends python3-onnx`; .ci/run does) " +
                      $"or set {PythonTorch.EnvironmentVariable}. Tried {string.Join("; ", tried)}.");
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
/// A fact that needs ONNX's own checker (python3-onnx); skipped, saying why, where there is none — unless
/// <c>MLNETCNN_REQUIRE_ONNX=1</c> (set by .ci/run, which installs python3-onnx), where it runs and fails instead.
/// </summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public const string RequireVariable = "MLNETCNN_REQUIRE_ONNX";

    public OnnxCheckerFactAttribute()
    {
        if (PythonOnnx.Python == null && Environment.GetEnvironmentVariable(RequireVariable) != "1") Skip = PythonOnnx.WhyMissing;
    }
}
