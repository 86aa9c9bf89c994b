using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Model;

public class SimpleCnnTests
{
    [Fact]
    public void DefaultModelHasTheSeedLayersAndParameterCount()
    {
        using var model = new SimpleCnn(ConvNetArchitecture.Default);
        // conv1 3·6·9+6, conv2 6·12·9+12, fc1 768·120+120, fc2 120·10+10
        var expected = (3 * 6 * 9 + 6) + (6 * 12 * 9 + 12) + (768 * 120 + 120) + (120 * 10 + 10);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 6, 3, 3, 3 }, model.ConvLayers[0].weight!.shape);
        Assert.Equal(new long[] { 12, 6, 3, 3 }, model.ConvLayers[1].weight!.shape);
    }

    [Theory]
    [InlineData(new[] { 6, 12 })]
    [InlineData(new[] { 6, 12, 24 })]
    [InlineData(new[] { 6, 12, 24, 48 })]
    public void ForwardReturnsLogitsAndEveryConvActivationBeforePooling(int[] channels)
    {
        using var scope = NewDisposeScope();
        using var model = new SimpleCnn(ConvNetArchitecture.Default with { ConvChannels = channels });
        model.eval();
        using var noGrad = no_grad();
        using var output = model.Forward(rand(5, 3, 32, 32), captureActivations: true);
        Assert.Equal(new long[] { 5, 10 }, output.Logits.shape);
        Assert.Equal(channels.Length, output.Activations.Count);
        for (var i = 0; i < channels.Length; i++)
        {
            var shape = model.ConvShapes[i];
            Assert.Equal(new long[] { 5, shape.OutChannels, shape.OutHeight, shape.OutWidth }, output.Activations[i].shape);
            Assert.True(output.Activations[i].min().item<float>() >= 0, "activations are post-ReLU");
            Assert.True(output.PreActivations[i].min().item<float>() < 0, "pre-activations keep negative values");
            Assert.True(nn.functional.relu(output.PreActivations[i]).allclose(output.Activations[i], 0, 0));
        }
    }

    [Fact]
    public void ForwardWithoutCaptureMatchesCaptureAndLeaksNoTensors()
    {
        using var model = new SimpleCnn(ConvNetArchitecture.Default);
        model.eval();
        using var input = rand(3, 3, 32, 32);
        using var noGrad = no_grad();
        using var logits = model.call(input);
        using var captured = model.Forward(input, captureActivations: true);
        Assert.True(logits.allclose(captured.Logits));

        // A dispose scope around repeated forwards ends with nothing alive that it did not return.
        using var scope = NewDisposeScope();
        for (var i = 0; i < 3; i++) model.Forward(input, captureActivations: true).Dispose();
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void ForwardConvLayersStopsEarlyWithTheSameMaps()
    {
        using var model = new SimpleCnn(ConvNetArchitecture.Default with { ConvChannels = new[] { 6, 12, 24 } });
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = rand(2, 3, 32, 32);
        using var full = model.Forward(input, captureActivations: true);
        var (pre, post) = model.ForwardConvLayers(input, 1);
        Assert.Equal(2, post.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(post[i].allclose(full.Activations[i], 0, 0));
            Assert.True(pre[i].allclose(full.PreActivations[i], 0, 0));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardConvLayers(input, 3));
    }
}
