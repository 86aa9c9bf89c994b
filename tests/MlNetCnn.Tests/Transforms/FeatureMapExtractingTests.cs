using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.Schema;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Transforms;

/// <summary>One small classifier (200 CIFAR rows, 1 epoch, 1 thread) shared by the feature-map tests.</summary>
public sealed class FeatureMapTrainedModel : IDisposable
{
    public const int Rows = 200;

    public FeatureMapTrainedModel()
    {
        Ml = new MLContext(seed: 1);
        Train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: Rows);
        Classifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }).Fit(Train);
    }

    public MLContext Ml { get; }

    public Cifar10DataView Train { get; }

    public SimpleCnnTransformer Classifier { get; }

    public void Dispose() => Classifier.Dispose();
}

public class FeatureMapExtractingTests : IClassFixture<FeatureMapTrainedModel>
{
    private readonly FeatureMapTrainedModel fixture;
    private readonly ITestOutputHelper log;

    public FeatureMapExtractingTests(FeatureMapTrainedModel fixture, ITestOutputHelper log)
    {
        this.fixture = fixture;
        this.log = log;
    }

    private MLContext Ml => fixture.Ml;

    private static TrainedCnn Untrained(ConvNetArchitecture architecture)
    {
        TorchRuntime.Configure(7, null);
        return new TrainedCnn(new SimpleCnn(architecture), SyntheticCifar10.ClassNames.Take(architecture.ClassCount).ToArray(),
            Array.Empty<EpochMetrics>(), new TrainingSettings());
    }

    private static Cifar10DataView Images(int rows) => new(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: rows);

    private static float[][] ReadColumn(IDataView view, string column) => DataViewColumns.ReadFloats(view, column);

    /// <summary>The shape an estimator chain would see (SchemaShape.Create is internal to ML.NET).</summary>
    private static SchemaShape ShapeOf(DataViewSchema schema) => SchemaShapes.Append(new SchemaShape(Array.Empty<SchemaShape.Column>()), schema);

    private static void AssertMapType(DataViewSchema schema, string column, int channels, int height, int width)
    {
        var type = Assert.IsType<VectorDataViewType>(schema[column].Type);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(new[] { channels, height, width }, type.Dimensions.ToArray());
        Assert.Equal(channels * height * width, type.Size);
    }

    [Fact]
    public void DefaultModelAddsConv1And2WithChannelHeightWidthDimensions()
    {
        using var model = Untrained(ConvNetArchitecture.Default);
        var estimator = Ml.Transforms.ExtractFeatureMaps(model);
        var data = Images(3);
        var output = estimator.Fit(data).Transform(data);

        AssertMapType(output.Schema, "conv1", 6, 32, 32);
        AssertMapType(output.Schema, "conv2", 12, 16, 16);
        var shape = estimator.GetOutputSchema(ShapeOf(data.Schema));
        Assert.Contains(shape, c => c.Name == "conv1" && c.Kind == SchemaShape.Column.VectorKind.Vector && c.ItemType == NumberDataViewType.Single);
        Assert.Contains(shape, c => c.Name == "conv2");
        Assert.Equal(3, ReadColumn(output, "conv2").Length);
        Assert.All(ReadColumn(output, "conv1"), row => Assert.Equal(6 * 32 * 32, row.Length));
    }

    [Fact]
    public void ThreeConvModelAddsAColumnPerLayer()
    {
        using var model = Untrained(ConvNetArchitecture.Default with { ConvChannels = new[] { 4, 8, 16 } });
        var data = Images(2);
        var output = Ml.Transforms.ExtractFeatureMaps(model).Fit(data).Transform(data);

        AssertMapType(output.Schema, "conv1", 4, 32, 32);
        AssertMapType(output.Schema, "conv2", 8, 16, 16);
        AssertMapType(output.Schema, "conv3", 16, 8, 8);
        Assert.All(ReadColumn(output, "conv3"), row => Assert.Equal(16 * 8 * 8, row.Length));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValuesEqualDirectInference(bool preActivation)
    {
        const int rows = 20; // one batch, as in the direct call, so the arithmetic is the same
        var model = fixture.Classifier.Model;
        var data = Images(rows);
        var output = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, preActivation: preActivation).Fit(data).Transform(data);

        var images = ReadColumn(data, Cifar10DataView.FeaturesColumnName).SelectMany(r => r).ToArray();
        var expected = model.ConvLayers.Select(l => new float[rows * l.MapLength]).ToArray();
        model.Infer(images, rows, null, new[] { 0, 1 }, expected, preActivation);

        for (var layer = 0; layer < 2; layer++)
        {
            var actual = ReadColumn(output, $"conv{layer + 1}").SelectMany(r => r).ToArray();
            Assert.Equal(expected[layer], actual);
        }
    }

    [Fact]
    public void PostReluIsNonNegativeAndPreActivationHasNegatives()
    {
        var data = Images(8);
        var post = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier).Fit(data).Transform(data);
        var pre = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, preActivation: true).Fit(data).Transform(data);

        foreach (var column in new[] { "conv1", "conv2" })
        {
            var after = ReadColumn(post, column).SelectMany(r => r).ToArray();
            var before = ReadColumn(pre, column).SelectMany(r => r).ToArray();
            Assert.All(after, v => Assert.True(v >= 0));
            Assert.Contains(before, v => v < 0);
            Assert.Contains(after, v => v > 0);
            // ReLU is the only difference.
            Assert.Equal(before.Select(v => Math.Max(v, 0f)).ToArray(), after);
        }
    }

    [Fact]
    public void OnlyRequestedLayersBecomeColumns()
    {
        var data = Images(4);
        var output = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, layers: new[] { "conv2" }).Fit(data).Transform(data);

        AssertMapType(output.Schema, "conv2", 12, 16, 16);
        Assert.Null(output.Schema.GetColumnOrNull("conv1"));
        Assert.Equal(4, ReadColumn(output, "conv2").Length);
    }

    [Fact]
    public void ExplicitNamesAndPrefixNameTheColumns()
    {
        var data = Images(2);
        var named = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, new FeatureMapExtractingEstimator.Options
        {
            Layers = new[] { "conv2", "conv1" },
            OutputColumnNames = new[] { "Deep", "Shallow" },
            BatchSize = 1,
        }).Fit(data).Transform(data);
        AssertMapType(named.Schema, "Deep", 12, 16, 16);
        AssertMapType(named.Schema, "Shallow", 6, 32, 32);
        Assert.Equal(2, ReadColumn(named, "Shallow").Length);

        var prefixed = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, new FeatureMapExtractingEstimator.Options { OutputColumnPrefix = "Maps." })
            .Fit(data).Transform(data);
        Assert.NotNull(prefixed.Schema.GetColumnOrNull("Maps.conv1"));
        Assert.NotNull(prefixed.Schema.GetColumnOrNull("Maps.conv2"));
    }

    [Fact]
    public void CursorComputesOnlyTheLayersItReads()
    {
        // Inactive columns get no buffer (an empty array): scoring into one would throw, so reading conv2 alone
        // proves conv1 is not copied out.
        var model = fixture.Classifier.Model;
        var transformer = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier).Fit(Images(1));
        var scorer = transformer.CreateScorer();
        var image = new float[model.Architecture.InputLength];
        var outputs = new[] { Array.Empty<float>(), new float[model.ConvLayers[1].MapLength] };
        scorer.Score(image, 1, new[] { false, true }, outputs);
        Assert.Empty(outputs[0]);
        Assert.Contains(outputs[1], v => v != 0);

        var data = Images(5);
        var view = transformer.Transform(data);
        using var cursor = view.GetRowCursor(new[] { view.Schema["conv2"] });
        Assert.False(cursor.IsColumnActive(view.Schema["conv1"]));
        var rows = 0;
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["conv2"]);
        VBuffer<float> value = default;
        while (cursor.MoveNext()) { getter(ref value); rows++; }
        Assert.Equal(5, rows);
    }

    [Fact]
    public void MissingInputColumnIsASchemaError()
    {
        var data = Images(1);
        var estimator = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, inputColumnName: "Pixels");

        var fit = Assert.Throws<ColumnSchemaException>(() => estimator.Fit(data));
        Assert.Equal("Pixels", fit.ColumnName);
        Assert.Contains("no such column", fit.Message);
        var shape = Assert.Throws<ColumnSchemaException>(() => estimator.GetOutputSchema(ShapeOf(data.Schema)));
        Assert.Equal("Pixels", shape.ColumnName);
    }

    private sealed class GrayImage
    {
        [VectorType(1, 32, 32)]
        public float[] Features { get; set; } = new float[32 * 32];
    }

    private sealed class TextFeatures
    {
        public string Features { get; set; } = "";
    }

    [Fact]
    public void WrongLengthOrTypeNamesTheColumnAndTheExpectedShape()
    {
        var gray = Ml.Data.LoadFromEnumerable(new[] { new GrayImage() });
        var estimator = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier);

        var e = Assert.Throws<ColumnSchemaException>(() => estimator.Fit(gray));
        Assert.Equal("Features", e.ColumnName);
        Assert.Contains("3 channels", e.Message);
        Assert.Contains("1 channel", e.Actual);
        Assert.Throws<ColumnSchemaException>(() => estimator.Fit(Images(1)).Transform(gray));

        var text = Ml.Data.LoadFromEnumerable(new[] { new TextFeatures() });
        var t = Assert.Throws<ColumnSchemaException>(() => estimator.GetOutputSchema(ShapeOf(text.Schema)));
        Assert.Contains("vector of Single", t.Message);
    }

    [Fact]
    public void UnknownLayerListsTheLayersThatExist()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, layers: new[] { "conv1", "conv7" }));
        Assert.Contains("conv7", e.Message);
        Assert.Contains("conv1, conv2", e.Message);

        Assert.ThrowsAny<ArgumentException>(() => Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, new FeatureMapExtractingEstimator.Options
        {
            Layers = new[] { "conv1" },
            OutputColumnNames = new[] { "a", "b" },
        }));
        Assert.ThrowsAny<ArgumentException>(() => Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, layers: new[] { "conv1", "conv1" }));
    }

    [Fact]
    public void ComposesAfterTheClassifierInOneChain()
    {
        var data = Images(30);
        var chain = fixture.Classifier.Append(Ml.Transforms.ExtractFeatureMaps(fixture.Classifier).Fit(data));
        var output = chain.Transform(data);

        Assert.NotNull(output.Schema.GetColumnOrNull("Score"));
        Assert.NotNull(output.Schema.GetColumnOrNull("PredictedLabel"));
        AssertMapType(output.Schema, "conv1", 6, 32, 32);
        AssertMapType(output.Schema, "conv2", 12, 16, 16);
        Assert.Equal(ReadColumn(fixture.Classifier.Transform(data), "Score"), ReadColumn(output, "Score"));
        Assert.Equal(30, ReadColumn(output, "conv2").Length);

        // All four columns from one cursor.
        using var cursor = output.GetRowCursor(output.Schema);
        var score = cursor.GetGetter<VBuffer<float>>(output.Schema["Score"]);
        var conv1 = cursor.GetGetter<VBuffer<float>>(output.Schema["conv1"]);
        var conv2 = cursor.GetGetter<VBuffer<float>>(output.Schema["conv2"]);
        var label = cursor.GetGetter<uint>(output.Schema["PredictedLabel"]);
        VBuffer<float> s = default, a = default, b = default;
        uint key = 0;
        Assert.True(cursor.MoveNext());
        score(ref s); conv1(ref a); conv2(ref b); label(ref key);
        Assert.Equal(10, s.Length);
        Assert.InRange(key, 1u, 10u);
    }

    private sealed class ImageRow
    {
        [VectorType(3, 32, 32)]
        public float[] Features { get; set; } = new float[3 * 32 * 32];
    }

    private sealed class MapsPrediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();

        [ColumnName("conv2")]
        public float[] Conv2 { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void WorksWithPredictionEngine()
    {
        var data = Images(3);
        var images = ReadColumn(data, Cifar10DataView.FeaturesColumnName);
        var chain = fixture.Classifier.Append(Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, layers: new[] { "conv2" }).Fit(data));
        var engine = Ml.Model.CreatePredictionEngine<ImageRow, MapsPrediction>(chain);

        var batch = ReadColumn(chain.Transform(data), "conv2");
        var scores = ReadColumn(chain.Transform(data), "Score");
        for (var i = 0; i < images.Length; i++)
        {
            var prediction = engine.Predict(new ImageRow { Features = images[i] });
            Assert.Equal(12 * 16 * 16, prediction.Conv2.Length);
            // Batch size 1 vs a batch of 3: allow float noise.
            for (var j = 0; j < prediction.Conv2.Length; j++)
                Assert.Equal(batch[i][j], prediction.Conv2[j], 1e-5f);
            for (var j = 0; j < 10; j++)
                Assert.Equal(scores[i][j], prediction.Score[j], 1e-5f);
        }
    }

    [Fact]
    public void LinearTrainerLearnsFromConv2Maps()
    {
        var data = fixture.Train;
        var pipeline = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier, layers: new[] { "conv2" })
            .AppendCacheCheckpoint(Ml)
            .Append(Ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: "Label", featureColumnName: "conv2", l1Regularization: 0, l2Regularization: 0.001f));
        var model = pipeline.Fit(data);
        var metrics = Ml.MulticlassClassification.Evaluate(model.Transform(data));
        log.WriteLine($"linear probe on conv2: training accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");

        // Ten classes: chance is 0.1. A linear model on 3,072 conv2 values fits 200 training rows far better.
        Assert.True(metrics.MicroAccuracy > 0.1 + 0.3, $"accuracy {metrics.MicroAccuracy:P1} on the rows it trained on");
        Assert.Equal(10, metrics.ConfusionMatrix.NumberOfClasses);
    }
}
