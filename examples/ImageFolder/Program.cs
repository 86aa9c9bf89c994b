// ImageFolder: your own images → trained CNN → test accuracy → interactive HTML report.
//   folder/<class>/<image>.png|jpg|…  (or folder/train/<class>/… and folder/test/<class>/…)
// Usage: dotnet run -c Release --project examples/ImageFolder [-- FOLDER]
// Without a folder it first exports some CIFAR-10 images (found by Cifar10Locator) into that layout under data/generated/.
using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Transforms;

var folder = args.Length > 0 ? args[0] : ExportSomeCifarImages();

// The whole program: class names are the folder names (ordinal order); a single tree is split 80/20 per class (seeded).
var ml = new MLContext(seed: 1);
var (train, test) = ml.Data.LoadFromImageFolderSplits(folder);
var pixels = ml.Transforms.LoadImagePixels(folder, height: 32, width: 32);   // ML.NET's LoadImages → ResizeImages → ExtractPixels; grayscale: true for 1 channel
var model = pixels.Append(ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 5)).Fit(train);
var scored = model.Transform(test);
Console.WriteLine($"test accuracy {ml.MulticlassClassification.Evaluate(scored).MicroAccuracy:P1} on {test.RowCount} images of {string.Join(", ", train.ClassNames)}");
CnnReportGenerator.Write(Directory.CreateDirectory("artifacts").FullName + "/imagefolder-report.html", ml, model.LastTransformer, scored, overwrite: true);

Console.WriteLine($"report written to {Path.GetFullPath("artifacts/imagefolder-report.html")}");

string ExportSomeCifarImages()
{
    var cifar = Cifar10Locator.Find() ?? throw new DirectoryNotFoundException("No CIFAR-10 found; pass an image folder, or run `mlnetcnn download` first.");
    var root = Path.Combine("data", "generated", "imagefolder");
    Console.WriteLine($"No folder given: exporting CIFAR-10 images from {cifar.Directory} into {root}/<class>/");
    Cifar10ImageExporter.Export(cifar.Directory, Cifar10Split.Train, root, new Cifar10ExportOptions { MaxPerClass = 200 });
    return root;
}
