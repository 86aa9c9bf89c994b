using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

[Collection("console")]
public class StreamingTrainTests
{
    [Fact]
    public async Task StreamBufferOptionTrainsAndIsCheckedWhileParsing()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        string[] Train(string buffer, string output) =>
            ["train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "40", "--threads", "1", "--stream-buffer", buffer, "--output", output, "-q"];

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Train("16", model)));
        Assert.True(new FileInfo(model).Length > 1000);

        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Train("0", temp.Combine("none.zip"))));
        Assert.False(File.Exists(temp.Combine("none.zip")));
    }
}
