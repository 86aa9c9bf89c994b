using System.IO.Compression;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// Runs the real <c>mlnetcnn</c> in fresh processes with oneDNN's own trace on (<c>ONEDNN_VERBOSE=1</c>, which prints a
/// line for every oneDNN primitive executed). These hold on any CPU: they check which kernels ran and that two
/// processes agree to the bit, not that this machine's oneDNN happens to compute correctly.
/// </summary>
public class FreshProcessConvolutionTests
{
    private const string OneDnnTrace = "ONEDNN_VERBOSE";

    [Fact]
    public void TrainingInFreshProcessesRunsNoOneDnnConvolutionAndGivesBitIdenticalWeights()
    {
        using var temp = new TempDirectory();
        var first = Train(temp.Combine("first.zip"));
        var second = Train(temp.Combine("second.zip"));

        foreach (var run in new[] { first, second })
        {
            Assert.True(run.ExitCode == 0, $"mlnetcnn train failed (exit {run.ExitCode}):\n{run.Output}");
            Assert.Empty(OneDnnConvolutionLines(run.Output));
            Assert.DoesNotContain("NNPACK", run.Output, StringComparison.Ordinal);
        }
        var weights = Weights(temp.Combine("first.zip"));
        Assert.True(weights.Length > 10_000);
        Assert.Equal(weights, Weights(temp.Combine("second.zip")));
    }

    [Fact]
    public void OptingInKeepsOneDnnConvolutions()
    {
        // The positive control: the trace does show oneDNN convolutions when they run, so the test above can fail.
        // Inference only (the report), because oneDNN's faulty kernel is the backward one.
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var trained = Train(model);
        Assert.True(trained.ExitCode == 0, trained.Output);

        var report = RunCli(oneDnnOptIn: true,
            "report", "--model", model, "--data", SharedData.CifarDirectory, "--images", "0", "--output", temp.Combine("report.html"), "-q");
        Assert.True(report.ExitCode == 0, report.Output);
        Assert.NotEmpty(OneDnnConvolutionLines(report.Output));
    }

    private static (int ExitCode, string Output) Train(string output) =>
        RunCli(oneDnnOptIn: false,
            "train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "200", "--threads", "1", "--seed", "5", "--output", output, "-q");

    private static string[] OneDnnConvolutionLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith("onednn_verbose", StringComparison.Ordinal) && l.Contains(",convolution,", StringComparison.Ordinal)).ToArray();

    private static byte[] Weights(string modelPath)
    {
        using var zip = ZipFile.OpenRead(modelPath);
        using var stream = zip.GetEntry("weights.bin")!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Runs the built CLI (mlnetcnn.dll beside the test assembly) as its own process with oneDNN's trace on.</summary>
    private static (int ExitCode, string Output) RunCli(bool oneDnnOptIn, params string[] arguments) =>
        ChildProcess.RunDotnet([Path.Combine(AppContext.BaseDirectory, "mlnetcnn.dll"), .. arguments],
            new Dictionary<string, string?> { [OneDnnTrace] = "1", ["MLNETCNN_ONEDNN"] = oneDnnOptIn ? "1" : null });
}
