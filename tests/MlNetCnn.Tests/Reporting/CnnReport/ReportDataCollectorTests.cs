using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Reporting.CnnReport;

[Collection(CnnReportCollection.Name)]
public sealed class ReportDataCollectorTests(CnnReportFixture fixture)
{
    [Fact]
    public void SampleCountIsTheNumberOfChosenImagesNotTheRowsScanned()
    {
        // The public count the CLI's explain subtitle uses, now that the samples themselves are internal.
        Assert.Equal(8, fixture.Data.SampleCount);
        Assert.Equal(fixture.Data.Samples.Count, fixture.Data.SampleCount);
        Assert.NotEqual(fixture.Data.RowCount, fixture.Data.SampleCount);
    }

    [Fact]
    public void TheExplorersPatchSearchRunsOnlyWhenThePageWillHaveAnExplorer()
    {
        Assert.NotNull(ExplorerSection.TopPatches(fixture.Data)); // the default sections include the explorer
        var withoutExplorer = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test,
            new CnnReportOptions { Sections = [new InputImagesSection(), new ExplanationSection()] });
        Assert.Null(ExplorerSection.TopPatches(withoutExplorer));
        Assert.Null(ExplorerSection.TopPatches(CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { IncludeExplorer = false })));
        // The samples do not depend on it: same rows, pixels and maps.
        Assert.Equal(fixture.Data.Samples.Select(s => s.Row), withoutExplorer.Samples.Select(s => s.Row));
        Assert.Equal(fixture.Data.Samples.Select(s => s.Image), withoutExplorer.Samples.Select(s => s.Image));
        Assert.Equal(fixture.Data.Samples.SelectMany(s => s.Maps), withoutExplorer.Samples.SelectMany(s => s.Maps));
    }

    [Fact]
    public void DefaultSelectionTakesOneImagePerClassInClassOrderWithItsPixelsAndMaps()
    {
        var data = fixture.Data;
        Assert.Equal(CnnReportFixture.TestRows, data.RowCount);
        Assert.Equal(8, data.Samples.Count);
        Assert.Equal(Enumerable.Range(0, 8), data.Samples.Select(s => s.Label));
        var pixels = Pixels(fixture.Test);
        var labels = Labels(fixture.Test);
        foreach (var s in data.Samples)
        {
            Assert.Equal(labels.IndexOf(s.Label), (int)s.Row); // the first image of its class
            Assert.Equal(pixels[(int)s.Row], s.Image);
            Assert.Equal([6 * 32 * 32, 12 * 16 * 16], s.Maps.Select(m => m.Length));
            Assert.NotNull(s.Confidence);
        }
    }

    [Fact]
    public void SeveralImagesPerClassFillClassesInOrderUpToTheImageCount()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { ImagesPerClass = 2, ImageCount = 5 });
        Assert.Equal([0, 0, 1, 1, 2], data.Samples.Select(s => s.Label));
        var labels = Labels(fixture.Test);
        Assert.Equal(Enumerable.Range(0, labels.Count).Where(r => labels[r] == 0).Take(2).Select(r => (long)r), data.Samples.Take(2).Select(s => s.Row));
    }

    [Fact]
    public void ExplicitIndicesKeepTheirOrderAndUnknownRowsAreReported()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { ImageIndices = [5, 2, 299] });
        Assert.Equal([5L, 2L, 299L], data.Samples.Select(s => s.Row));
        var pixels = Pixels(fixture.Test);
        Assert.Equal(pixels[299], data.Samples[2].Image);

        // Every index outside is named (the CLI turns this into its --images message), before the scan.
        var e = Assert.Throws<ImageIndexOutOfRangeException>(() =>
            CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { ImageIndices = [1, 301, 300] }));
        Assert.Equal([301L, 300L], e.Outside);
        Assert.Equal(CnnReportFixture.TestRows, e.RowCount);
        Assert.Equal(nameof(CnnReportOptions.ImageIndices), e.ParamName);
        Assert.Contains("301, 300 are past the end", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{CnnReportFixture.TestRows} rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelStatisticsAndConfusionMatchADirectComputation()
    {
        const int rows = 12;
        var model = fixture.Classifier.Model;
        var test = fixture.Ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: rows);
        var data = CnnReportGenerator.Measure(fixture.Ml, model, test);

        var pixels = Pixels(test);
        var labels = Labels(test);
        var confusion = new int[10, 10];
        for (var l = 0; l < 2; l++)
        {
            var shape = model.ConvLayers[l];
            var plane = shape.OutHeight * shape.OutWidth;
            var sum = new double[shape.OutChannels];
            var active = new double[shape.OutChannels];
            var max = Enumerable.Repeat(double.NegativeInfinity, shape.OutChannels).ToArray();
            var classSum = new double[10, shape.OutChannels];
            for (var r = 0; r < rows; r++)
            {
                var maps = new[] { new float[model.ConvLayers[0].MapLength], new float[model.ConvLayers[1].MapLength] };
                var probabilities = new float[10];
                model.Infer(pixels[r], 1, probabilities, [0, 1], maps);
                if (l == 0) confusion[labels[r], Array.IndexOf(probabilities, probabilities.Max())]++;
                for (var c = 0; c < shape.OutChannels; c++)
                {
                    var values = maps[l].Skip(c * plane).Take(plane).ToArray();
                    sum[c] += values.Sum(v => (double)v);
                    active[c] += values.Count(v => v > 0);
                    max[c] = Math.Max(max[c], values.Max());
                    classSum[labels[r], c] += values.Average(v => (double)v);
                }
            }

            var stats = ChannelStatisticsSection.Statistics(data)[l];
            Assert.Equal(rows, stats.Images);
            // The report's maps come from batched inference (64 images a call), the reference from single images:
            // libtorch may sum in another order, so agreement is to float rounding (4 decimals), not bit for bit.
            for (var c = 0; c < shape.OutChannels; c++)
            {
                Assert.Equal(sum[c] / (rows * plane), stats.MeanActivation[c], 4);
                Assert.Equal(active[c] / (rows * plane), stats.FractionActive[c], 9);
                Assert.Equal(max[c], stats.MaxActivation[c], 4);
                for (var k = 0; k < 10; k++)
                {
                    var n = labels.Take(rows).Count(x => x == k);
                    if (n == 0) Assert.True(double.IsNaN(stats.ClassMeanActivation(k, c)));
                    else Assert.Equal(classSum[k, c] / n, stats.ClassMeanActivation(k, c), 4);
                }
            }
        }

        Assert.Equal(confusion, ConfusionSection.Counts(data).Counts);
        Assert.Equal(rows, ConfusionSection.Counts(data).LabeledRows);
    }

    [Fact]
    public void TheScanRunsTheNetworkOncePerBatchForPredictionsAndMapsTogether()
    {
        var model = fixture.Classifier.Model;
        var batches = (CnnReportFixture.TestRows + model.Settings.InferenceBatchSize - 1) / model.Settings.InferenceBatchSize;
        var before = model.ForwardPasses;
        var data = CnnReportGenerator.Measure(fixture.Ml, model, fixture.Test);
        // Two views (classifier, then feature maps) ran it twice per batch: 2 × batches.
        Assert.Equal(batches, model.ForwardPasses - before);
        // The same numbers as the fixture's scan (made the same way) and as the classifier's own predictions.
        Assert.Equal(ConfusionSection.Counts(fixture.Data).Counts, ConfusionSection.Counts(data).Counts);
        Assert.Equal(fixture.Data.Samples.SelectMany(s => s.Maps), data.Samples.SelectMany(s => s.Maps));
        var predicted = model.PredictClasses([.. Pixels(fixture.Test).SelectMany(p => p)], CnnReportFixture.TestRows);
        var labels = Labels(fixture.Test);
        var confusion = new int[10, 10];
        for (var r = 0; r < labels.Count; r++) confusion[labels[r], predicted[r]]++;
        Assert.Equal(confusion, ConfusionSection.Counts(data).Counts);
    }

    [Fact]
    public void ReadsFeatureMapsFromExistingConvColumnsInsteadOfRecomputingThem()
    {
        // conv1 is 2 everywhere for class-3 images and 0 otherwise; conv2 channel c is c everywhere.
        var rows = Enumerable.Range(0, 20).Select(i => new MapRow
        {
            // LoadFromEnumerable stores key fields as 0-based indices (the column's raw key is one more).
            Label = (uint)(i % 5),
            PredictedLabel = (uint)(i % 5 == 4 ? 0 : i % 5),
            Features = new float[3 * 32 * 32],
            Conv1 = Enumerable.Repeat(i % 5 == 3 ? 2f : 0f, 6 * 32 * 32).ToArray(),
            Conv2 = Enumerable.Range(0, 12 * 16 * 16).Select(j => (float)(j / 256)).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(MapRow));
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), 10);
        schema["PredictedLabel"].ColumnType = new KeyDataViewType(typeof(uint), 10);
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, 32, 32);
        schema["conv1"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 6, 32, 32);
        schema["conv2"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 12, 16, 16);
        var view = fixture.Ml.Data.LoadFromEnumerable(rows, schema);

        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, view);

        var conv1 = ChannelStatisticsSection.Statistics(data)[0];
        Assert.All(conv1.MeanActivation, m => Assert.Equal(2.0 * 4 / 20, m, 9));
        Assert.Equal(3, conv1.TopClasses(0, 1)[0]);
        Assert.Equal(2.0, conv1.ClassMeanActivation(3, 0), 9);
        var conv2 = ChannelStatisticsSection.Statistics(data)[1];
        Assert.Equal(Enumerable.Range(0, 12).Select(c => (double)c), conv2.MeanActivation);
        Assert.Equal(0.0, conv2.FractionActive[0]);
        Assert.Equal(4, ConfusionSection.Counts(data).Counts[4, 0]);
        Assert.Equal(16, Enumerable.Range(0, 4).Sum(k => ConfusionSection.Counts(data).Counts[k, k]));
        Assert.Equal(new ColorRange(0, 2), data.MapRanges[0]);
    }

    internal static List<float[]> Pixels(IDataView view) =>
        [.. new MLContext().Data.CreateEnumerable<FeaturesRow>(view, reuseRowObject: false).Select(r => r.Features)];

    internal static List<int> Labels(IDataView view) =>
        [.. new MLContext().Data.CreateEnumerable<LabelRow>(view, reuseRowObject: false).Select(r => (int)r.Label - 1)];

    private sealed class FeaturesRow
    {
        public float[] Features = [];
    }

    private sealed class LabelRow
    {
        [KeyType(10)]
        public uint Label { get; set; }
    }

    private sealed class MapRow
    {
        public uint Label;
        public uint PredictedLabel;
        public float[] Features = [];
        [ColumnName("conv1")]
        public float[] Conv1 = [];
        [ColumnName("conv2")]
        public float[] Conv2 = [];
    }
}
