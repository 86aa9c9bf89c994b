// ImageFolder: your own images → trained CNN → test accuracy → interactive HTML report.
//   folder/<class>/<image>.png|jpg|…  (or folder/train/<class>/… and folder/test/<class>/…)
// Usage: dotnet run -c Release --project examples/ImageFolder [-- FOLDER]
// Without a folder it first exports some CIFAR-10 images (found by Cifar10Locator) into that layout under data/generated/.
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.IO;
using MlNetCnn.Reporting.CnnReport;

var folder = args.Length > 0 ? args[0] : ExportSomeCifarImages();
Directory.CreateDirectory("artifacts");

// The whole program (README.md, "Your own images", shows these lines): class names are the folder names (ordinal
// order); a single tree is split 80/20 per class (seeded); images are read at the folder's own size (its most common).
var ml = new MLContext(seed: 1);
var report = OutputFile.Check("artifacts/imagefolder-report.html", overwrite: true);  // checked now, not after minutes of training
var (train, test) = ml.Data.LoadFromImageFolderSplits(folder);                // Label = folder name, keys in ordinal order
var (height, width, _) = train.ImageSizes[0];                                   // the most common size of the training images
var pixels = ml.Transforms.LoadImagePixels(folder, height, width, grayscale: train.AllGrayscale);  // LoadImages → ResizeImages → ExtractPixels
var model = pixels.Append(ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 5)).Fit(train);
var scored = model.Transform(test);
Console.WriteLine(ml.MulticlassClassification.Evaluate(scored).MicroAccuracy);
CnnReportGenerator.Create(ml, model.LastTransformer, scored).Save(report);              // the checked target: not asked again

Console.WriteLine($"{train.ClassNames.Count} classes ({string.Join(", ", train.ClassNames)}), {train.RowCount} training / {test.RowCount} test images read at {height}×{width}; " +
                  $"report written to {report.FullPath}");

string ExportSomeCifarImages()
{
    var cifar = Cifar10Locator.Find() ?? throw new DirectoryNotFoundException("No CIFAR-10 found; pass an image folder, or run `mlnetcnn download` first.");
    var root = Path.Combine("data", "generated", "imagefolder");
    Console.WriteLine($"No folder given: exporting CIFAR-10 images from {cifar.Directory} into {root}/<class>/");
    Cifar10ImageExporter.Export(cifar.Directory, Cifar10Split.Train, root, new Cifar10ExportOptions { MaxPerClass = 200 });
    return root;
}
