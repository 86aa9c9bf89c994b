using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>The trainer inside ordinary ML.NET pipelines: evaluation, key mapping, PredictionEngine, logging, history.</summary>
public class SimpleCnnPipelineTests
{
    private static SimpleCnnTrainer.Options SmallRun() => new() { NumberOfEpochs = 2, NumberOfThreads = 1, Seed = 3 };

    [Fact]
    public void BinaryReaderPipelineTrainsEvaluatesAndMapsPredictedKeysToClassNames()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 400);
        var test = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: 200);
        var options = SmallRun();
        options.ValidationSet = test;
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };

        var pipeline = ml.MulticlassClassification.Trainers.SimpleCnn(options)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);

        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.Equal(10, metrics.PerClassLogLoss.Count);
        Assert.Equal(10, metrics.ConfusionMatrix.NumberOfClasses);

        var history = ((IEnumerable<ITransformer>)model).OfType<SimpleCnnTransformer>().Single().History;
        Assert.Equal(2, history.Count);
        Assert.All(history, e => Assert.NotNull(e.ValidationAccuracy));
        Assert.Equal(metrics.MicroAccuracy, history[^1].ValidationAccuracy!.Value, 6);
        Assert.Contains(log, m => m.Contains("Epoch 2/2", StringComparison.Ordinal));

        var classNames = ((Cifar10DataView)test).ClassNames;
        var scoreColumn = scored.Schema["Score"];
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scoreColumn.Annotations.GetValue("SlotNames", ref slotNames);
        Assert.Equal(classNames, slotNames.DenseValues().Select(v => v.ToString()));

        using var cursor = scored.GetRowCursor(scored.Schema);
        var score = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        var predicted = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        var predictedText = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["PredictedClass"]);
        var label = cursor.GetGetter<uint>(scored.Schema["Label"]);
        VBuffer<float> s = default;
        ReadOnlyMemory<char> text = default;
        uint key = 0, truth = 0;
        var rows = 0;
        while (cursor.MoveNext())
        {
            score(ref s);
            predicted(ref key);
            predictedText(ref text);
            label(ref truth);
            var values = s.DenseValues().ToArray();
            Assert.Equal(1.0, values.Sum(), 4);
            Assert.Equal(Array.IndexOf(values, values.Max()) + 1, (int)key);
            Assert.Equal(classNames[(int)key - 1], text.ToString());
            Assert.InRange(truth, 1u, 10u);
            rows++;
        }
        Assert.Equal(200, rows);
    }

    [Fact]
    public void PredictionEngineMatchesBatchedTransform()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 200);
        var test = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: 70);
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(SmallRun()).Fit(train);

        var batched = ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false).ToList();
        var inputs = ml.Data.CreateEnumerable<ImageInput>(test, reuseRowObject: false).ToList();
        var engine = ml.Model.CreatePredictionEngine<ImageInput, Prediction>(model);
        Assert.Equal(70, batched.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var single = engine.Predict(inputs[i]);
            Assert.Equal(batched[i].PredictedLabel, single.PredictedLabel);
            for (var c = 0; c < 10; c++) Assert.Equal(batched[i].Score[c], single.Score[c], 5);
        }
    }

    [Fact]
    public void SameSeedAndThreadsGiveIdenticalWeightsAndADifferentSeedDoesNot()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 240);
        float[] Weights(int seed)
        {
            var options = SmallRun();
            options.Seed = seed;
            using var model = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train);
            return model.Model.GetKernels("conv1").Weights.Concat(model.Model.GetKernels("conv2").Weights).ToArray();
        }
        var first = Weights(11);
        var second = Weights(11);
        var other = Weights(12);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void DeeperStackTrainsThroughTheSameVerb()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 100);
        var options = SmallRun();
        options.ConvChannels = new[] { 6, 12, 24, 48 };
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train);
        Assert.Equal(new[] { "conv1", "conv2", "conv3", "conv4" }, model.Model.ConvLayers.Select(l => l.Name));
        Assert.Equal((48, 4, 4), (model.Model.ConvLayers[3].OutChannels, model.Model.ConvLayers[3].OutHeight, model.Model.ConvLayers[3].OutWidth));
    }

    [Fact]
    public void SaveThroughMlNetModelSaveGivesAClearNotSupportedMessage()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 20);
        using var model = ml.MulticlassClassification.Trainers.SimpleCnn(SmallRun()).Fit(train);
        using var stream = new MemoryStream();
        var error = Assert.ThrowsAny<Exception>(() => ml.Model.Save(model, train.Schema, stream));
        var notSupported = error as NotSupportedException ?? error.InnerException as NotSupportedException;
        Assert.NotNull(notSupported);
        Assert.Contains("mlContext.Model.Save", notSupported!.Message);
    }

    public sealed class ImageInput
    {
        [VectorType(3, 32, 32)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }
}
