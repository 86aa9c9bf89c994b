using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.TrainingData;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Transforms.TrainingData;

public class StreamingTrainingSourceTests
{
    private const int Rows = 50;

    /// <summary>Rows whose first value is the row number / 1000, so a batch says which rows it holds.</summary>
    private static IDataView Numbered(MLContext ml, Func<int, int, float>? value = null) =>
        SyntheticImages.CreateKeyed(ml, Rows, 2, 1, 4, 4, value ?? ((r, i) => i == 0 ? r / 1000f : 0.5f));

    private static List<int> Epoch(IDataView data, int buffer, int seed, int batchSize = 4)
    {
        var architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 4, InputWidth = 4, ConvChannels = new[] { 2 }, ClassCount = 2 };
        ITrainingSource source = new StreamingTrainingSource(data, "Features", "Label", architecture, buffer);
        var order = new List<int>();
        using var batches = source.OpenEpochs(batchSize)(new Random(seed));
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!batches.TryNext(out var images, out var labels)) break;
            Assert.Equal(images.shape[0], labels.shape[0]);
            Assert.InRange(images.shape[0], 1, batchSize);
            order.AddRange(TensorData.ToArray(images.reshape(-1, 16).select(1, 0)).Select(v => (int)MathF.Round(v * 1000)));
        }
        return order;
    }

    [Fact]
    public void EveryRowComesOnceAnEpochAndNoEarlierThanTheBufferAllows()
    {
        var data = Numbered(new MLContext(1));
        foreach (var buffer in new[] { 1, 8, 1000 })
        {
            var order = Epoch(data, buffer, seed: 3);
            Assert.Equal(Enumerable.Range(0, Rows), order.OrderBy(r => r));
            // Row r enters the buffer after rows 0..r-1 and the buffer holds `buffer` rows: it cannot leave before
            // position r − buffer + 1.
            Assert.All(order.Select((row, position) => (row, position)), p => Assert.True(p.position >= p.row - buffer + 1, $"row {p.row} at {p.position} with buffer {buffer}"));
        }
        Assert.Equal(Enumerable.Range(0, Rows), Epoch(data, 1, seed: 3)); // a buffer of one keeps the source order
        Assert.NotEqual(Enumerable.Range(0, Rows), Epoch(data, 8, seed: 3));
        Assert.Equal(Epoch(data, 8, seed: 3), Epoch(data, 8, seed: 3));
        Assert.NotEqual(Epoch(data, 8, seed: 3), Epoch(data, 8, seed: 4));
    }

    [Fact]
    public void StreamingRejectsWhatTheInMemoryReaderRejects()
    {
        var data = Numbered(new MLContext(1), (r, i) => r == 7 && i == 3 ? float.NaN : 0.5f);
        Assert.Throws<InvalidFeatureValueException>(() => Epoch(data, 4, seed: 1));
    }

    [Fact]
    public void TrainerStreamsDeterministicallyAndLearnsLikeInMemory()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 240);
        SimpleCnnTransformer Fit(int? buffer)
        {
            var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 2, Seed = 5, StreamingShuffleBuffer = buffer };
            return ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(train);
        }
        using var streamed = Fit(64);
        using var again = Fit(64);
        using var inMemory = Fit(null);
        Assert.Equal(streamed.Model.GetKernels("conv1").Weights, again.Model.GetKernels("conv1").Weights);
        Assert.NotEqual(streamed.Model.GetKernels("conv1").Weights, inMemory.Model.GetKernels("conv1").Weights); // another order
        Assert.Equal(2, streamed.Model.History.Count);
        Assert.All(streamed.Model.History, e => Assert.InRange(e.TrainingLoss, 0.5, 3.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { StreamingShuffleBuffer = 0 }));
    }
}
