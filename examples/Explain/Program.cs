// Explain: which pixels did the CNN use, and which explanation can you trust?
//   CIFAR-10 → SimpleCnn → every attribution method on some test images → deletion/insertion against a random
//   pixel order → an attribution column beside the classifier's scores.
// Usage: dotnet run -c Release --project examples/Explain [-- CIFAR10_FOLDER]   (the folder of data_batch_*.bin)
// Without a folder it looks for CIFAR-10 as `mlnetcnn` does (Cifar10Locator: data/, ../shared/cifar-10-subset, …).
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Attribution;
using MlNetCnn.Data.Cifar10;

var cifar = Cifar10Locator.Find(args.Length > 0 ? args[0] : null)
    ?? throw new DirectoryNotFoundException("No CIFAR-10 found; pass its folder, or run `mlnetcnn download` first.");
Console.WriteLine($"CIFAR-10 from {cifar.Source}: {cifar.Directory}");

var ml = new MLContext(seed: 1);
var train = new Cifar10DataView(cifar.Directory, Cifar10Split.Train, maxRows: 2000);
var test = new Cifar10DataView(cifar.Directory, Cifar10Split.Test, maxRows: 32);
using var classifier = ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 2).Fit(train);
var model = classifier.Model;

// 1. The methods, by name from the registry. Every one answers the same verb: planar [N,C,H,W] images and one
//    0-based class per image in, one map per image out. Here each image is explained for the class predicted.
var rows = ml.Data.CreateEnumerable<Image>(test, reuseRowObject: false).ToArray();
var images = rows.SelectMany(r => r.Features).ToArray();
var targets = model.PredictClasses(images, rows.Length);
var methods = AttributionRegistry.Default.Names.Select(name => AttributionRegistry.Default.Create(name)).ToArray();
var correct = targets.Where((t, i) => t == rows[i].Label - 1).Count();
Console.WriteLine($"\nExplaining the predicted class of {rows.Length} test images ({correct} of them predicted correctly), by every method:");

// 2. Faithfulness: remove each map's top-ranked pixels (deletion: p(class) should fall fast, a small area) or reveal
//    them on a grey canvas (insertion: a large area), against a seeded random pixel order on the same images.
var comparison = Faithfulness.Compare(model, images, targets, methods);
Console.WriteLine($"{"method",-22} {"map",-9} {"deletion",9} {"insertion",10}");
for (var m = 0; m < methods.Length; m++)
{
    var maps = comparison.Maps[m];
    var curves = comparison.Curves[m];
    Console.WriteLine($"{AttributionRegistry.Default.DisplayName(methods[m].Name),-22} {string.Join("×", maps.Dimensions),-9} " +
                      $"{curves.MeanDeletionArea,9:F3} {curves.MeanInsertionArea,10:F3}");
}
Console.WriteLine($"{"random pixel order",-22} {"",-9} {comparison.Random.MeanDeletionArea,9:F3} {comparison.Random.MeanInsertionArea,10:F3}");
var beating = Enumerable.Range(0, methods.Length).Where(m => comparison.Curves[m].MeanDeletionArea < comparison.Random.MeanDeletionArea)
    .Select(m => AttributionRegistry.Default.DisplayName(methods[m].Name)).ToArray();
Console.WriteLine($"Beat random on deletion here: {(beating.Length == 0 ? "none" : string.Join(", ", beating))} " +
                  "(on so few images an illustration; `mlnetcnn experiment explanations` adds standard errors).");

// 3. The attribution column: Grad-CAM maps of the predicted class beside Score and PredictedLabel, lazily and in
//    batches, in any ML.NET pipeline (and from a PredictionEngine).
var chain = classifier.Append(ml.Transforms.Attribute(classifier, method: "gradcam").Fit(test));
var explained = ml.Data.CreateEnumerable<Explained>(chain.Transform(test), reuseRowObject: false).Take(3).ToArray();
Console.WriteLine($"\nAttribution column ({AttributionRegistry.Default.DisplayName("gradcam")}, {model.Architecture.InputHeight}×{model.Architecture.InputWidth} per image):");
foreach (var (row, i) in explained.Select((r, i) => (r, i)))
{
    var map = row.Attribution;
    var hottest = Array.IndexOf(map, map.Max());
    Console.WriteLine($"  test image {i}: labelled {test.ClassNames[(int)rows[i].Label - 1]}, predicted {test.ClassNames[(int)row.PredictedLabel - 1]}; " +
                      $"strongest evidence at row {hottest / model.Architecture.InputWidth}, column {hottest % model.Architecture.InputWidth}");
}

internal sealed class Image
{
    [VectorType(3 * 32 * 32)]
    public float[] Features { get; set; } = [];

    [KeyType(10)]
    public uint Label { get; set; }
}

internal sealed class Explained
{
    public float[] Attribution { get; set; } = [];

    [KeyType(10)]
    public uint PredictedLabel { get; set; }
}
