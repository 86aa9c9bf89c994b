using MlNetCnn.Cli;
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
        Assert.NotEqual(ExitCodes.Success, await CliApplication.RunAsync(new[] { "frobnicate" }));
    }
}
