using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Output;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>
/// One test (or theory) per row of the exit-code table in README.md, each checking the message too: it names the
/// option, file or layer in the CLI's own words, and the failure comes before any training or scoring.
/// </summary>
[Collection("console")]
public class ExitCodeTableTests
{
    private static readonly string Data = SharedData.CifarDirectory;

    [Fact]
    public async Task Row0SuccessAndTrainWithoutOutputSaysNothingIsSaved()
    {
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", Data, "--epochs", "1", "--max-train", "8", "--threads", "1", "-q"),
            "--output", "not be saved");
    }

    [Fact]
    public void Row1UnexpectedNamesTheExceptionType()
    {
        var (code, message) = CliRunner.Classify(new InvalidOperationException("boom"));
        Assert.Equal(ExitCodes.UnexpectedError, code);
        Assert.Equal("InvalidOperationException: boom", message);
    }

    [Theory]
    [InlineData("--seed", "train", "--seed", "abc")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("--frob", "train", "--frob")]
    [InlineData("--model", "report")]
    [InlineData("experiment", "experiment")]
    [InlineData("--epochs must be at least 1, got 0", "train", "--epochs", "0")]
    [InlineData("--batch-size must be at least 1", "train", "--batch-size", "0")]
    [InlineData("--threads must be at least 1", "train", "--threads", "0")]
    [InlineData("--max-train must be at least 1, got -5", "train", "--max-train", "-5")]
    [InlineData("--learning-rate must be a positive number", "train", "--learning-rate", "-1")]
    [InlineData("--conv-channels: 'x'", "train", "--conv-channels", "6,x")]
    [InlineData("--data was given an empty value", "train", "--data", "")]
    [InlineData("--output was given an empty value", "train", "--output", " ")]
    [InlineData("--images: 'x'", "report", "--model", "m.zip", "--images", "x")]
    public async Task Row2UsageErrorsNameTheOptionAndComeFirst(string expected, params string[] args)
    {
        // Data is not even looked for: a parse error stops the command before anything else runs.
        var error = CliAssert.Exited(ExitCodes.UsageError, await Run([.. args, "-q"]), expected);
        Assert.DoesNotContain("(Parameter", error);
        Assert.Contains("--help", error);
    }

    [Fact]
    public async Task Row3DataOrModelNotFound()
    {
        using var temp = new TempDirectory();
        CliAssert.Exited(ExitCodes.DataNotFound, await Run("train", "--data", temp.Combine("nowhere"), "-q"), "nowhere");

        CliAssert.Exited(ExitCodes.DataNotFound, await Run("report", "--model", temp.Combine("missing.zip"), "--data", Data, "--output", temp.Combine("r.html"), "-q"),
            "missing.zip");
    }

    [Fact]
    public async Task Row4OutputExistsIsRefusedBeforeTraining()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        File.WriteAllText(model, "keep");
        // --data points nowhere: the refusal must come before the data is even looked for.
        CliAssert.Exited(ExitCodes.OutputExists, await Run("train", "--data", temp.Combine("nowhere"), "--output", model, "-q"),
            "--force");
        Assert.Equal("keep", File.ReadAllText(model));
    }

    [Fact]
    public async Task Row5InvalidInputHugeArchitectureNamesTheLayerAndBytesBeforeReadingData()
    {
        var error = CliAssert.Exited(ExitCodes.InvalidInput, await Run("train", "--conv-channels", "100000,100000", "--data", SharedData.CifarDirectory, "-q"),
            "--conv-channels", "'conv2'", "bytes");
        Assert.DoesNotContain("alloc_cpu", error);
    }

    [Fact]
    public async Task Row5InvalidInputAFolderAsTheModel()
    {
        using var temp = new TempDirectory();
        CliAssert.Exited(ExitCodes.InvalidInput, await Run("report", "--model", temp.Path, "--data", Data, "--output", temp.Combine("r.html"), "-q"),
            "is a folder");
    }

    [Fact]
    public async Task Row5InvalidInputImageIndexPastTheEndIsCaughtBeforeScoring()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", Data, "--epochs", "1", "--max-train", "8", "--output", model, "-q")).Code);
        CliAssert.Exited(ExitCodes.InvalidInput, await Run("report", "--model", model, "--data", Data, "--output", temp.Combine("r.html"), "--images", "0,99999", "-q"),
            "--images: 99999 is past the end of the test split");
        CliAssert.NotWritten(temp.Combine("r.html"));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("report")]
    public async Task Row6OutputThatIsAFolderIsRefusedBeforeAnyWork(string verb)
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("out");
        Directory.CreateDirectory(folder);
        string[] args = verb == "train"
            ? ["train", "--data", temp.Combine("nowhere"), "--output", folder, "-q"]
            : ["report", "--model", temp.Combine("nowhere.zip"), "--data", temp.Combine("nowhere"), "--output", folder, "-q"];
        var error = CliAssert.Exited(ExitCodes.OutputNotWritable, await Run(args), folder, "is a folder");
        Assert.DoesNotContain("already exists", error);
    }

    [Fact]
    public async Task Row6OutputUnderAFileCannotBeCreated()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("file"), "x");
        var target = temp.Combine("file", "sub", "m.zip");
        CliAssert.Exited(ExitCodes.OutputNotWritable, await Run("train", "--data", temp.Combine("nowhere"), "--output", target, "-q"),
            target);
    }

    [Fact]
    public void Row6DiskFullNamesTheRealOutputPath()
    {
        var e = new OutputFileException("/data/out/model.zip", "writing failed: no space left on the device.", new IOException("No space left on device", 28));
        var (code, message) = CliRunner.Classify(e);
        Assert.Equal(ExitCodes.OutputNotWritable, code);
        Assert.Contains("/data/out/model.zip", message);
        Assert.DoesNotContain(".tmp", message);
    }

    [Fact]
    public async Task Row8NetworkFailureBeforeAnythingIsWritten()
    {
        using var temp = new TempDirectory();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        CliAssert.Exited(ExitCodes.NetworkFailure, await Run("download", "--root", temp.Combine("data"), "--url", $"http://127.0.0.1:{port}/c.tar.gz", "--md5", new string('a', 32), "-q"),
            $"127.0.0.1:{port}");
        CliAssert.NotWritten(temp.Combine("data", "cifar-10-batches-bin"));
    }

    [Fact]
    public void TheReadmeTableListsExactlyTheCodesOfExitCodes()
    {
        var readme = File.ReadAllLines(Repository.Combine("README.md"));
        var header = Array.FindIndex(readme, l => l.StartsWith("| code | meaning", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md has no exit-code table");
        var documented = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => int.Parse(l.Split('|')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var defined = typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).Order().ToArray();
        Assert.Equal(defined, documented);
    }

    [Fact]
    public async Task MissingOutputFolderIsCreatedNotAnError()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("nosuch", "sub", "m.zip");
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", Data, "--epochs", "1", "--max-train", "8", "--output", model, "-q"));
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task Row130CancelledTrainingWritesNothing()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        // Without cancellation this would train for hours.
        CliAssert.Exited(ExitCodes.Cancelled, await Run(cancel.Token, "train", "--data", Data, "--epochs", "100000", "--output", model, "-q"),
            "Cancelled");
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Row130CtrlCInARealProcessStopsCleanly()
    {
        using var temp = new TempDirectory();
        using var process = CliProcess.Start(["train", "--data", Data, "--epochs", "100000", "--output", temp.Combine("model.zip")]);
        // Wait until training runs, then press Ctrl+C (SIGINT).
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) != null && !line.StartsWith("Training conv channels", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        var rest = process.StandardOutput.ReadToEndAsync();
        await Task.Delay(500);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await rest;

        Assert.Equal(ExitCodes.Cancelled, process.ExitCode);
        Assert.Contains("Cancelled", await error);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void EpochLineSaysTestSplitAndFitsIn100Columns()
    {
        var line = ConsoleReporter.Describe(new EpochMetrics(100, 12.3456, 1, null, null, 12345.6) { TestLoss = 12.3456, TestAccuracy = 1 });
        Assert.Contains("test loss", line);
        Assert.DoesNotContain("validation", line);
        Assert.True(line.Length < 100, $"{line.Length} columns: {line}");
    }

    // stderr only: the table's messages are errors, and errors must not go to stdout.
    private static Task<(int Code, string Error)> Run(params string[] args) => InProcessCli.RunForErrors(CancellationToken.None, args);

    private static Task<(int Code, string Error)> Run(CancellationToken cancel, params string[] args) => InProcessCli.RunForErrors(cancel, args);
}
