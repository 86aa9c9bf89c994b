using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>Writing the ONNX file: the overwrite rule of the other saves, atomic replacement, the graph's operators.</summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class SimpleCnnOnnxExportTests
{
    private readonly OnnxTestModels models;

    public SimpleCnnOnnxExportTests(OnnxTestModels models) => this.models = models;

    [Fact]
    public void AnExistingFileIsKeptUnlessOverwriteIsPassedAndNoTemporaryFileIsLeft()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("sub", "model.onnx");
        models.Ml.Model.SaveSimpleCnnAsOnnx(models.DefaultClassifier, path);
        var first = File.ReadAllBytes(path);

        var error = Assert.Throws<OutputFileExistsException>(() => models.Ml.Model.SaveSimpleCnnAsOnnx(models.ThreeLayerClassifier, path));
        Assert.Contains("already exists", error.Message);
        Assert.Contains("overwrite: true", error.Message);
        Assert.Equal(first, File.ReadAllBytes(path));

        models.Ml.Model.SaveSimpleCnnAsOnnx(models.ThreeLayerClassifier, path, overwrite: true);
        using (var session = new InferenceSession(path))
            Assert.Equal("3,32,32", session.ModelMetadata.CustomMetadataMap[SimpleCnnOnnx.InputShapeKey]);
        Assert.NotEqual(first, File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(temp.Combine("sub")).Select(Path.GetFileName));

        // The stream overload writes the same bytes as the file.
        using var stream = new MemoryStream();
        models.Ml.Model.SaveSimpleCnnAsOnnx(models.ThreeLayerClassifier, stream);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
    }

    [Fact]
    public void AFolderAsTargetIsATypedErrorNamingIt()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<OutputFileException>(() => models.Ml.Model.SaveSimpleCnnAsOnnx(models.DefaultClassifier, temp.Path, overwrite: true));
        Assert.Contains(temp.Path, error.Message);
    }

    [Fact]
    public void ADisposedModelIsRefusedBeforeAnythingIsWritten()
    {
        using var temp = new TempDirectory();
        var settings = new TrainingSettings();
        var model = new TrainedCnn(TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings), Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(), [], settings);
        model.Dispose();
        var path = temp.Combine("x.onnx");
        Assert.Throws<ObjectDisposedException>(() => models.Ml.Model.SaveSimpleCnnAsOnnx(model, path));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void TheGraphUsesOnlyOpset13OperatorsAndPadsCircularlyWithSliceAndConcat()
    {
        var zeros = SimpleCnnOnnxExport.Build(models.DefaultClassifier.Model, includeFeatureMaps: false);
        Assert.Equal(SimpleCnnOnnx.IrVersion, zeros.IrVersion);
        Assert.Equal(13, Assert.Single(zeros.OpsetImport).Version);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"], zeros.Graph.Node.Select(n => n.OpType));
        Assert.Equal([1L, 1, 1, 1], zeros.Graph.Node[0].Attribute.Single(x => x.Name == "pads").Ints);

        var circular = SimpleCnnOnnxExport.Build(models.CircularModel, includeFeatureMaps: false);
        Assert.Equal(["Slice", "Slice", "Concat", "Slice", "Slice", "Concat", "Conv"], circular.Graph.Node.Take(7).Select(n => n.OpType));
        Assert.Equal([0L, 0, 0, 0], circular.Graph.Node[6].Attribute.Single(x => x.Name == "pads").Ints);
    }
}
