using MlNetCnn.Experiments.ReceptiveField;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Experiments.ReceptiveField;

[Collection(TorchSerialCollection.Name)]
public class GradientFieldTests
{
    private static TrainedCnn Grey(int side, int layers)
    {
        var model = ExperimentTestModels.Untrained(new ConvNetArchitecture
        {
            InputChannels = 1,
            InputHeight = side,
            InputWidth = side,
            ClassCount = 2,
            ConvChannels = Enumerable.Repeat(1, layers).ToArray(),
        });
        return model;
    }

    private static Tensor Images(int count, int side, int seed)
    {
        // A ramp plus a little noise: positive everywhere, and the 2×2 maxima are clear winners, so finite differences
        // do not cross a pooling switch.
        var random = new Random(seed);
        var values = new float[count * side * side];
        for (var i = 0; i < values.Length; i++)
        {
            var (y, x) = (i / side % side, i % side);
            values[i] = 0.2f + (x + y) / (4f * side) + 0.02f * (float)random.NextDouble();
        }
        return tensor(values, new long[] { count, 1, side, side });
    }

    [Fact]
    public void ABoxKernelSpreadsTheMassEvenlyOverItsThreeByThreeWindow()
    {
        using var model = Grey(9, 1);
        ExperimentTestModels.SetConv(model, 0, Enumerable.Repeat(1f, 9).ToArray(), new[] { 0f });
        using var images = Images(4, 9, seed: 1);

        var map = GradientField.Map(model.Network, images, 4, 0, 3, default);

        for (var y = 0; y < 9; y++)
            for (var x = 0; x < 9; x++)
                Assert.Equal(y is >= 3 and <= 5 && x is >= 3 and <= 5 ? 1.0 / 9 : 0, map[y * 9 + x], 6);
        Assert.Equal(3, GradientField.EffectiveSide(map, 0.9), 9);
    }

    [Fact]
    public void ACentreHeavyKernelHasAOnePixelEffectiveField()
    {
        using var model = Grey(9, 1);
        var kernel = Enumerable.Repeat(1f, 9).ToArray();
        kernel[4] = 100;   // 100 / 108 of the mass: over 90% in one pixel
        ExperimentTestModels.SetConv(model, 0, kernel, new[] { 0f });
        using var images = Images(2, 9, seed: 2);

        Assert.Equal(1, GradientField.EffectiveSide(GradientField.Map(model.Network, images, 2, 0, 8, default), 0.9), 9);
    }

    [Fact]
    public void FourLayersSeeFurtherThanOneAndTheirFieldMatchesFiniteDifferences()
    {
        const int side = 16;
        using var model = Grey(side, 4);
        var random = new Random(3);
        for (var l = 0; l < 4; l++)
            ExperimentTestModels.SetConv(model, l, Enumerable.Range(0, 9).Select(_ => 0.05f + 0.2f * (float)random.NextDouble()).ToArray(), new[] { 0.1f });
        using var images = Images(2, side, seed: 4);

        var map = GradientField.Map(model.Network, images, 2, 3, 2, default);
        var expected = FiniteDifferenceField(model.Network, images, 3, 1e-3f);
        var conv2 = GradientField.Map(model.Network, images, 2, 1, 2, default);

        for (var i = 0; i < map.Length; i++) Assert.True(Math.Abs(map[i] - expected[i]) < 5e-4, $"pixel {i}: autograd {map[i]}, finite differences {expected[i]}");
        // conv2's centre unit (4, 4) sees input rows and columns 5..12 only; conv4's sees the whole 16-px image.
        var window = ReceptiveFields.Window(model.Architecture, 1, 4);
        Assert.Equal((5, 12), window);
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
                if (y < window.Start || y > window.End || x < window.Start || x > window.End) Assert.Equal(0, conv2[y * side + x]);
        var (side2, side4) = (GradientField.EffectiveSide(conv2, 0.9), GradientField.EffectiveSide(map, 0.9));
        Assert.True(3 < side2 && side2 < side4 && side4 <= side, $"effective sides: one layer 3, conv2 {side2}, conv4 {side4}");
    }

    /// <summary>The same field by central differences of the centre unit's summed pre-activation, one pixel at a time.</summary>
    private static double[] FiniteDifferenceField(SimpleCnn network, Tensor images, int layer, float step)
    {
        using var noGrad = no_grad();
        var (count, side) = ((int)images.shape[0], (int)images.shape[3]);
        var shape = network.ConvShapes[layer];
        var field = new double[side * side];
        for (var i = 0; i < count; i++)
        {
            var pixels = images[i].data<float>().ToArray();
            var magnitude = new double[side * side];
            for (var p = 0; p < side * side; p++)
            {
                double Unit(float delta)
                {
                    using var scope = NewDisposeScope();
                    var moved = (float[])pixels.Clone();
                    moved[p] += delta;
                    var (pre, _) = network.ForwardConvLayers(tensor(moved, new long[] { 1, 1, side, side }), layer);
                    return pre[layer].select(2, shape.OutHeight / 2).select(2, shape.OutWidth / 2).sum().item<float>();
                }
                magnitude[p] = Math.Abs(Unit(step) - Unit(-step)) / (2 * step);
            }
            var total = magnitude.Sum();
            for (var p = 0; p < field.Length; p++) field[p] += magnitude[p] / total / count;
        }
        return field;
    }
}
