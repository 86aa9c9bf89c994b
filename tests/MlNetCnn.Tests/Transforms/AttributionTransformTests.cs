using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Attribution;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>The attribution column: beside the classifier, per target kind, from a PredictionEngine, with schema errors up front.</summary>
public class AttributionTransformTests : IClassFixture<FeatureMapTrainedModel>
{
    private readonly FeatureMapTrainedModel fixture;

    public AttributionTransformTests(FeatureMapTrainedModel fixture) => this.fixture = fixture;

    private MLContext Ml => fixture.Ml;

    private static Cifar10DataView Images(int rows) => new(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: rows);

    private static float[] Flatten(float[][] rows) => rows.SelectMany(r => r).ToArray();

    [Fact]
    public void GradCamColumnBesideTheClassifierExplainsEachRowsPredictedClass()
    {
        var data = Images(7);
        var chain = fixture.Classifier.Append(Ml.Transforms.Attribute(fixture.Classifier, new AttributionEstimator.Options { Method = "gradcam", BatchSize = 3 }).Fit(data));
        var output = chain.Transform(data);

        var type = Assert.IsType<VectorDataViewType>(output.Schema["Attribution"].Type);
        Assert.Equal(new[] { 32, 32 }, type.Dimensions.ToArray());
        var column = DataViewColumns.ReadFloats(output, "Attribution");
        var predicted = DataViewColumns.ReadKeys(output, "PredictedLabel").Select(k => (int)k - 1).ToArray();
        var images = Flatten(DataViewColumns.ReadFloats(data, "Features"));
        var direct = new GradCam().Attribute(fixture.Classifier.Model, images, predicted);

        Assert.Equal(7, column.Length);
        for (var i = 0; i < column.Length; i++)
            for (var p = 0; p < column[i].Length; p++)
                Assert.True(Math.Abs(column[i][p] - direct.Map(i)[p]) < 1e-5, $"row {i} pixel {p}");
    }

    [Fact]
    public void LabelAndFixedClassTargetsExplainThoseClassesWithChannelMaps()
    {
        var data = Images(4);
        var images = Flatten(DataViewColumns.ReadFloats(data, "Features"));
        var labels = DataViewColumns.ReadKeys(data, "Label").Select(k => (int)k - 1).ToArray();

        var byLabel = Ml.Transforms.Attribute(fixture.Classifier, method: "saliency", target: AttributionTarget.Label).Fit(data).Transform(data);
        var fixedClass = Ml.Transforms.Attribute(fixture.Classifier, method: "saliency", target: AttributionTarget.FixedClass, classIndex: 3).Fit(data).Transform(data);

        Assert.Equal(new[] { 3, 32, 32 }, ((VectorDataViewType)byLabel.Schema["Attribution"].Type).Dimensions.ToArray());
        Assert.Equal(new Saliency().Attribute(fixture.Classifier.Model, images, labels).Values, Flatten(DataViewColumns.ReadFloats(byLabel, "Attribution")));
        Assert.Equal(new Saliency().Attribute(fixture.Classifier.Model, images, new[] { 3, 3, 3, 3 }).Values, Flatten(DataViewColumns.ReadFloats(fixedClass, "Attribution")));
    }

    private sealed class ImageRow
    {
        [VectorType(3, 32, 32)]
        public float[] Features { get; set; } = new float[3 * 32 * 32];
    }

    private sealed class Explained
    {
        public uint PredictedLabel { get; set; }

        [VectorType(32, 32)]
        public float[] Attribution { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void PredictionEngineGivesTheSameMapsAsTheBatchedView()
    {
        var data = Images(3);
        var chain = fixture.Classifier.Append(Ml.Transforms.Attribute(fixture.Classifier, method: "occlusion").Fit(data));
        var engine = Ml.Model.CreatePredictionEngine<ImageRow, Explained>(chain);
        var images = DataViewColumns.ReadFloats(data, "Features");
        var batch = DataViewColumns.ReadFloats(chain.Transform(data), "Attribution");

        for (var i = 0; i < images.Length; i++)
        {
            var prediction = engine.Predict(new ImageRow { Features = images[i] });
            Assert.Equal(32 * 32, prediction.Attribution.Length);
            for (var p = 0; p < prediction.Attribution.Length; p++)
                Assert.Equal(batch[i][p], prediction.Attribution[p], 1e-5f);
        }
    }

    private sealed class LabeledImageRow
    {
        [VectorType(3, 32, 32)]
        public float[] Features { get; set; } = new float[3 * 32 * 32];

        [KeyType(10)]
        public uint Label { get; set; }
    }

    private sealed class ChannelMaps
    {
        [VectorType(3, 32, 32)]
        public float[] Attribution { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void PredictionEngineExplainsTheLabelItIsGivenAndRescoresWhenOnlyTheLabelChanges()
    {
        var data = Images(1);
        var image = DataViewColumns.ReadFloats(data, "Features")[0];
        var transformer = Ml.Transforms.Attribute(fixture.Classifier, method: "gradient-x-input", target: AttributionTarget.Label).Fit(data);
        var engine = Ml.Model.CreatePredictionEngine<LabeledImageRow, ChannelMaps>(transformer);

        // A [KeyType] property of a POCO holds the 0-based value; ML.NET stores it as key value + 1.
        var forClass2 = engine.Predict(new LabeledImageRow { Features = image, Label = 2 }).Attribution.ToArray();
        var forClass5 = engine.Predict(new LabeledImageRow { Features = image, Label = 5 }).Attribution.ToArray();

        Assert.Equal(new GradientTimesInput().Attribute(fixture.Classifier.Model, image, new[] { 2 }).Values, forClass2);
        Assert.Equal(new GradientTimesInput().Attribute(fixture.Classifier.Model, image, new[] { 5 }).Values, forClass5);
    }

    [Fact]
    public void BadSettingsFailBeforeAnyDataFlowsNamingWhatIsWrong()
    {
        var data = Images(2);
        var layer = Assert.Throws<ArgumentException>(() => Ml.Transforms.Attribute(fixture.Classifier, method: "gradcam", layer: "conv7"));
        Assert.Contains("conv1, conv2", layer.Message);
        var method = Assert.Throws<KeyNotFoundException>(() => Ml.Transforms.Attribute(fixture.Classifier, method: "lime"));
        Assert.Contains("integrated-gradients", method.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.Attribute(fixture.Classifier, target: AttributionTarget.FixedClass, classIndex: 10));
        var label = Assert.Throws<ColumnSchemaException>(() => Ml.Transforms.Attribute(fixture.Classifier, target: AttributionTarget.Label, labelColumnName: "Missing").Fit(data));
        Assert.Equal("Missing", label.ColumnName);
        var features = Assert.Throws<ColumnSchemaException>(() => Ml.Transforms.Attribute(fixture.Classifier, inputColumnName: "Label").Fit(data));
        Assert.Equal("Label", features.ColumnName);
    }

    [Fact]
    public void OneImageConveniencesGiveIndexableArrays()
    {
        var image = DataViewColumns.ReadFloats(Images(1), "Features")[0];
        var model = fixture.Classifier.Model;

        var maps = model.GetFeatureMaps(image, "conv2");
        var cam = new GradCam().AttributeImage(model, image, target: 2);

        Assert.Equal(new[] { 12, 16, 16 }, new[] { maps.GetLength(0), maps.GetLength(1), maps.GetLength(2) });
        var flat = new float[12 * 16 * 16];
        model.Infer(image, 1, null, new[] { 1 }, new[] { flat });
        Assert.Equal(flat[5 * 256 + 7 * 16 + 9], maps[5, 7, 9]);
        Assert.Equal(new[] { 1, 32, 32 }, new[] { cam.GetLength(0), cam.GetLength(1), cam.GetLength(2) });
        Assert.Equal(new GradCam().Attribute(model, image, new[] { 2 }).Map(0)[10 * 32 + 11], cam[0, 10, 11]);
    }
}
