// QuickStart: the whole ML.NET route from image files to an evaluated CNN.
//   image files (PNG + index.tsv) → LoadImages → ResizeImages → ExtractPixels → SimpleCnn → Evaluate
// Usage: dotnet run -c Release --project examples/QuickStart [-- TRAIN_FOLDER TEST_FOLDER]   (each with an index.tsv)
// Without folders it first exports CIFAR-10 records (found by Cifar10Locator) as PNGs under data/generated/quickstart.
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;

var mlContext = new MLContext(seed: 1);
var (trainFolder, testFolder) = args.Length >= 2 ? (args[0], args[1]) : ExportSomeCifarImages();

IDataView LoadIndex(string folder) => mlContext.Data.LoadFromTextFile(Path.Combine(folder, "index.tsv"),
    new[] { new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1) },
    separatorChar: '\t', hasHeader: true);

// Image files become planar CHW floats in [0,1]: exactly what the SimpleCnn trainer expects.
IEstimator<ITransformer> ToPixels(string folder) => mlContext.Transforms.LoadImages("Image", folder, "ImagePath")
    .Append(mlContext.Transforms.ResizeImages("Image", 32, 32))
    .Append(mlContext.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255));

var trainFiles = LoadIndex(trainFolder);
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(ToPixels(trainFolder))
    .Append(mlContext.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 3));
var model = pipeline.Fit(trainFiles);

// Test images live in their own folder: load their pixels with the same steps, then reuse the fitted label
// mapping and the trained CNN (the first and last parts of the fitted chain).
var testFiles = LoadIndex(testFolder);
var labels = model.OfType<ITransformer>().First();
var cnn = model.LastTransformer;
var testPixels = ToPixels(testFolder).Fit(testFiles).Transform(labels.Transform(testFiles));
var metrics = mlContext.MulticlassClassification.Evaluate(cnn.Transform(testPixels));

foreach (var epoch in cnn.History)
    Console.WriteLine($"epoch {epoch.Epoch}: training loss {epoch.TrainingLoss:F3}, training accuracy {epoch.TrainingAccuracy:P1}");
Console.WriteLine($"test accuracy {metrics.MicroAccuracy:P1} on {metrics.ConfusionMatrix.Counts.Sum(row => row.Sum())} test images");

(string, string) ExportSomeCifarImages()
{
    var cifar = Cifar10Locator.Find() ?? throw new DirectoryNotFoundException("No CIFAR-10 found; run `mlnetcnn download` first.");
    Console.WriteLine($"Using CIFAR-10 from {cifar.Source}: {cifar.Directory}");
    var root = Path.Combine("data", "generated", "quickstart");
    var train = Cifar10ImageExporter.Export(cifar.Directory, Cifar10Split.Train, Path.Combine(root, "train"), new Cifar10ExportOptions { MaxCount = 2000 });
    var test = Cifar10ImageExporter.Export(cifar.Directory, Cifar10Split.Test, Path.Combine(root, "test"), new Cifar10ExportOptions { MaxCount = 500 });
    return (Path.GetDirectoryName(train.IndexPath)!, Path.GetDirectoryName(test.IndexPath)!);
}
