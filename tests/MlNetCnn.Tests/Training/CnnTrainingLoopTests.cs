using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Tests.Training;

public class CnnTrainingLoopTests
{
    private static float[] Weights(SimpleCnn model) => model.parameters().SelectMany(p => TensorData.ToArray(p)).ToArray();

    /// <summary>
    /// The same 8-bit images held as bytes (converted a chunk of batches at a time) and as floats train to the same
    /// weights: the per-batch conversion gives exactly the floats the readers produce. 300 images at batch 4 span
    /// two chunks and a short last batch.
    /// </summary>
    [Fact]
    public void BytesAndFloatsOfTheSameImagesTrainToTheSameWeights()
    {
        var random = new Random(4);
        const int count = 303;
        var images = Enumerable.Range(0, count * 3 * 8 * 8).Select(_ => (byte)random.Next(256) * InMemoryImageSet.ByteScale).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray();
        var builder = new ImageSetBuilder(3, 8, 8);
        for (var i = 0; i < count; i++) builder.Add(images.AsSpan(i * 192, 192), labels[i]);
        using var bytes = builder.Build();
        using var floats = new InMemoryImageSet(images, labels, 3, 8, 8);
        Assert.True(bytes.IsEightBit);
        Assert.False(floats.IsEightBit);
        Assert.Equal(floats.PixelBytes, 4 * bytes.PixelBytes);

        var architecture = new ConvNetArchitecture { InputHeight = 8, InputWidth = 8, ClassCount = 3 };
        var settings = new TrainingSettings { Epochs = 2, Seed = 9, NumberOfThreads = 1 };
        using var fromBytes = CnnTrainingLoop.CreateModel(architecture, settings);
        using var fromFloats = CnnTrainingLoop.CreateModel(architecture, settings);
        var initial = Weights(fromBytes);
        var byteHistory = CnnTrainingLoop.Train(fromBytes, bytes, null, settings);
        var floatHistory = CnnTrainingLoop.Train(fromFloats, floats, null, settings);

        Assert.NotEqual(initial, Weights(fromBytes));
        Assert.Equal(Weights(fromFloats), Weights(fromBytes));
        Assert.Equal(floatHistory.Select(e => (e.TrainingLoss, e.TrainingAccuracy)), byteHistory.Select(e => (e.TrainingLoss, e.TrainingAccuracy)));
        Assert.Equal(CnnTrainingLoop.Evaluate(fromFloats, floats), CnnTrainingLoop.Evaluate(fromBytes, bytes));
    }
}
