using System.Globalization;
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
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DisposeWhileOtherThreadsScoreAndExportNeverCrashesTheProcess(int seed)
    {
        var (code, output) = ChildProcess.RunDotnet(
            [typeof(ChildEntryPoint).Assembly.Location, ChildEntryPoint.DisposeDuringUseCommand, "25", seed.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(4));
        // 139 = 128 + SIGSEGV, 134 = SIGABRT: the crashes this test exists for.
        Assert.True(code == 0, $"child exited {code}: {output}");
        Assert.Contains("rounds 25", output);
        Assert.Contains("refused after dispose", output);
    }
}
