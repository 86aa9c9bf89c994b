using Microsoft.ML;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary>
/// `train`'s validation split, early stopping, keep-best, augmentation and padding options: each epoch line names its
/// splits, the saved model carries the procedure, options that need a validation split are refused without one, and a
/// circularly padded model exports to .pth with the reminder PyTorch needs.
/// </summary>
[Collection("console")]
public class ValidationAndPaddingCommandTests
{
    private static string[] Train(string output, params string[] more) =>
        ["train", "--data", SharedData.CifarDirectory, "--epochs", "2", "--max-train", "120", "--threads", "1", "--output", output, .. more];

    [Fact]
    public async Task AValidationSplitIsPrintedBesideTheTestSplitAndKeptInTheModel()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var output = CliAssert.Exited(ExitCodes.Success,
            await InProcessCli.Run(Train(model, "--validation-fraction", "0.25", "--keep-best", "--early-stopping-patience", "1", "--augment", "--padding", "circular")),
            "validation loss", "test loss", "which alone choose the model");

        using var loaded = new MLContext(seed: 1).Model.LoadSimpleCnn(model);
        var settings = loaded.Model.Settings;
        Assert.Equal((0.25, true, 1, 4, true), (settings.ValidationFraction, settings.KeepBest, settings.EarlyStoppingPatience, settings.RandomCropPadding, settings.RandomHorizontalFlip));
        Assert.Equal(ConvPadding.Circular, loaded.Model.Architecture.PaddingMode);
        Assert.All(loaded.History, e => Assert.NotNull(e.ValidationLoss));
        Assert.All(loaded.History, e => Assert.NotNull(e.TestLoss));
        Assert.Contains("(circular padding)", output);

        // The state_dict is written, with what the PyTorch class must change.
        var pth = temp.Combine("circular.pth");
        CliAssert.Exited(ExitCodes.Success, await InProcessCli.Run("export", "--model", model, "--output", pth), "padding_mode='circular'");
        Assert.True(new FileInfo(pth).Length > 1000);
    }

    [Fact]
    public async Task TheDefaultRunPrintsOnlyTheTestSplit()
    {
        using var temp = new TempDirectory();
        var output = CliAssert.Exited(ExitCodes.Success, await InProcessCli.Run(Train(temp.Combine("m.zip"))), "test loss");
        Assert.DoesNotContain("validation", output);
    }

    [Theory]
    [InlineData("--keep-best chooses on a validation split: add --validation-fraction", "--keep-best")]
    [InlineData("--early-stopping-patience chooses on a validation split", "--early-stopping-patience", "2")]
    [InlineData("--validation-fraction must be at least 0 and below 1", "--validation-fraction", "1")]
    [InlineData("--padding must be zeros or circular, got reflect", "--padding", "reflect")]
    public async Task OptionsThatCannotWorkAreUsageErrorsBeforeTraining(string expected, params string[] args)
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("none.zip");
        CliAssert.Exited(ExitCodes.UsageError, await InProcessCli.RunForErrors(CancellationToken.None, [.. Train(model), .. args]), expected);
        Assert.False(File.Exists(model));
    }
}
