using System.Globalization;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Transforms;

/// <summary>
/// Disposing a transformer while a PredictionEngine, a cursor and an ONNX export use it on other threads never crashes
/// the process (it did: SIGSEGV in 2 of 7 runs, "Tensor invalid -- empty handle") and calls that start afterwards throw
/// ObjectDisposedException. The hammering runs in a child process (<see cref="DisposeDuringUseChild"/>), so a native
/// crash fails this test instead of killing the test host.
/// </summary>
public class DisposeDuringUseTests
{
    /// <remarks>
    /// Shown to fail without the leases (TrainedCnn.Dispose freeing the network while uses hold it): every libtorch row
    /// exited 3 with "Tensor invalid -- empty handle" within its first two rounds, from the export, the cursor or the
    /// PredictionEngine. Under <see cref="InferenceEngine.Auto"/> scoring runs on ONNX Runtime, so only the export touched
    /// libtorch there: the libtorch rows are what prove the scoring paths. With OnnxRuntimeForward freeing its sessions
    /// at Dispose instead of after the last Run in flight, the ONNX Runtime row died with SIGSEGV (exit 139).
    /// </remarks>
    [Theory]
    [InlineData(1, "predict,cursor,export", InferenceEngine.Auto)]
    [InlineData(2, "predict,cursor,export", InferenceEngine.Auto)]
    [InlineData(1, "predict,cursor", InferenceEngine.LibTorch)]
    [InlineData(2, "predict,cursor", InferenceEngine.LibTorch)]
    [InlineData(1, "cursor", InferenceEngine.LibTorch)]
    [InlineData(1, "predict,cursor", InferenceEngine.OnnxRuntime)]
    public void DisposeWhileOtherThreadsScoreAndExportNeverCrashesTheProcess(int seed, string workers, InferenceEngine engine)
    {
        var (code, output) = ChildProcess.RunDotnet(
            [typeof(ChildEntryPoint).Assembly.Location, ChildEntryPoint.DisposeDuringUseCommand, "25", seed.ToString(CultureInfo.InvariantCulture), workers, engine.ToString()],
            timeout: TimeSpan.FromMinutes(4));
        // 139 = 128 + SIGSEGV, 134 = SIGABRT: the crashes this test exists for; 3 = an exception other than ObjectDisposedException.
        Assert.True(code == 0, $"child exited {code}: {output}");
        Assert.Contains($"rounds 25 ({workers}, {engine})", output);
        Assert.Contains("refused after dispose", output);
    }
}
