using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

[Collection("console")]
public class TrainingDivergenceTests
{
    [Fact]
    public async Task TrainingIntoNanExitsWithItsOwnCodeAndWritesNoModel()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var exit = await CliApplication.RunAsync(new[]
        {
            "train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "64", "--threads", "1",
            "--learning-rate", "1e30", "--output", model, "-q",
        });

        Assert.Equal(ExitCodes.TrainingDiverged, exit);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}
