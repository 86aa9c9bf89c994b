using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Tests.Transforms;

/// <summary>Every bad input reaches the user as a typed error naming the column and expected vs actual, at Fit or GetOutputSchema.</summary>
public class SimpleCnnTrainerErrorTests
{
    private readonly MLContext ml = new(seed: 1);

    private SimpleCnnTrainer Trainer(Action<SimpleCnnTrainer.Options>? configure = null)
    {
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 };
        configure?.Invoke(options);
        return ml.MulticlassClassification.Trainers.SimpleCnn(options);
    }

    [Fact]
    public void MissingFeatureColumnIsReportedAtFitAndAtGetOutputSchema()
    {
        var data = SyntheticImages.CreateKeyed(ml, 4, 2);
        var trainer = Trainer(o => o.FeatureColumnName = "Pixels");
        var fitError = Assert.Throws<ColumnSchemaException>(() => trainer.Fit(data));
        Assert.Equal("Pixels", fitError.ColumnName);
        Assert.Contains("'Pixels'", fitError.Message);
        Assert.Contains("no such column", fitError.Message);
        var schemaError = Assert.Throws<ColumnSchemaException>(() => trainer.GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
        Assert.Equal("Pixels", schemaError.ColumnName);
    }

    [Fact]
    public void ChannelsHeightAndWidthAreReadFromTheColumnUnlessEachIsSet()
    {
        var data = SyntheticImages.CreateKeyed(ml, 4, 2, channels: 1, height: 28, width: 20);
        using (var model = Trainer().Fit(data))
            Assert.Equal((1, 28, 20), (model.Model.Architecture.InputChannels, model.Model.Architecture.InputHeight, model.Model.Architecture.InputWidth));

        // Setting one option keeps the others read from the column: setting the channel count that fits still trains.
        using (var model = Trainer(o => o.ImageChannels = 1).Fit(data))
            Assert.Equal((1, 28, 20), (model.Model.Architecture.InputChannels, model.Model.Architecture.InputHeight, model.Model.Architecture.InputWidth));

        var error = Assert.Throws<ColumnSchemaException>(() => Trainer(o => o.ImageHeight = 32).Fit(data));
        Assert.Contains("expected 1 channel of 32×20", error.Message);
        Assert.Contains("got 28×20 pixels", error.Message);
        Assert.Contains("ImageHeight = 32", error.Message);
    }

    [Fact]
    public void OneChannelColumnWithThreeChannelsSetPointsAtTheOption()
    {
        var data = SyntheticImages.CreateKeyed(ml, 4, 2, channels: 1);
        var error = Assert.Throws<ColumnSchemaException>(() => Trainer(o => o.ImageChannels = 3).Fit(data));
        Assert.Equal("Features", error.ColumnName);
        Assert.Contains("expected 3 channels", error.Message);
        Assert.Contains("got 1 channel", error.Message);
        Assert.Contains("1×32×32 = 1024 values", error.Message);
        Assert.Contains("The trainer options set ImageChannels = 3, but the column holds 1-channel (grey) 32×32 images", error.Message);
        Assert.Contains("read from the column's dimensions", error.Message);
        Assert.DoesNotContain("extract all colour channels", error.Message);
    }

    [Fact]
    public void FlatVectorOfWrongLengthNamesBothLengthsAndTheOptionToSet()
    {
        var data = SyntheticImages.CreateKeyed(ml, 4, 2, channels: 1, withDimensions: false);
        var error = Assert.Throws<ColumnSchemaException>(() => Trainer().Fit(data));
        Assert.Contains("3×32×32 = 3072 values", error.Expected);
        Assert.Contains("1024 values (1 channel of 32×32)", error.Actual);
        Assert.Contains("set ImageChannels = 1 in the options", error.Message);
        using var model = Trainer(o => o.ImageChannels = 1).Fit(data);
        Assert.Equal(1, model.Model.Architecture.InputChannels);
    }

    [Fact]
    public void ScalarFeatureColumnIsRejected()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Features = 1f, Label = "a" }, new ScalarRow { Features = 0f, Label = "b" } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var error = Assert.Throws<ColumnSchemaException>(() => Trainer().Fit(keyed));
        Assert.Contains("a vector of Single", error.Expected);
    }

    [Fact]
    public void NonKeyLabelIsRejectedWithAHint()
    {
        var data = SyntheticImages.Create(ml, 4, 2);
        var error = Assert.Throws<ColumnSchemaException>(() => Trainer().Fit(data));
        Assert.Equal("Label", error.ColumnName);
        Assert.Contains("key-typed label", error.Message);
        Assert.Contains("MapValueToKey", error.Message);
        Assert.Contains("String", error.Actual);
        Assert.Throws<ColumnSchemaException>(() => Trainer().GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
    }

    [Fact]
    public void MoreLabelValuesThanClassesIsRejected()
    {
        var data = SyntheticImages.CreateKeyed(ml, 12, 12);
        var error = Assert.Throws<ColumnSchemaException>(() => Trainer(o => o.ClassCount = 10).Fit(data));
        Assert.Contains("at most 10 label values", error.Message);
        Assert.Contains("12 label values", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteFeaturesNameColumnRowAndSlot(float bad)
    {
        var data = SyntheticImages.CreateKeyed(ml, 6, 2, value: (row, i) => row == 3 && i == 17 ? bad : 0.5f);
        var error = Assert.Throws<InvalidFeatureValueException>(() => Trainer().Fit(data));
        Assert.Equal("Features", error.ColumnName);
        Assert.Equal(3, error.Row);
        Assert.Equal(17, error.Slot);
        Assert.Contains(bad.ToString(), error.Message);
    }

    /// <summary>Scoring checks each row as training does, in batches (Transform) and one row at a time (PredictionEngine).</summary>
    [Fact]
    public void ScoringNamesANonFiniteFeatureInBatchesAndThroughPredictionEngine()
    {
        using var model = Trainer().Fit(SyntheticImages.CreateKeyed(ml, 8, 2));
        var bad = SyntheticImages.CreateKeyed(ml, 6, 2, value: (row, i) => row == 3 && i == 17 ? float.NaN : 0.5f);
        var batched = Assert.Throws<InvalidFeatureValueException>(() => DataViewColumns.ReadFloats(model.Transform(bad), "Score"));
        Assert.Equal(("Features", 3L, 17), (batched.ColumnName, batched.Row, batched.Slot));

        var engine = ml.Model.CreatePredictionEngine<ImageRow, ScoreRow>(model);
        Assert.Equal(2, engine.Predict(new ImageRow()).Score.Length);
        var image = new float[3 * 32 * 32];
        image[17] = float.PositiveInfinity;
        var single = Assert.Throws<InvalidFeatureValueException>(() => engine.Predict(new ImageRow { Features = image }));
        Assert.Equal(("Features", 17), (single.ColumnName, single.Slot));
    }

    private sealed class ImageRow
    {
        [VectorType(3, 32, 32)]
        public float[] Features { get; set; } = new float[3 * 32 * 32];
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void TransformerRejectsWrongShapeAtGetOutputSchemaAndTransform()
    {
        var good = SyntheticImages.CreateKeyed(ml, 8, 2);
        using var model = Trainer().Fit(good);
        var bad = SyntheticImages.CreateKeyed(ml, 4, 2, channels: 1);
        var error = Assert.Throws<ColumnSchemaException>(() => model.GetOutputSchema(bad.Schema));
        Assert.Contains("expected 3 channels", error.Message);
        Assert.Contains("This model was trained on 3-channel (colour) images", error.Message);
        Assert.Contains("or train a 1-channel (grey) model on this column", error.Message);
        Assert.Throws<ColumnSchemaException>(() => model.Transform(bad));
    }

    [Fact]
    public void ImpossibleArchitectureFailsAtFitNamingTheLayer()
    {
        var data = SyntheticImages.CreateKeyed(ml, 4, 2, height: 8, width: 8);
        var error = Assert.Throws<InvalidArchitectureException>(() => Trainer(o => o.ConvChannels = new[] { 4, 4, 4, 4 }).Fit(data));
        Assert.Equal("conv4", error.LayerName);
        Assert.Contains("1×1", error.Message);
    }

    [Theory]
    [InlineData(0, 4, 0.001)]
    [InlineData(1, 0, 0.001)]
    [InlineData(1, 4, 0.0)]
    [InlineData(1, 4, double.NaN)]
    public void InvalidTrainingSettingsAreRejectedWhenTheTrainerIsMade(int epochs, int batch, double learningRate)
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => Trainer(o =>
        {
            o.NumberOfEpochs = epochs;
            o.BatchSize = batch;
            o.LearningRate = learningRate;
        }));
    }

    private sealed class ScalarRow
    {
        public float Features { get; set; }
        public string Label { get; set; } = "";
    }
}
