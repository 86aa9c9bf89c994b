using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data.Cifar10;

public class Cifar10ImageExporterTests
{
    private static string Shared => SharedData.CifarDirectory;

    [Fact]
    public void ExportedPngsThroughMlNetImagePipelineEqualBinaryReaderFeaturesAndLabels()
    {
        const int count = 300;
        using var temp = new TempDirectory();
        var binary = new Cifar10DataView(Shared, Cifar10Split.Test, count);
        var result = Cifar10ImageExporter.Export(binary, temp.Path);
        Assert.Equal(count, result.ImageCount);

        var ml = new MLContext(seed: 1);
        var index = ml.Data.LoadFromTextFile(result.IndexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var classNames = ml.Data.LoadFromEnumerable(binary.ClassNames.Select(n => new NameRow { Value = n }));
        var pipeline = ml.Transforms.LoadImages(outputColumnName: "Image", imageFolder: temp.Path, inputColumnName: "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, inputColumnName: "Image"))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label", keyData: classNames));
        var images = pipeline.Fit(index).Transform(index);

        using var imageCursor = images.GetRowCursor(images.Schema);
        using var binaryCursor = binary.GetRowCursor(binary.Schema);
        var imageFeatures = imageCursor.GetGetter<VBuffer<float>>(images.Schema["Features"]);
        var imageLabel = imageCursor.GetGetter<uint>(images.Schema["LabelKey"]);
        var imageText = imageCursor.GetGetter<ReadOnlyMemory<char>>(images.Schema["Label"]);
        var binaryFeatures = binaryCursor.GetGetter<VBuffer<float>>(binary.Schema[Cifar10DataView.FeaturesColumnName]);
        var binaryLabel = binaryCursor.GetGetter<uint>(binary.Schema[Cifar10DataView.LabelColumnName]);
        VBuffer<float> a = default, b = default;
        ReadOnlyMemory<char> text = default;
        uint keyA = 0, keyB = 0;
        var rows = 0;
        var maxDiff = 0f;
        while (binaryCursor.MoveNext())
        {
            Assert.True(imageCursor.MoveNext(), $"The exported index ends after {rows} rows.");
            imageFeatures(ref a);
            binaryFeatures(ref b);
            imageLabel(ref keyA);
            binaryLabel(ref keyB);
            imageText(ref text);

            Assert.Equal(3072, a.Length);
            var va = a.DenseValues().ToArray();
            var vb = b.DenseValues().ToArray();
            for (var i = 0; i < va.Length; i++)
                maxDiff = Math.Max(maxDiff, Math.Abs(va[i] - vb[i]));
            Assert.True(maxDiff == 0f, $"Row {rows}: features differ by {maxDiff}.");
            Assert.Equal(keyB, keyA);
            Assert.Equal(binary.ClassNames[(int)keyB - 1], text.ToString());
            rows++;
        }
        Assert.False(imageCursor.MoveNext());
        Assert.Equal(count, rows);
    }

    [Fact]
    public void IndexHasHeaderRelativeForwardSlashPathsAndClassNames()
    {
        using var temp = new TempDirectory();
        var result = Cifar10ImageExporter.Export(Shared, Cifar10Split.Train, temp.Path, new Cifar10ExportOptions { MaxCount = 12 });

        Assert.Equal(Path.Combine(temp.Path, "index.tsv"), result.IndexPath);
        var lines = File.ReadAllLines(result.IndexPath);
        Assert.Equal("ImagePath\tLabel", lines[0]);
        Assert.Equal(13, lines.Length);
        var classNames = Cifar10Format.ReadClassNames(Shared);
        var raw = File.ReadAllBytes(Path.Combine(Shared, "data_batch_1.bin"));
        for (var i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split('\t');
            Assert.Equal(2, parts.Length);
            Assert.False(Path.IsPathRooted(parts[0]));
            Assert.Equal($"{parts[1]}/{i - 1:D5}.png", parts[0]);
            Assert.Equal(classNames[raw[(i - 1) * 3073]], parts[1]);
            Assert.True(File.Exists(Path.Combine(temp.Path, parts[0])));
        }
        Assert.Equal(12, result.CountsPerClass.Values.Sum());
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void PngIs32x32OpaqueWithExactPixelBytes()
    {
        using var temp = new TempDirectory();
        var result = Cifar10ImageExporter.Export(Shared, Cifar10Split.Test, temp.Path, new Cifar10ExportOptions { MaxCount = 1 });
        var relative = File.ReadAllLines(result.IndexPath)[1].Split('\t')[0];

        using var bitmap = SkiaSharp.SKBitmap.Decode(Path.Combine(temp.Path, relative));
        Assert.Equal(32, bitmap.Width);
        Assert.Equal(32, bitmap.Height);
        var raw = File.ReadAllBytes(Path.Combine(Shared, "test_batch.bin")).AsSpan(1, 3072).ToArray();
        for (var y = 0; y < 32; y++)
            for (var x = 0; x < 32; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                var p = y * 32 + x;
                Assert.Equal((raw[p], raw[1024 + p], raw[2048 + p], (byte)255), (pixel.Red, pixel.Green, pixel.Blue, pixel.Alpha));
            }
    }

    [Fact]
    public void MaxPerClassCapsEachClass()
    {
        using var temp = new TempDirectory();
        var result = Cifar10ImageExporter.Export(Shared, Cifar10Split.Test, temp.Path, new Cifar10ExportOptions { MaxPerClass = 3 });

        Assert.Equal(30, result.ImageCount);
        Assert.Equal(10, result.CountsPerClass.Count);
        Assert.All(result.CountsPerClass.Values, n => Assert.Equal(3, n));
        var labels = File.ReadAllLines(result.IndexPath).Skip(1).Select(l => l.Split('\t')[1]).ToArray();
        Assert.Equal(30, labels.Length);
        Assert.All(labels.GroupBy(l => l), g => Assert.Equal(3, g.Count()));
        Assert.Equal(30, Directory.EnumerateFiles(temp.Path, "*.png", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void MaxCountAndMaxPerClassCombine()
    {
        using var temp = new TempDirectory();
        var result = Cifar10ImageExporter.Export(Shared, Cifar10Split.Test, temp.Path,
            new Cifar10ExportOptions { MaxCount = 15, MaxPerClass = 2, IndexFileName = "small.tsv" });

        Assert.Equal(15, result.ImageCount);
        Assert.EndsWith("small.tsv", result.IndexPath);
        Assert.All(result.CountsPerClass.Values, n => Assert.InRange(n, 1, 2));
    }

    [Fact]
    public void TextLabelColumnIsAccepted()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new TextRow { Label = "cat", Features = Enumerable.Repeat(0f, 3072).ToArray() },
            new TextRow { Label = "dog", Features = Enumerable.Range(0, 3072).Select(i => (i % 256) / 255f).ToArray() },
        };
        var result = Cifar10ImageExporter.Export(ml.Data.LoadFromEnumerable(rows), temp.Path);

        Assert.Equal(["ImagePath\tLabel", "cat/00000.png\tcat", "dog/00001.png\tdog"], File.ReadAllLines(result.IndexPath));
    }

    [Fact]
    public void WrongFeatureSizeIsRejected()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new SmallRow { Label = "cat", Features = new float[4] } });
        var e = Assert.Throws<ArgumentException>(() => Cifar10ImageExporter.Export(data, temp.Path));
        Assert.Contains("3072", e.Message);
    }

    [Fact]
    public void ReExportOverwritesIndexAtomically()
    {
        using var temp = new TempDirectory();
        Cifar10ImageExporter.Export(Shared, Cifar10Split.Test, temp.Path, new Cifar10ExportOptions { MaxCount = 5 });
        var second = Cifar10ImageExporter.Export(Shared, Cifar10Split.Test, temp.Path, new Cifar10ExportOptions { MaxCount = 3 });

        Assert.Equal(4, File.ReadAllLines(second.IndexPath).Length);
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private sealed class NameRow
    {
        public string Value { get; set; } = "";
    }

    private sealed class TextRow
    {
        public string Label { get; set; } = "";

        [VectorType(3072)]
        public float[] Features { get; set; } = [];
    }

    private sealed class SmallRow
    {
        public string Label { get; set; } = "";

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }
}
