using Microsoft.ML;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;

namespace MlNetCnn.Tests.FeatureVisualization;

/// <summary>
/// Every network the library trains or opens: 1 to 5 conv layers, grey or colour, non-square, circular padding, 1×1
/// kernels, a model read back from a PyTorch <c>.pth</c>. Each layer gives one picture per channel of the model's input
/// shape, in [0, 1], whose reported activation is the model's own on that picture.
/// </summary>
public sealed class FeatureVisualizerShapeTests(FeatureVisualizationModels models) : IClassFixture<FeatureVisualizationModels>
{
    public static IEnumerable<object[]> Architectures() =>
    [
        ["one layer, 1×1 kernels", ConvNetArchitecture.Default with { ConvChannels = [5], KernelSize = 1 }],
        ["five layers, 7×7", ConvNetArchitecture.Default with { ConvChannels = [4, 6, 8, 8, 8], KernelSize = 7 }],
        ["circular padding, 5×5", ConvNetArchitecture.Default with { PaddingMode = ConvPadding.Circular, KernelSize = 5 }],
        ["grey 24×40, 3 layers", ConvNetArchitecture.Default with { InputChannels = 1, InputHeight = 24, InputWidth = 40, ConvChannels = [3, 4, 5] }],
        ["colour 20×36, 4 layers 6-12-24-48", ConvNetArchitecture.Default with { InputHeight = 20, InputWidth = 36, ConvChannels = [6, 12, 24, 48] }],
    ];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void EveryLayerGivesOnePicturePerChannelOfTheInputShape(string name, ConvNetArchitecture architecture)
    {
        var settings = new TrainingSettings();
        using var model = new TrainedCnn(TrainingLoop.CreateModel(architecture, settings), SyntheticCifar10.ClassNames.Take(architecture.ClassCount).ToArray(), [], settings);
        foreach (var layer in model.ConvLayers)
            foreach (var objective in new[] { FeatureObjective.CentreUnit, FeatureObjective.MapMean })
                CheckLayer(name, model, layer, new FeatureVisualizer { Steps = 12, Objective = objective }.Visualize(model, layer.Name));
    }

    [Fact]
    public void APthLoadedModelGivesTheSameBytesAsTheModelItWasSavedFrom()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "model.pth");
        models.Ml.Model.SavePyTorchStateDict(models.DefaultClassifier, path);
        using var loaded = models.Ml.Model.LoadPyTorchSimpleCnn(path, models.DefaultClassifier.Model.ClassNames);
        foreach (var layer in loaded.Model.ConvLayers)
        {
            var fromPth = new FeatureVisualizer { Steps = 30 }.Visualize(loaded.Model, layer.Name);
            CheckLayer(".pth", loaded.Model, layer, fromPth);
            var original = new FeatureVisualizer { Steps = 30 }.Visualize(models.DefaultClassifier.Model, layer.Name);
            for (var i = 0; i < layer.OutChannels; i++)
                Assert.Equal(original.Channels[i].Picture, fromPth.Channels[i].Picture);
        }
    }

    private static void CheckLayer(string name, TrainedCnn model, ConvLayerShape layer, FeatureVisualizationResult result)
    {
        var a = model.Architecture;
        Assert.Equal(layer.Name, result.Target);
        Assert.Equal((a.InputChannels, a.InputHeight, a.InputWidth), (result.InputChannels, result.Height, result.Width));
        Assert.Equal(layer.OutChannels, result.Channels.Count);
        foreach (var channel in result.Channels)
        {
            Assert.Equal(a.InputLength, channel.Picture.Length);
            Assert.All(channel.Picture, v => Assert.InRange(v, 0f, 1f));
            var maps = model.GetFeatureMaps(channel.Picture, layer.Name);
            var expected = result.Unit is { } u ? maps[channel.Channel, u.Row, u.Column] : MeanOf(maps, channel.Channel);
            Assert.True(Math.Abs(expected - channel.Activation) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                $"{name} {layer.Name} channel {channel.Channel}: reported {channel.Activation}, the model gives {expected}");
        }
    }

    /// <summary>The mean of one channel's map, in float64.</summary>
    internal static float MeanOf(float[,,] maps, int channel)
    {
        double sum = 0;
        for (var y = 0; y < maps.GetLength(1); y++)
            for (var x = 0; x < maps.GetLength(2); x++) sum += maps[channel, y, x];
        return (float)(sum / (maps.GetLength(1) * maps.GetLength(2)));
    }
}
