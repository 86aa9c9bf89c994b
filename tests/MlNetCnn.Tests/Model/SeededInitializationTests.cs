using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Model;

public class SeededInitializationTests
{
    private static float[] Weights(SimpleCnn model) =>
        model.parameters().SelectMany(p => TensorData.ToArray(p)).ToArray();

    [Fact]
    public async Task SameSeedGivesSameWeightsEvenWhileAnotherThreadDrawsRandomNumbers()
    {
        using var first = TrainingLoop.CreateModel(ConvNetArchitecture.Default, new TrainingSettings { Seed = 5 });
        var expected = Weights(first);

        using var stop = new CancellationTokenSource();
        var noise = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) { using var r = rand(64); }
        });
        try
        {
            for (var i = 0; i < 20; i++)
            {
                using var again = TrainingLoop.CreateModel(ConvNetArchitecture.Default, new TrainingSettings { Seed = 5 });
                Assert.Equal(expected, Weights(again));
            }
        }
        finally
        {
            stop.Cancel();
            await noise;
        }
        using var other = TrainingLoop.CreateModel(ConvNetArchitecture.Default, new TrainingSettings { Seed = 6 });
        Assert.NotEqual(expected, Weights(other));
    }

    [Fact]
    public void WeightsFollowPyTorchsDefaultBoundsPerLayer()
    {
        using var model = TrainingLoop.CreateModel(ConvNetArchitecture.Default, new TrainingSettings { Seed = 1 });
        // bound = 1/sqrt(fan_in): conv1 27, conv2 54, fc1 768, fc2 120.
        var bounds = new[] { 27, 54, 768, 120 }.Select(f => 1 / Math.Sqrt(f)).ToArray();
        var layers = new nn.Module[] { model.ConvLayers[0], model.ConvLayers[1], model.HiddenLayer, model.OutputLayer };
        for (var i = 0; i < layers.Length; i++)
        {
            foreach (var p in layers[i].parameters())
            {
                var values = TensorData.ToArray(p);
                Assert.True(values.All(v => Math.Abs(v) <= bounds[i] + 1e-7), $"layer {i} exceeds ±{bounds[i]}");
                // Uniform on ±bound: the spread should use most of the interval.
                Assert.True(values.Max() - values.Min() > bounds[i], $"layer {i} values are not spread over ±{bounds[i]}");
            }
        }
    }
}
