using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Native;

/// <summary>
/// The numerical self-check that would have caught oneDNN's faulty kernel: conv forward and all three gradients
/// (input, weight, bias) at the model's real layer shapes, on real CIFAR batches and random ones, each compared
/// with the same computation in float64. Thousands of repetitions, because the fault was intermittent.
/// </summary>
public class ConvolutionNumericsTests
{
    // Relative to the largest float64 value of each tensor: float32 sums of up to 65,536 terms stay far below this,
    // while the kernel fault gave NaN or values off by whole units.
    private const double Tolerance = 3e-5;

    private readonly ITestOutputHelper log;

    public ConvolutionNumericsTests(ITestOutputHelper log) => this.log = log;

    [Theory]
    [InlineData(0, 4, 1000)]
    [InlineData(1, 4, 1000)]
    [InlineData(0, 64, 120)]
    [InlineData(1, 64, 120)]
    public void ConvForwardAndBackwardAgreeWithFloat64(int layer, int batch, int repetitions)
    {
        var settings = new TrainingSettings { Seed = 11, NumberOfThreads = 1 };
        using var model = TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings); // applies the library's kernel choice
        var conv1 = model.ConvLayers[0];
        var conv = model.ConvLayers[layer];
        var images = RealImages(batch * 8);
        var generator = new Generator(1234);
        double worst = 0;

        for (var r = 0; r < repetitions; r++)
        {
            using var scope = NewDisposeScope();
            // Alternate real CIFAR batches (conv2 gets the real conv1 → ReLU → pool activations) and random inputs.
            Tensor input;
            if (r % 2 == 0)
            {
                var start = (r / 2 * batch) % (images.shape[0] - batch + 1);
                input = images.narrow(0, start, batch);
                if (layer == 1)
                {
                    using var noGrad = no_grad();
                    input = nn.functional.max_pool2d(nn.functional.relu(conv1.call(input)), 2, 2);
                }
            }
            else
            {
                var side = layer == 0 ? 32 : 16;
                input = rand(new long[] { batch, conv.weight!.shape[1], side, side }, generator: generator) * 2 - 0.5;
            }
            var weight = conv.weight!.detach() + 0.01 * randn(conv.weight.shape, generator: generator);
            var bias = conv.bias!.detach().clone();
            var upstream = randn(new long[] { batch, weight.shape[0], input.shape[2], input.shape[3] }, generator: generator);

            var single = ConvGradients(input, weight, bias, upstream);
            var reference = ConvGradients(input.to(float64), weight.to(float64), bias.to(float64), upstream.to(float64));
            for (var i = 0; i < single.Length; i++)
            {
                var error = RelativeError(single[i], reference[i], out var finite);
                Assert.True(finite, $"{Names[i]} of conv{layer + 1} (batch {batch}, repetition {r}) holds NaN or infinity.");
                Assert.True(error <= Tolerance, $"{Names[i]} of conv{layer + 1} (batch {batch}, repetition {r}) is off by {error:E2} of its largest value.");
                worst = Math.Max(worst, error);
            }
        }
        log.WriteLine($"conv{layer + 1}, batch {batch}, {repetitions} repetitions: worst relative error {worst:E2}");
    }

    private static readonly string[] Names = ["output", "gradient of the input", "gradient of the weight", "gradient of the bias"];

    private static Tensor[] ConvGradients(Tensor input, Tensor weight, Tensor bias, Tensor upstream)
    {
        var x = input.detach().requires_grad_(true);
        var w = weight.detach().requires_grad_(true);
        var b = bias.detach().requires_grad_(true);
        var output = nn.functional.conv2d(x, w, b, padding: new long[] { 1, 1 });
        (output * upstream).sum().backward();
        return [output.detach(), x.grad!, w.grad!, b.grad!];
    }

    private static double RelativeError(Tensor single, Tensor reference, out bool finite)
    {
        finite = single.isfinite().all().item<bool>();
        var scale = reference.abs().max().item<double>();
        var difference = (single.to(float64) - reference).abs().max().item<double>();
        return difference / Math.Max(scale, 1e-12);
    }

    private static Tensor RealImages(int count)
    {
        var view = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: count);
        using var set = MlNetCnn.Transforms.TrainingData.ImageSetReader.Read(view, Cifar10DataView.FeaturesColumnName, Cifar10DataView.LabelColumnName, ConvNetArchitecture.Default, out _);
        return set.Features.clone().DetachFromDisposeScope();
    }
}
