using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>Image folders of any size and channel count train, give feature maps and get a report worded for them.</summary>
public class AnySizeAndChannelTests
{
    [Fact]
    public void GreyImageFolderTrainsExtractsMapsAndGetsAGreyReport()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 24, 28, 28, grayscale: true);
        var ml = new MLContext(seed: 1);
        var (train, test) = ml.Data.LoadFromImageFolderSplits(temp.Path, new ImageFolderOptions { TestFraction = 0.25 });
        var pixels = ml.Transforms.LoadImagePixels(train.RootDirectory, 28, 28, grayscale: true);
        var model = pixels.Append(ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 3, NumberOfThreads = 1 }))
            .Fit(train);
        using var cnn = model.LastTransformer;
        var a = cnn.Model.Architecture;
        Assert.Equal((1, 28, 28), (a.InputChannels, a.InputHeight, a.InputWidth));
        Assert.Equal(train.ClassNames, cnn.Model.ClassNames);

        var testPixels = pixels.Fit(test).Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(cnn.Transform(testPixels));
        Assert.True(metrics.MicroAccuracy > 0.6, $"accuracy {metrics.MicroAccuracy:P1} on stripes vs checkers");

        var maps = ml.Transforms.ExtractFeatureMaps(cnn).Fit(testPixels).Transform(testPixels);
        Assert.Equal(new[] { 6, 28, 28 }, ((VectorDataViewType)maps.Schema["conv1"].Type).Dimensions.ToArray());
        Assert.Equal(new[] { 12, 14, 14 }, ((VectorDataViewType)maps.Schema["conv2"].Type).Dimensions.ToArray());

        var report = CnnReportGenerator.Create(ml, cnn, testPixels);
        var text = AllText(report);
        Assert.DoesNotContain("RGB", text);
        Assert.DoesNotContain("colour channel", text);
        Assert.DoesNotContain("colour-summed", text);
        Assert.Contains("plane of grey levels", text);
        Assert.Contains("conv1 kernels as grey tiles", text);
        var kernels = report.Parts.Single(s => s.Title == new KernelsSection().Title);
        var tiles = kernels.Blocks.OfType<ImageStrip>().Single();
        Assert.Equal(6, tiles.Images.Count);
        // Grey tiles: the same value in the three planes.
        var tile = tiles.Images[0].Rgb;
        Assert.Equal(tile[..9], tile[9..18]);
        Assert.Equal(tile[..9], tile[18..27]);
        Assert.Contains("weight sum", kernels.Blocks.OfType<Table>().Single().Header);
    }

    [Fact]
    public void NonSquareColourImagesTrainAtTheirOwnSize()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 6, 24, 40, grayscale: false, classes: ["horizontal", "vertical"]);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromImageFolder(temp.Path);
        var (height, width, _) = data.ImageSizes[0];
        var model = ml.Transforms.LoadImagePixels(data.RootDirectory, height, width)
            .Append(ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }))
            .Fit(data);
        using var cnn = model.LastTransformer;
        Assert.Equal((3, 24, 40), (cnn.Model.Architecture.InputChannels, cnn.Model.Architecture.InputHeight, cnn.Model.Architecture.InputWidth));
        Assert.Equal(12 * 6 * 10, cnn.Model.Architecture.FlattenedFeatures());
    }

    [Fact]
    public void ConfusionTextNeverNamesOneClassAsBothBestAndWorst()
    {
        string[] names = ["horizontal", "vertical"];
        Assert.Equal("All labelled test images are of one class, horizontal (100.0% right), so no class can be compared with another.",
            ConfusionSection.BestAndWorst(names, [1.0, double.NaN], [0]));
        Assert.Equal("Every class with test images scores the same: 50.0%.", ConfusionSection.BestAndWorst(names, [0.5, 0.5], [0, 1]));
        Assert.Equal("Best class: vertical (90.0%); worst: horizontal (40.0%).", ConfusionSection.BestAndWorst(names, [0.4, 0.9], [0, 1]));
    }

    private static string AllText(ReportDocument report) => string.Join("\n", report.Parts.SelectMany(s =>
        new[] { s.Title, s.Explanation ?? "" }.Concat(s.Blocks.SelectMany(b => new[] { b.Title ?? "", b.Caption ?? "" }))));
}
