using System.Globalization;
using System.Text.Json;
using MlNetCnn.IO;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

[Collection(CnnReportCollection.Name)]
public sealed class SectionTests(CnnReportFixture fixture)
{
    private static string F(double v, int decimals = 3) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string P(double v, int decimals = 1) => (v * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private PagePart Build(ICnnReportSection builder)
    {
        var report = new ReportDocument("t");
        builder.AddTo(report, fixture.Data);
        return Assert.Single(report.Parts);
    }

    [Fact]
    public void InputImagesShowEachChosenImageWithTrueAndPredictedLabel()
    {
        var section = Build(new InputImagesSection());
        var strip = Assert.IsType<ImageStrip>(Assert.Single(section.Blocks));
        var data = fixture.Data;
        Assert.Equal(data.Samples.Count, strip.Images.Count);
        for (var i = 0; i < strip.Images.Count; i++)
        {
            var s = data.Samples[i];
            Assert.StartsWith($"true: {data.ClassNames[s.Label]}\npred: {data.ClassNames[s.Predicted]}", strip.Images[i].Caption, StringComparison.Ordinal);
            Assert.Equal(s.IsCorrect, strip.Images[i].Correct);
            Assert.Equal(s.Image, strip.Images[i].Rgb);
        }

        Assert.Contains($"classifies {data.Samples.Count(s => s.IsCorrect)} of {data.Samples.Count} correctly", section.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureMapGridsUseOneColourRangePerLayerAcrossAllImages()
    {
        var section = Build(new FeatureMapsSection());
        var data = fixture.Data;
        var grids = section.Blocks.OfType<HeatmapGrid>().ToList();
        Assert.Equal(data.Samples.Count * data.Layers.Count, grids.Count);
        Assert.Equal(data.Samples.Count, section.Blocks.OfType<ImageStrip>().Count());
        for (var l = 0; l < data.Layers.Count; l++)
        {
            var layer = data.Layers[l];
            var layerGrids = grids.Where(g => g.Channels == layer.OutChannels && g.Height == layer.OutHeight).ToList();
            Assert.Equal(data.Samples.Count, layerGrids.Count);
            var all = data.Samples.SelectMany(s => s.Maps[l]).ToArray();
            var expected = new ColorRange(all.Min(), all.Max());
            Assert.Equal(expected, data.MapRanges[l]);
            Assert.All(layerGrids, g => Assert.Equal(expected, g.EffectiveRange));
            using var figure = JsonDocument.Parse(layerGrids[^1].ToFigureJson());
            Assert.Equal(expected.Max, figure.RootElement.GetProperty("layout").GetProperty("coloraxis").GetProperty("cmax").GetDouble(), 6);
            Assert.Contains($"{layer.Name} {F(expected.Min)} to {F(expected.Max)}", section.Explanation, StringComparison.Ordinal);
        }

        // Shapes drive the text: sizes shrink, channels grow, receptive fields widen.
        Assert.Contains("conv1: 6 filters of 3×3×3 slide over the image → 6×32×32 = 6,144 values; each value depends on a patch of 3×3 image pixels", section.Explanation, StringComparison.Ordinal);
        Assert.Contains("conv2: 12 filters of 6×3×3", section.Explanation, StringComparison.Ordinal);
        Assert.Contains("a patch of 8×8 image pixels", section.Explanation, StringComparison.Ordinal);
        Assert.Contains("12×8×8 = 768", section.Explanation, StringComparison.Ordinal);
        Assert.Contains("shrink from 32×32 to 8×8 while the channels grow from 6 to 12", section.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void KernelsShowConv1AsRgbTilesWithMeasuredOrientationsAndDeeperLayersPerInputChannel()
    {
        var section = Build(new KernelsSection());
        var (w1, _) = fixture.Classifier.Model.GetKernels("conv1");
        var (w2, _) = fixture.Classifier.Model.GetKernels("conv2");
        var strip = Assert.Single(section.Blocks.OfType<ImageStrip>());
        Assert.Equal(6, strip.Images.Count);
        Assert.Equal(RgbKernelTiles.ToRgbTile(w1.AsSpan(0, 27), 3), strip.Images[0].Rgb);
        var deep = section.Blocks.OfType<HeatmapGrid>().Single(g => g.Channels == 12 * 6);
        Assert.True(deep.Diverging);
        Assert.Equal(ColorRange.Of(w2, symmetricAroundZero: true), deep.EffectiveRange);

        var orientations = KernelsSection.Orientations(w1, fixture.Classifier.Model.ConvLayers[0]);
        var table = section.Blocks.OfType<Table>().Single();
        for (var f = 0; f < 6; f++)
        {
            var o = orientations[f];
            Assert.Contains(o.Describe(["R", "G", "B"]), section.Explanation, StringComparison.Ordinal);
            Assert.Contains($"{F(o.Strength, 2)}", section.Explanation, StringComparison.Ordinal);
            Assert.Equal(o.Label, table.Rows[f][1]);
        }

        foreach (var group in orientations.GroupBy(o => o.Label))
            Assert.Contains($"{group.Count()} filter{(group.Count() == 1 ? "" : "s")} {group.Key}", section.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingCurvesPlotHistoryAndQuoteItsNumbers()
    {
        var section = Build(new TrainingCurvesSection());
        var history = fixture.Classifier.History;
        var chart = Assert.IsType<LineChart>(Assert.Single(section.Blocks));
        Assert.Equal(["loss", "accuracy"], chart.Panels);
        Assert.Equal(4, chart.Series.Count);
        Assert.Equal(history[0].ValidationAccuracy!.Value, chart.Series.Single(s => s.Panel == "accuracy" && s.Name == "validation").Y[0]);
        Assert.Contains($"Training loss {F(history[0].TrainingLoss)}", section.Explanation, StringComparison.Ordinal);
        Assert.Contains($"Validation accuracy ended at {P(history[^1].ValidationAccuracy!.Value)}", section.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfusionSectionCountsEveryTestRowAndNamesTheMostConfusedPairs()
    {
        var section = Build(new ConfusionSection());
        var data = fixture.Data;
        var matrix = section.Blocks.OfType<ConfusionMatrix>().Single();
        var counts = ConfusionSection.Counts(data).Counts;
        Assert.Equal(CnnReportFixture.TestRows, ConfusionSection.Counts(data).LabeledRows);
        for (var a = 0; a < 10; a++)
            for (var p = 0; p < 10; p++)
                Assert.Equal(counts[a, p], matrix[a, p]);

        var correct = Enumerable.Range(0, 10).Sum(c => counts[c, c]);
        Assert.Contains($"right {correct} times: accuracy {P(correct / (double)CnnReportFixture.TestRows)}", section.Explanation, StringComparison.Ordinal);
        var (actual, predicted, n) = ConfusionSection.MostConfused(counts, 1)[0];
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(a => Enumerable.Range(0, 10).Where(p => p != a).Select(p => counts[a, p])).Max(), n);
        Assert.Contains($"{data.ClassNames[actual]} taken for {data.ClassNames[predicted]}: {n} time", section.Explanation, StringComparison.Ordinal);

        var bars = section.Blocks.OfType<BarChart>().Single();
        Assert.Equal(data.ClassNames, bars.Categories);
    }

    [Fact]
    public void ChannelStatisticsNameTheMostAndLeastActiveChannelsWithTheirMeans()
    {
        var section = Build(new ChannelStatisticsSection());
        foreach (var stats in ChannelStatisticsSection.Statistics(fixture.Data))
        {
            var means = stats.MeanActivation;
            var most = Enumerable.Range(0, means.Count).MaxBy(c => means[c]);
            var least = Enumerable.Range(0, means.Count).MinBy(c => means[c]);
            Assert.Contains($"{stats.Layer.Name}: most active is ch {most} (mean {F(means[most])}, active at {P(stats.FractionActive[most])}", section.Explanation, StringComparison.Ordinal);
            Assert.Contains($"least active is ch {least} (mean {F(means[least])}", section.Explanation, StringComparison.Ordinal);
            Assert.Equal(CnnReportFixture.TestRows, stats.Images);
            var dead = Enumerable.Range(0, means.Count).Where(c => stats.ActivePositions[c] == 0).Select(c => $"ch {c}").ToList();
            if (dead.Count > 0)
                Assert.Contains($"{ReportText.List(dead)} never fired", section.Explanation, StringComparison.Ordinal);
        }

        Assert.Equal(2 * 2, section.Blocks.OfType<BarChart>().Count());
        Assert.Equal(2, section.Blocks.OfType<Table>().Count());
    }

    [Fact]
    public void ProgressRisesToOneAndWriteRefusesToOverwriteWithoutTheFlag()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("report.html");
        var reports = new List<ReportProgress>();
        var progress = new InlineProgress(reports.Add);
        var options = new CnnReportOptions { ImageCount = 2, Sections = [new InputImagesSection(), new ConfusionSection()] };

        var report = CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier, fixture.Test, options, overwrite: false, progress);
        Assert.True(File.Exists(path));
        Assert.Equal(2, report.Parts.Count);
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(0.0, reports[0].Fraction);
        Assert.All(reports.Zip(reports.Skip(1)), p => Assert.True(p.Second.Fraction >= p.First.Fraction, $"{p.First} then {p.Second}"));
        Assert.Contains(reports, r => r.Stage == "Scanning test data" && r.Fraction > 0 && r.Fraction < 0.8);
        Assert.Contains(reports, r => r.Stage == "Writing HTML");

        var before = File.GetLastWriteTimeUtc(path);
        Assert.Throws<OutputFileExistsException>(() => CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier, fixture.Test, options));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier.Model, fixture.Test, options with { Title = "second" }, overwrite: true);
        Assert.Contains("<title>second</title>", File.ReadAllText(path), StringComparison.Ordinal);
    }

    private sealed class InlineProgress(Action<ReportProgress> report) : IProgress<ReportProgress>
    {
        public void Report(ReportProgress value) => report(value);
    }
}
