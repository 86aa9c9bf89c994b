using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Tests.TestSupport;
using SkiaSharp;

namespace MlNetCnn.Tests.Data.ImageFolder;

public class ImageFolderDataViewTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void ClassNamesAreSortedOrdinallyAndBecomeKeyValues()
    {
        using var temp = new TempDirectory();
        // Created in an order that is neither ordinal nor alphabetical-ignoring-case.
        ImageFolderWriter.WriteClasses(temp.Path, 2, 8, 8, grayscale: false, classes: ["b", "a", "A", "ä"]);
        var view = Ml.Data.LoadFromImageFolder(temp.Path);

        Assert.Equal(new[] { "A", "a", "b", "ä" }, view.ClassNames);
        var label = view.Schema[ImageFolderDataView.LabelColumnName];
        Assert.Equal(4UL, ((KeyDataViewType)label.Type).Count);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        label.GetKeyValues(ref keyValues);
        Assert.Equal(view.ClassNames, keyValues.DenseValues().Select(v => v.ToString()));

        var rows = Rows(view);
        Assert.Equal(8, rows.Count);
        Assert.Equal(new[] { "A/img000.png", "A/img001.png", "a/img000.png", "a/img001.png" }, rows.Take(4).Select(r => r.Path));
        Assert.Equal(new uint[] { 1, 1, 2, 2, 3, 3, 4, 4 }, rows.Select(r => r.Key));
    }

    [Fact]
    public void SingleTreeSplitIsStratifiedSeededAndDisjoint()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 10, 6, 6, grayscale: true);
        var options = new ImageFolderOptions { TestFraction = 0.3, Seed = 4 };
        var (train, test) = Ml.Data.LoadFromImageFolderSplits(temp.Path, options);
        var all = Ml.Data.LoadFromImageFolder(temp.Path, ImageFolderSplit.All, options);

        Assert.Equal(ImageFolderLayout.SingleTree, train.Layout);
        Assert.Equal(new[] { 7, 7, 7 }, train.ClassCounts);
        Assert.Equal(new[] { 3, 3, 3 }, test.ClassCounts);
        var trainPaths = Rows(train).Select(r => r.Path).ToHashSet();
        var testPaths = Rows(test).Select(r => r.Path).ToHashSet();
        Assert.Empty(trainPaths.Intersect(testPaths));
        Assert.Equal(Rows(all).Select(r => r.Path).ToHashSet(), trainPaths.Union(testPaths).ToHashSet());

        // Same seed, same split; another seed, another split.
        Assert.Equal(testPaths, Rows(Ml.Data.LoadFromImageFolder(temp.Path, ImageFolderSplit.Test, options)).Select(r => r.Path).ToHashSet());
        var other = Rows(Ml.Data.LoadFromImageFolder(temp.Path, ImageFolderSplit.Test, new ImageFolderOptions { TestFraction = 0.3, Seed = 5 })).Select(r => r.Path).ToHashSet();
        Assert.NotEqual(testPaths, other);
    }

    [Fact]
    public void SmallClassesKeepAtLeastOneImageOnEachSide()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 2, 4, 4, grayscale: true, classes: ["x", "y"]);
        var (train, test) = Ml.Data.LoadFromImageFolderSplits(temp.Path, new ImageFolderOptions { TestFraction = 0.01 });
        Assert.Equal(new[] { 1, 1 }, train.ClassCounts);
        Assert.Equal(new[] { 1, 1 }, test.ClassCounts);
        var none = Ml.Data.LoadFromImageFolder(temp.Path, ImageFolderSplit.Test, new ImageFolderOptions { TestFraction = 0 });
        Assert.Equal(0, none.RowCount);
    }

    [Fact]
    public void NestedTrainAndTestTreesAreReadAsTheirSplits()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Combine("train"), 4, 8, 8, grayscale: false);
        ImageFolderWriter.WriteClasses(temp.Combine("test"), 2, 8, 8, grayscale: false, classes: ["horizontal", "vertical"]);
        File.WriteAllText(temp.Combine("README.txt"), "files in the root are ignored");

        var (train, test) = Ml.Data.LoadFromImageFolderSplits(temp.Path);
        Assert.Equal(ImageFolderLayout.TrainTestTrees, train.Layout);
        Assert.Equal(new[] { "checker", "horizontal", "vertical" }, train.ClassNames);
        Assert.Equal(train.ClassNames, test.ClassNames);
        Assert.Equal(new[] { 4, 4, 4 }, train.ClassCounts);
        Assert.Equal(new[] { 0, 2, 2 }, test.ClassCounts);
        Assert.All(Rows(test), r => Assert.StartsWith("test/", r.Path));
        Assert.Equal(new uint[] { 2, 2, 3, 3 }, Rows(test).Select(r => r.Key));
        Assert.Equal(16, Ml.Data.LoadFromImageFolder(temp.Path).RowCount);
    }

    [Fact]
    public void TrainTreeWithoutTestTreeHoldsOutAFraction()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Combine("train"), 5, 8, 8, grayscale: false, classes: ["p", "q"]);
        var (train, test) = Ml.Data.LoadFromImageFolderSplits(temp.Path);
        Assert.Equal(ImageFolderLayout.TrainTreeOnly, train.Layout);
        Assert.Equal(new[] { 4, 4 }, train.ClassCounts);
        Assert.Equal(new[] { 1, 1 }, test.ClassCounts);
    }

    [Fact]
    public void RgbFilesComposeWithMlNetImageStepsToTheWrittenPixels()
    {
        using var temp = new TempDirectory();
        var random = new Random(1);
        var expected = new Dictionary<string, float[]>();
        foreach (var cls in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(temp.Combine(cls));
            for (var i = 0; i < 2; i++)
            {
                var pixels = Enumerable.Range(0, 3 * 5 * 7).Select(_ => random.Next(256) / 255f).ToArray();
                ImageFolderWriter.WriteImage(temp.Combine(cls, $"{i}.png"), pixels, 5, 7, grayscale: false);
                expected[$"{cls}/{i}.png"] = pixels;
            }
        }
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.Equal(new[] { (5, 7, 4) }, view.ImageSizes);
        Assert.False(view.AllGrayscale);

        var pipeline = Ml.Transforms.LoadImages("Image", view.RootDirectory, "ImagePath")
            .Append(Ml.Transforms.ResizeImages("Image", 7, 5))
            .Append(Ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255));
        var pixelsView = pipeline.Fit(view).Transform(view);
        Assert.Equal(new[] { 3, 5, 7 }, ((VectorDataViewType)pixelsView.Schema["Features"].Type).Dimensions.ToArray());
        var paths = pixelsView.GetColumn<ReadOnlyMemory<char>>("ImagePath").Select(p => p.ToString()).ToArray();
        var features = pixelsView.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();
        for (var i = 0; i < paths.Length; i++)
            Assert.Equal(expected[paths[i]], features[i], (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void GrayscaleFilesGiveOneChannelThroughLoadImagePixels()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 2, 12, 10, grayscale: true);
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.True(view.AllGrayscale);
        Assert.Equal(new[] { (12, 10, 6) }, view.ImageSizes);

        var gray = Ml.Transforms.LoadImagePixels(view.RootDirectory, 12, 10, grayscale: true).Fit(view).Transform(view);
        Assert.Equal(new[] { 1, 12, 10 }, ((VectorDataViewType)gray.Schema["Features"].Type).Dimensions.ToArray());
        var rgb = Ml.Transforms.LoadImagePixels(view.RootDirectory, 6, 6).Fit(view).Transform(view);
        Assert.Equal(new[] { 3, 6, 6 }, ((VectorDataViewType)rgb.Schema["Features"].Type).Dimensions.ToArray());
        var first = gray.GetColumn<VBuffer<float>>("Features").First().DenseValues().ToArray();
        Assert.Equal(120, first.Length);
        Assert.InRange(first.Max() - first.Min(), 0.3f, 1f);
    }

    [Fact]
    public void JpegBmpAndWebpFilesAreRead()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 2, 8, 8, grayscale: false, classes: ["j"], format: SKEncodedImageFormat.Jpeg);
        ImageFolderWriter.WriteClasses(temp.Path, 2, 8, 8, grayscale: false, classes: ["k"], format: SKEncodedImageFormat.Webp);
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.Equal(4, view.RowCount);
        var pixels = Ml.Transforms.LoadImagePixels(view.RootDirectory, 8, 8).Fit(view).Transform(view);
        Assert.Equal(4, pixels.GetColumn<VBuffer<float>>("Features").Count());
    }

    [Fact]
    public void EmptyFileIsAnErrorNamingIt()
    {
        using var temp = Dataset();
        var bad = temp.Combine("horizontal", "zero.png");
        File.WriteAllBytes(bad, []);
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.EmptyFile, e.Problem);
        Assert.Equal(bad, e.Path);
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void FileWithAnImageNameButOtherContentIsAnErrorNamingIt()
    {
        using var temp = Dataset();
        var bad = temp.Combine("vertical", "notes.jpg");
        File.WriteAllText(bad, "this is text, not a JPEG");
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.NotAnImage, e.Problem);
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void NonImageFileIsAnErrorUnlessSkippedWithACount()
    {
        using var temp = Dataset();
        var text = temp.Combine("checker", "labels.csv");
        File.WriteAllText(text, "a,b");
        File.WriteAllBytes(temp.Combine("checker", "zz-empty.png"), []);
        File.WriteAllText(temp.Combine("checker", ".DS_Store"), "hidden files are ignored");
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.NotAnImage, e.Problem);
        Assert.Contains(text, e.Message);
        Assert.Contains("SkipInvalidFiles", e.Message);

        var view = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true });
        Assert.Equal(2, view.SkippedFiles.Count);
        Assert.Equal(new[] { ImageFolderProblem.NotAnImage, ImageFolderProblem.EmptyFile }, view.SkippedFiles.Select(s => s.Problem));
        Assert.Equal(6, view.RowCount);
    }

    [Fact]
    public void EmptyClassFolderIsAnErrorNamingIt()
    {
        using var temp = Dataset();
        var empty = temp.Combine("zebra");
        Directory.CreateDirectory(empty);
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.EmptyClassFolder, e.Problem);
        Assert.Equal(empty, e.Path);
        Assert.Contains($"'{empty}'", e.Message);

        // Skipping the only file of a class leaves the class empty: still an error.
        File.WriteAllText(Path.Combine(empty, "x.txt"), "x");
        var skipped = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true }));
        Assert.Equal(ImageFolderProblem.EmptyClassFolder, skipped.Problem);
    }

    [Fact]
    public void LayoutErrorsNameTheFolder()
    {
        using var temp = new TempDirectory();
        Assert.Throws<DirectoryNotFoundException>(() => Ml.Data.LoadFromImageFolder(temp.Combine("missing")));
        Assert.Equal(ImageFolderProblem.NoClassFolders, Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path)).Problem);

        ImageFolderWriter.WriteClasses(temp.Path, 1, 4, 4, grayscale: true, classes: ["only"]);
        var one = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(ImageFolderProblem.TooFewClasses, one.Problem);
        Assert.Contains("'only'", one.Message);

        using var nested = new TempDirectory();
        ImageFolderWriter.WriteClasses(nested.Combine("test"), 1, 4, 4, grayscale: true, classes: ["a", "b"]);
        Assert.Equal(ImageFolderProblem.InvalidLayout, Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(nested.Path)).Problem);
        ImageFolderWriter.WriteClasses(nested.Combine("train"), 1, 4, 4, grayscale: true, classes: ["a", "c"]);
        var unknown = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(nested.Path));
        Assert.Equal(ImageFolderProblem.InvalidLayout, unknown.Problem);
        Assert.Equal(nested.Combine("test", "b"), unknown.Path);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        using var temp = Dataset();
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { TestFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { TestFraction = double.NaN }));
    }

    [Fact]
    public void DetectsImageFolderAndCifarFolders()
    {
        using var temp = Dataset();
        Assert.True(ImageFolderCatalog.IsImageFolder(temp.Path));
        Assert.False(ImageFolderCatalog.IsImageFolder(SharedData.CifarDirectory));
        Assert.False(ImageFolderCatalog.IsImageFolder(temp.Combine("nope")));
    }

    [Fact]
    public void ExporterOutputReadsBackWithTheSameClassesAndPixels()
    {
        using var temp = new TempDirectory();
        var binary = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: 40);
        Cifar10ImageExporter.Export(binary, temp.Path);
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.Equal(40, view.RowCount);
        Assert.All(view.ClassNames, n => Assert.Contains(n, binary.ClassNames));
        Assert.Equal(view.ClassNames.OrderBy(n => n, StringComparer.Ordinal), view.ClassNames);
        Assert.Equal(new[] { (32, 32, 40) }, view.ImageSizes);
    }

    private static TempDirectory Dataset()
    {
        var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 2, 8, 8, grayscale: false);
        return temp;
    }

    private static List<(string Path, uint Key)> Rows(IDataView view) =>
        view.GetColumn<ReadOnlyMemory<char>>(ImageFolderDataView.ImagePathColumnName).Select(p => p.ToString())
            .Zip(view.GetColumn<uint>(ImageFolderDataView.LabelColumnName)).ToList();
}
