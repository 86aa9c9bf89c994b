// OnnxInference: classify image files with a SimpleCnn exported to ONNX, without libtorch.
//   mlnetcnn export --model model.zip --output model.onnx
//   dotnet run -c Release --project examples/OnnxInference -- model.onnx IMAGE_FOLDER_OR_FILE [TOP]
// The pipeline is plain ML.NET: LoadImages → ResizeImages → ExtractPixels → ApplyOnnxModel. The class names and the
// input size come from the file's metadata (written by MlNetCnn's export), read with ONNX Runtime.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: OnnxInference MODEL.onnx IMAGE_FOLDER_OR_FILE [TOP]");
    return 2;
}
var modelPath = Path.GetFullPath(args[0]);
var target = Path.GetFullPath(args[1]);
var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

// What the exported file says about itself: class names (JSON array) and input shape ("C,H,W").
string[] classNames;
int channels, height, width;
using (var session = new InferenceSession(modelPath))
{
    var metadata = session.ModelMetadata.CustomMetadataMap;
    classNames = JsonSerializer.Deserialize<string[]>(metadata["class_names"])!;
    var shape = metadata["input_shape"].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    (channels, height, width) = (shape[0], shape[1], shape[2]);
}

string[] extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];
var files = File.Exists(target)
    ? [target]
    : Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories)
        .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
        .Order(StringComparer.Ordinal).ToArray();
if (files.Length == 0)
{
    Console.Error.WriteLine($"No image files in '{target}'.");
    return 1;
}

var ml = new MLContext();
var images = ml.Data.LoadFromEnumerable(files.Select(f => new ImageRow { ImagePath = f }));
// Planar channels, pixels in [0, 1]: what the network saw in training. A grey model reads one plane (grey files have R = G = B).
var pipeline = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImageRow.ImagePath))
    .Append(ml.Transforms.ResizeImages("Image", width, height))
    .Append(ml.Transforms.ExtractPixels("input", "Image",
        colorsToExtract: channels == 1 ? Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red : Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Rgb,
        interleavePixelColors: false, scaleImage: 1f / 255))
    .Append(ml.Transforms.ApplyOnnxModel(outputColumnNames: ["probabilities"], inputColumnNames: ["input"], modelFile: modelPath));

var clock = Stopwatch.StartNew();
var model = pipeline.Fit(images);
var scored = model.Transform(images);
var paths = scored.GetColumn<string>(nameof(ImageRow.ImagePath)).ToArray();
var probabilities = scored.GetColumn<float[]>("probabilities").ToArray();
clock.Stop();

for (var i = 0; i < paths.Length; i++)
{
    var best = probabilities[i].Select((p, c) => (p, c)).OrderByDescending(x => x.p).ThenBy(x => x.c).Take(top);
    Console.WriteLine($"{Path.GetRelativePath(File.Exists(target) ? Path.GetDirectoryName(target)! : target, paths[i])}\t" +
                      string.Join("\t", best.Select(x => $"{classNames[x.c]} {x.p.ToString("0.000", CultureInfo.InvariantCulture)}")));
}
Console.WriteLine($"{paths.Length} image(s) classified in {clock.Elapsed.TotalMilliseconds:F0} ms with {Path.GetFileName(modelPath)} ({channels}×{height}×{width} input, {classNames.Length} classes); no libtorch loaded.");
return 0;

/// <summary>One image file to classify.</summary>
internal sealed class ImageRow
{
    public string ImagePath { get; set; } = "";
}
