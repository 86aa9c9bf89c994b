using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary>The command line run in-process: exit codes, files written, refusals.</summary>
[Collection("console")]
public class CommandLineTests
{
    [Fact]
    public async Task TrainWritesAModelAndRefusesToOverwriteWithoutForce()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        string[] Train(params string[] extra) =>
            new[] { "train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "40", "--threads", "1", "--output", model, "-q" }.Concat(extra).ToArray();

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Train()));
        Assert.True(new FileInfo(model).Length > 1000);
        var written = File.GetLastWriteTimeUtc(model);

        Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(Train()));
        Assert.Equal(written, File.GetLastWriteTimeUtc(model));
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Train("--force")));
    }

    [Fact]
    public async Task ReportFromASavedModelWritesOneOfflinePageAndProtectsIt()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var html = temp.Combine("report.html");
        var data = SharedData.CifarDirectory;
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "train", "--data", data, "--epochs", "1", "--max-train", "60", "--output", model, "-q" }));

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", html, "--images", "0,3", "-q" }));
        var page = File.ReadAllText(html);
        Assert.Contains("<html", page);
        Assert.DoesNotContain("<script src=\"http", page);
        Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", html, "-q" }));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", temp.Combine("b.html"), "--images", "x", "-q" }));

        File.WriteAllText(model, "not a model");
        Assert.Equal(ExitCodes.InvalidInput, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", temp.Combine("c.html"), "-q" }));
    }

    [Fact]
    public async Task OneShotDefaultTrainsSavesAndReportsIntoArtifacts()
    {
        using var temp = new TempDirectory();
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(temp.Path);
        try
        {
            var args = new[] { "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "40", "-q" };
            Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(args));
            Assert.True(File.Exists(Path.Combine("artifacts", "model.zip")));
            Assert.True(File.Exists(Path.Combine("artifacts", "report.html")));
            // Its own artifacts are replaced on the next run; a path the user chose is not.
            Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(args));
            File.WriteAllText("mine.html", "keep");
            Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(args.Concat(new[] { "--output", "mine.html" }).ToArray()));
            Assert.Equal("keep", File.ReadAllText("mine.html"));
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [Fact]
    public async Task MissingExplicitDataFolderExitsWithDataNotFound()
    {
        using var temp = new TempDirectory();
        Assert.Equal(ExitCodes.DataNotFound, await CliApplication.RunAsync(new[] { "train", "--data", temp.Combine("nowhere"), "-q" }));
    }

    [Fact]
    public async Task BadConvChannelsIsAUsageError()
    {
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(new[] { "train", "--conv-channels", "6,x", "--data", SharedData.CifarDirectory, "-q" }));
    }

    [Fact]
    public async Task AValueThatIsNotANumberIsAnsweredWithTheRangeTheOptionAccepts()
    {
        var (code, output) = await TestSupport.InProcessCli.Run("train", "--epochs", "abc", "-q");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--epochs: 'abc' is not a whole number; it must be at least 1.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("2147483647", output, StringComparison.Ordinal);
        (code, output) = await TestSupport.InProcessCli.Run("--epochs", "1.5");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--epochs: '1.5' is not a whole number; it must be at least 1.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpSaysWhatTheBareCommandDoesAndWhatExperimentsCost()
    {
        var (_, root) = await TestSupport.InProcessCli.Run("--help");
        Assert.Contains("Without a command, `mlnetcnn` trains with the seed's procedure (10 epochs", root, StringComparison.Ordinal);
        Assert.Contains("artifacts/report.html", root, StringComparison.Ordinal);
        var (_, experiment) = await TestSupport.InProcessCli.Run("experiment", "--help");
        var experiments = Experiments.ExperimentRegistry.Default.Names.Count;
        var cpu = Cli.Steps.ExperimentTimeEstimate.CpuSeconds(experiments * 5, 5085, 2);
        Assert.Contains($"Budget: 'all' runs {experiments} experiments × 5 seeds = {experiments * 5} runs of 2 epochs each: about {cpu.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} CPU s", experiment, StringComparison.Ordinal);
        Assert.Contains("Its verdicts only show that the code runs", experiment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImpossibleArchitectureIsInvalidInputNotACrash()
    {
        var code = await CliApplication.RunAsync(new[] { "train", "--conv-channels", "4,4,4,4,4,4", "--data", SharedData.CifarDirectory, "--max-train", "8", "--epochs", "1", "-q" });
        Assert.Equal(ExitCodes.InvalidInput, code);
    }

    [Fact]
    public async Task CorruptDataFileIsInvalidInput()
    {
        using var temp = new TempDirectory();
        SyntheticCifar10.WriteDirectory(temp.Path);
        File.WriteAllBytes(Path.Combine(temp.Path, "data_batch_2.bin"), new byte[100]);
        Assert.Equal(ExitCodes.InvalidInput, await CliApplication.RunAsync(new[] { "train", "--data", temp.Path, "-q" }));
    }

    [Fact]
    public async Task UnknownVerbIsRejected()
    {
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(new[] { "frobnicate" }));
    }
}
