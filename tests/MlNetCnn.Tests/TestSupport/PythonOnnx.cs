namespace MlNetCnn.Tests.TestSupport;

/// <summary>A Python 3 that can <c>import onnx</c> (Debian's python3-onnx, which .ci/run installs); found as <see cref="PythonWithModule"/> says.</summary>
public static class PythonOnnx
{
    private static readonly PythonWithModule Found = new("import onnx, onnx.checker; print(onnx.__version__)",
        "No Python with the onnx package: install Debian's python3-onnx (`apt-get install -y --no-install-recommends python3-onnx`; .ci/run does)");

    /// <summary>The interpreter, or null when none can import onnx.</summary>
    public static string? Python => Found.Python;

    /// <summary>Why no interpreter was found (for the skip message).</summary>
    public static string WhyMissing => Found.WhyMissing;

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns its exit code and output (stdout then stderr).</summary>
    public static (int Code, string Output) Run(string script, params string[] args) => Found.Run(["-c", script, .. args]);
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
