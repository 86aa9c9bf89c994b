using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Tests.Training;

public class TrainingLoopTests
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
        using var fromBytes = TrainingLoop.CreateModel(architecture, settings);
        using var fromFloats = TrainingLoop.CreateModel(architecture, settings);
        var initial = Weights(fromBytes);
        var byteHistory = TrainingLoop.Train(fromBytes, bytes, null, settings);
        var floatHistory = TrainingLoop.Train(fromFloats, floats, null, settings);

        Assert.NotEqual(initial, Weights(fromBytes));
        Assert.Equal(Weights(fromFloats), Weights(fromBytes));
        Assert.Equal(floatHistory.Select(e => (e.TrainingLoss, e.TrainingAccuracy)), byteHistory.Select(e => (e.TrainingLoss, e.TrainingAccuracy)));
        Assert.Equal(TrainingLoop.Evaluate(fromFloats, floats), TrainingLoop.Evaluate(fromBytes, bytes));
    }

    /// <summary>
    /// The lean loop (labels shuffled once an epoch, bytes converted a chunk at a time, one optimizer call a step) gives
    /// the weights of the straightforward procedure it replaced: one index_select of float images per batch, the same
    /// System.Random shuffle, the same optimizer (FlatAdam, whose arithmetic FlatAdamTests compares with TorchSharp's
    /// optim.Adam and a float64 Adam). Two epochs of 400 CIFAR-10 images (200 steps).
    /// </summary>
    [Fact]
    public void LeanLoopGivesTheWeightsOfTheStraightforwardProcedure()
    {
        var view = new MlNetCnn.Data.Cifar10.Cifar10DataView(TestSupport.SharedData.CifarDirectory, MlNetCnn.Data.Cifar10.Cifar10Split.Train, maxRows: 400);
        using var set = MlNetCnn.Transforms.TrainingData.ImageSetReader.Read(view, MlNetCnn.Data.Cifar10.Cifar10DataView.FeaturesColumnName,
            MlNetCnn.Data.Cifar10.Cifar10DataView.LabelColumnName, ConvNetArchitecture.Default, out _);
        Assert.True(set.IsEightBit);
        var settings = new TrainingSettings { Epochs = 2, Seed = 3, NumberOfThreads = 1 };
        using var lean = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
        using var reference = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings);
        TrainingLoop.Train(lean, set, null, settings);

        var floats = set.Features;
        var shuffler = new Random(settings.Seed);
        var order = Enumerable.Range(0, set.Count).ToArray();
        using var adam = new FlatAdam(reference.named_parameters(), settings.LearningRate);
        reference.train();
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            shuffler.Shuffle(order);
            for (var start = 0; start < set.Count; start += settings.BatchSize)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var index = TorchSharp.torch.tensor(order.Skip(start).Take(settings.BatchSize).Select(i => (long)i).ToArray());
                adam.ZeroGrad();
                TorchSharp.torch.nn.functional.cross_entropy(reference.call(floats.index_select(0, index)), set.LabelTensor.index_select(0, index)).backward();
                adam.Step();
            }
        }
        Assert.Equal(Weights(reference), Weights(lean));
    }
}
