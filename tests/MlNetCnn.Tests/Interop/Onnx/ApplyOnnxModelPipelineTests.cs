using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>
/// The deployment route: image files → LoadImages → ResizeImages → ExtractPixels → ApplyOnnxModel (OnnxTransformer over
/// ONNX Runtime) gives, for every image of the CIFAR test split, the class and (within 1e-5) the probabilities that
/// the same pixels give through <see cref="MlNetCnn.Transforms.SimpleCnnTransformer"/> on its LibTorch engine (its default
/// engine runs this very export).
/// </summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class ApplyOnnxModelPipelineTests
{
    private const float Tolerance = 1e-5f;
    private readonly OnnxTestModels models;

    public ApplyOnnxModelPipelineTests(OnnxTestModels models) => this.models = models;

    [Fact]
    public void ApplyOnnxModelMatchesTheSimpleCnnTransformerOnEveryTestImage()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("images");
        var export = Cifar10ImageExporter.Export(new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test), images);
        Assert.Equal(models.TestCount, export.ImageCount);
        var onnxPath = temp.Combine("simplecnn.onnx");
        var ml = models.Ml;
        ml.Model.SaveSimpleCnnAsOnnx(models.DefaultClassifier, onnxPath);

        var files = ml.Data.LoadFromTextFile(export.IndexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var pixels = ml.Transforms.LoadImages("Image", images, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels(SimpleCnnOnnx.InputName, "Image", interleavePixelColors: false, scaleImage: 1f / 255));
        var onnx = pixels.Append(ml.Transforms.ApplyOnnxModel([SimpleCnnOnnx.ProbabilitiesName], [SimpleCnnOnnx.InputName], onnxPath)).Fit(files);
        var library = pixels.Append(ml.Transforms.CopyColumns("Features", SimpleCnnOnnx.InputName)).Fit(files).Append(models.DefaultClassifier);

        var fromOnnx = DataViewColumns.ReadFloats(onnx.Transform(files), SimpleCnnOnnx.ProbabilitiesName);
        float[][] fromLibrary;
        models.DefaultClassifier.Model.InferenceEngine = MlNetCnn.Model.InferenceEngine.LibTorch;
        try
        {
            fromLibrary = DataViewColumns.ReadFloats(library.Transform(files), "Score");
        }
        finally
        {
            models.DefaultClassifier.Model.InferenceEngine = MlNetCnn.Model.InferenceEngine.Auto;
        }
        Assert.Equal(models.TestCount, fromOnnx.Length);
        Assert.Equal(fromLibrary.Length, fromOnnx.Length);
        var worst = 0.0;
        for (var i = 0; i < fromOnnx.Length; i++)
        {
            Assert.Equal(10, fromOnnx[i].Length);
            for (var c = 0; c < 10; c++) worst = Math.Max(worst, Math.Abs((double)fromOnnx[i][c] - fromLibrary[i][c]));
            Assert.True(ArgMax(fromOnnx[i]) == ArgMax(fromLibrary[i]),
                $"image {i}: ONNX predicts class {ArgMax(fromOnnx[i])}, the library {ArgMax(fromLibrary[i])} (probabilities {string.Join(", ", fromOnnx[i])} vs {string.Join(", ", fromLibrary[i])})");
        }
        Assert.True(worst <= Tolerance, $"probabilities differ by up to {worst:E2}");
        // The model is not constant: the classes predicted vary across the split.
        Assert.True(fromOnnx.Select(ArgMax).Distinct().Count() >= 3);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
