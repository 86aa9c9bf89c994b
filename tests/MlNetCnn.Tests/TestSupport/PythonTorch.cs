namespace MlNetCnn.Tests.TestSupport;

/// <summary>A Python 3 that can <c>import torch</c> (Debian's python3-torch, which .ci/run installs); found as <see cref="PythonWithModule"/> says.</summary>
public static class PythonTorch
{
    public const string EnvironmentVariable = PythonWithModule.EnvironmentVariable;

    private static readonly PythonWithModule Found = new("import torch; print(torch.__version__)",
        "No Python with PyTorch: install Debian's python3-torch (`apt-get install -y --no-install-recommends python3-torch`; .ci/run does)");

    /// <summary>The interpreter, or null when none can import torch.</summary>
    public static string? Python => Found.Python;

    /// <summary>Why no interpreter was found (for the skip message).</summary>
    public static string WhyMissing => Found.WhyMissing;

    /// <summary>The seed's PyTorch script, copied next to the test binaries.</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "pytorch", "seed_simplecnn.py");

    /// <summary>Runs the script; fails the test with Python's output when it exits non-zero.</summary>
    public static void Run(params string[] args)
    {
        var (code, output) = Found.Run([Script, .. args]);
        if (code != 0) throw new InvalidOperationException($"{Python} {Path.GetFileName(Script)} {string.Join(' ', args)} exited {code}:\n{output}");
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
