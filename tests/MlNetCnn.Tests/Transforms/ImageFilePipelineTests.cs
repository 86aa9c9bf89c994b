using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>The route a user with image files takes: PNG files → LoadImages → ResizeImages → ExtractPixels → SimpleCnn.</summary>
public class ImageFilePipelineTests
{
    [Fact]
    public void ImageFilesTrainTheSameModelAsTheBinaryReader()
    {
        using var temp = new TempDirectory();
        var binary = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 120);
        var export = Cifar10ImageExporter.Export(binary, temp.Path);

        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromTextFile(export.IndexPath,
            new[] { new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1) },
            separatorChar: '\t', hasHeader: true);
        var classNames = ml.Data.LoadFromEnumerable(binary.ClassNames.Select(n => new NameRow { Value = n }));
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1, Seed = 5 };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyData: classNames)
            .Append(ml.Transforms.LoadImages("Image", temp.Path, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
            .Append(ml.MulticlassClassification.Trainers.SimpleCnn(options));
        var fromFiles = pipeline.Fit(files);
        using var fromBinary = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(binary);

        var metrics = ml.MulticlassClassification.Evaluate(fromFiles.Transform(files));
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        var cnn = fromFiles.LastTransformer;
        // Same pixels, labels, order, seed and threads: the two routes must learn identical weights.
        Assert.Equal(fromBinary.Model.GetKernels("conv1").Weights, cnn.Model.GetKernels("conv1").Weights);
        Assert.Equal(fromBinary.History[0].TrainingLoss, cnn.History[0].TrainingLoss, 10);
        cnn.Dispose();
    }

    private sealed class NameRow
    {
        public string Value { get; set; } = "";
    }
}
