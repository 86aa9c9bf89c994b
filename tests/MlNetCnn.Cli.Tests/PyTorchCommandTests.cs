using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Cli;
using MlNetCnn.Data;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests;

/// <summary><c>export</c> and <c>report --model x.pth</c>: PyTorch state_dicts through the command line.</summary>
[Collection("console")]
public class PyTorchCommandTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => ImageFolderCommandTests.Run(args);

    [Fact]
    public async Task ExportWritesAStateDictThatReportAndExportReadBack()
    {
        using var temp = new TempDirectory();
        var data = SharedData.CifarDirectory;
        var model = temp.Combine("model.zip");
        var pth = temp.Combine("simplecnn.pth");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", data, "--epochs", "1", "--max-train", "40", "--output", model, "-q")).Code);

        var (code, output) = await Run("export", "--model", model, "--output", pth);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias", output);
        Assert.Equal(ExitCodes.OutputExists, (await Run("export", "--model", model, "--output", pth)).Code);

        (code, output) = await Run("report", "--model", pth, "--data", data, "--output", temp.Combine("report.html"));
        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("PyTorch state_dict", output);
        Assert.Contains("Class names from the data: airplane, automobile", output);

        (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("back.zip"), "--class-names", "a,b,c,d,e,f,g,h,i,j");
        Assert.True(code == ExitCodes.Success, output);
        (code, output) = await Run("report", "--model", pth, "--data", data, "--class-names", "a,b", "--output", temp.Combine("r2.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--class-names gives 2 names but the model has 10 outputs", output);

        File.WriteAllText(temp.Combine("bad.pth"), "not torch");
        (code, output) = await Run("report", "--model", temp.Combine("bad.pth"), "--data", data, "--output", temp.Combine("r3.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.pth", output);
    }

    [Fact]
    public async Task PyTorchModelWithOtherClassOrderIsAlignedByName()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, 8, 32, 32, grayscale: false);
        var model = temp.Combine("m.zip");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", images, "--epochs", "1", "--output", model, "-q")).Code);
        var pth = temp.Combine("m.pth");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", model, "--output", pth, "-q")).Code);

        // The folder sorts checker, horizontal, vertical; naming the outputs otherwise remaps the data's labels by name.
        var (code, output) = await Run("report", "--model", pth, "--data", images, "--class-names", "vertical,checker,horizontal", "--output", temp.Combine("r.html"));
        Assert.True(code == ExitCodes.Success, output);
        (code, output) = await Run("report", "--model", pth, "--data", images, "--class-names", "x,y,z", "--output", temp.Combine("r2.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("which the model does not know", output);
    }

    [PyTorchFact]
    public async Task StateDictSavedByTheSeedsPyTorchOpensInReportAndOurExportLoadsInTheSeedsClass()
    {
        using var temp = new TempDirectory();
        var train = new MLContext(1).Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, 16);
        var pixels = train.GetColumn<Microsoft.ML.Data.VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        var labels = train.GetColumn<uint>("Label").Select(k => (long)k - 1).ToArray();
        File.WriteAllBytes(temp.Combine("x.f32"), pixels.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(temp.Combine("y.i64"), labels.SelectMany(BitConverter.GetBytes).ToArray());
        var pth = temp.Combine("seed.pth");
        PythonTorch.Run("train", temp.Combine("x.f32"), temp.Combine("y.i64"), "16", "4", "1", pth, temp.Path);

        var (code, output) = await Run("report", "--model", pth, "--data", SharedData.CifarDirectory, "--output", temp.Combine("report.html"));
        Assert.True(code == ExitCodes.Success, output);

        var zip = temp.Combine("ours.zip");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", pth, "--output", zip, "-q")).Code);
        var back = temp.Combine("back.pth");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", zip, "--output", back, "-q")).Code);
        PythonTorch.Run("forward", back, temp.Combine("x.f32"), "16", temp.Path);
        Assert.True(new FileInfo(temp.Combine("logits.f32")).Length == 16 * 10 * 4);
    }
}
