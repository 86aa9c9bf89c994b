using System.IO.Compression;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Output;

/// <summary>
/// Issue 30: the CLI started with a standard stream closed (<c>&gt;&amp;-</c>, <c>2&gt;&amp;-</c>, <c>&lt;&amp;-</c>),
/// full (<c>/dev/full</c>) or a pipe whose reader is gone exits with the code of the same run on a terminal and writes the
/// same files. Before, the runtime's own pipe sat on the closed descriptor: <c>train --epochs 0 2&gt;&amp;-</c> aborted
/// (134) and <c>export … &gt;&amp;- 2&gt;&amp;-</c> exited 5 after writing.
/// </summary>
public class StandardStreamsTests
{
    private static readonly string Data = SharedData.CifarDirectory;

    [UnixTheory]
    [InlineData(">&-")]
    [InlineData("2>&-")]
    [InlineData(">&- 2>&-")]
    [InlineData("<&- >&- 2>&-")]
    [InlineData(">/dev/full 2>/dev/full")]
    [InlineData("2>&1 | true")]
    public async Task ClosedFullOrBrokenStandardStreamsChangeNoExitCodeAndNoOutput(string redirections)
    {
        using var temp = new TempDirectory();
        // A usage error: its message goes to stderr.
        Assert.Equal(ExitCodes.UsageError, await CliProcess.RunWithStreams(redirections, ["train", "--epochs", "0"]));
        // A failure after work started: its message too, with the same code as on a terminal.
        Assert.Equal(ExitCodes.DataNotFound, await CliProcess.RunWithStreams(redirections, ["report", "--model", temp.Combine("missing.zip"), "--data", Data, "-o", temp.Combine("r.html")]));

        var model = temp.Combine("m.zip");
        Assert.Equal(ExitCodes.Success, await CliProcess.RunWithStreams(redirections, ["train", "--data", Data, "--epochs", "1", "--max-train", "40", "--output", model]));
        using (var zip = ZipFile.OpenRead(model)) Assert.NotNull(zip.GetEntry("manifest.json"));

        var onnx = temp.Combine("m.onnx");
        Assert.Equal(ExitCodes.Success, await CliProcess.RunWithStreams(redirections, ["export", "--model", model, "--output", onnx]));
        Assert.True(new FileInfo(onnx).Length > 10_000);
        // Nothing but the two outputs: no message went into a file, no temporary file was left.
        Assert.Equal(["m.onnx", "m.zip"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
