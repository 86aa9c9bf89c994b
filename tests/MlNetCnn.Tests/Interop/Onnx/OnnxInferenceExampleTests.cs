using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>
/// examples/OnnxInference, the deployment without libtorch: its build output holds no libtorch or TorchSharp file, and
/// run on PNG files of CIFAR test images with an exported model it prints, for each file, the class the library predicts.
/// </summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class OnnxInferenceExampleTests
{
    private const int Images = 40;
    private readonly OnnxTestModels models;

    public OnnxInferenceExampleTests(OnnxTestModels models) => this.models = models;

    /// <summary>The example's build output for this test run's configuration (the test project builds it first).</summary>
    private static string ExampleOutput()
    {
        // .../tests/MlNetCnn.Tests/bin/<configuration>/<tfm>/<rid>/ maps onto .../examples/OnnxInference/bin/<same>.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var project = testBin;
        while (project != null && !File.Exists(Path.Combine(project.FullName, "MlNetCnn.Tests.csproj"))) project = project.Parent;
        Assert.True(project != null, $"MlNetCnn.Tests.csproj not found above {AppContext.BaseDirectory}");
        var relative = Path.GetRelativePath(project!.FullName, testBin.FullName);
        var output = Path.GetFullPath(Path.Combine(project.FullName, "..", "..", "examples", "OnnxInference", relative));
        Assert.True(File.Exists(Path.Combine(output, "OnnxInference.dll")), $"The example was not built at {output}: build the solution (the test project builds it first).");
        return output;
    }

    [Fact]
    public void TheExampleCarriesNoLibTorch()
    {
        var output = ExampleOutput();
        var torchFiles = Directory.GetFiles(output, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.True(torchFiles.Length == 0, $"libtorch/TorchSharp files in the example's output: {string.Join(", ", torchFiles)}");
        Assert.DoesNotContain("TorchSharp", File.ReadAllText(Path.Combine(output, "OnnxInference.deps.json")), StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")) || File.Exists(Path.Combine(output, "onnxruntime.dll")),
            "ONNX Runtime's native library is missing from the example's output");
    }

    [Fact]
    public void TheExamplePrintsTheLibrarysPredictionForEachImageFile()
    {
        using var temp = new TempDirectory();
        var test = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: Images);
        var export = Cifar10ImageExporter.Export(test, temp.Combine("images"));
        var model = temp.Combine("simplecnn.onnx");
        models.Ml.Model.SaveSimpleCnnAsOnnx(models.DefaultClassifier, model);
        var classifier = models.DefaultClassifier.Model;
        var pixels = DataViewColumns.ReadFloats(test, "Features").SelectMany(r => r).ToArray();
        var expected = classifier.PredictClasses(pixels, Images);
        // index.tsv lists the files in row order.
        var files = File.ReadAllLines(export.IndexPath).Skip(1).Select(l => l.Split('\t')[0].Replace('\\', '/')).ToArray();
        Assert.Equal(Images, files.Length);

        var (code, output) = ChildProcess.RunDotnet([Path.Combine(ExampleOutput(), "OnnxInference.dll"), model, temp.Combine("images"), "1"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, output);
        var predicted = output.Split('\n').Where(l => l.Contains('\t')).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0].Replace('\\', '/'), p => p[1][..p[1].LastIndexOf(' ')]);
        for (var i = 0; i < Images; i++)
        {
            Assert.True(predicted.TryGetValue(files[i], out var name), $"no line for {files[i]} in:\n{output}");
            Assert.Equal(classifier.ClassNames[expected[i]], name);
        }
        Assert.Contains($"{Images} image(s) classified", output);
    }
}
