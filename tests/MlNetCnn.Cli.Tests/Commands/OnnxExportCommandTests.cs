using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetCnn.Cli.Commands;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary><c>mlnetcnn export --output x.onnx</c>: the format follows the extension; --feature-maps adds the conv outputs.</summary>
[Collection("console")]
public class OnnxExportCommandTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);

    [Theory]
    [InlineData("m.onnx", ExportCommand.Format.Onnx)]
    [InlineData("M.ONNX", ExportCommand.Format.Onnx)]
    [InlineData("m.pth", ExportCommand.Format.PyTorch)]
    [InlineData("m.pt", ExportCommand.Format.PyTorch)]
    [InlineData("m.zip", ExportCommand.Format.ModelFile)]
    [InlineData("m", ExportCommand.Format.ModelFile)]
    public void TheOutputsExtensionChoosesTheFormat(string path, ExportCommand.Format expected) => Assert.Equal(expected, ExportCommand.FormatOf(path));

    [Fact]
    public async Task ModelFileAndStateDictExportToTheSameOnnxModel()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "40", "--output", model, "-q")).Code);

        var onnx = temp.Combine("model.onnx");
        CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", model, "--output", onnx, "--feature-maps"),
            "outputs probabilities, logits, conv1, conv2");
        Assert.Equal(ExitCodes.OutputExists, (await Run("export", "--model", model, "--output", onnx)).Code);
        CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", model, "--output", onnx, "--force", "-q"));
        using (var session = new InferenceSession(onnx))
            Assert.Equal(["probabilities", "logits"], session.OutputMetadata.Keys);

        // .zip → .pth → .onnx keeps the weights: the same probabilities as .zip → .onnx, with the class names given.
        var pth = temp.Combine("model.pth");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", model, "--output", pth, "-q")).Code);
        var viaPyTorch = temp.Combine("via-pth.onnx");
        CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", pth, "--output", viaPyTorch, "--class-names", "a,b,c,d,e,f,g,h,i,j"),
            "classes in output order: a, b, c");

        var random = new Random(3);
        var input = new DenseTensor<float>(Enumerable.Range(0, 4 * 3072).Select(_ => (float)random.NextDouble()).ToArray(), [4, 3, 32, 32]);
        float[] Probabilities(string path)
        {
            using var session = new InferenceSession(path);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
            return results.First(r => r.Name == "probabilities").AsTensor<float>().ToArray();
        }
        var direct = Probabilities(onnx);
        var throughPth = Probabilities(viaPyTorch);
        Assert.Equal(direct.Length, throughPth.Length);
        for (var i = 0; i < direct.Length; i++) Assert.Equal(direct[i], throughPth[i], 6);
        using (var session = new InferenceSession(viaPyTorch))
            Assert.Equal("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]", session.ModelMetadata.CustomMetadataMap["class_names"]);
    }

    [Fact]
    public async Task FeatureMapsWithoutOnnxOutputAndModelFileToModelFileAreUsageErrors()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        File.WriteAllText(model, "never read");
        CliAssert.Exited(ExitCodes.UsageError, await Run("export", "--model", model, "--output", temp.Combine("m.pth"), "--feature-maps"),
            "--feature-maps applies to ONNX output");
        CliAssert.NotWritten(temp.Combine("m.pth"));

        CliAssert.Exited(ExitCodes.UsageError, await Run("export", "--model", model, "--output", temp.Combine("again.zip")),
            "give --output a .onnx name for ONNX");
    }
}
