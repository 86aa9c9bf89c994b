using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>The forward pass on libtorch: the training network itself, in eval mode under <c>no_grad</c>.</summary>
internal sealed class LibTorchForward : IForwardEngine
{
    private readonly SimpleCnn network;

    public LibTorchForward(SimpleCnn network) => this.network = network;

    public void Run(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation)
    {
        var a = network.Architecture;
        // The safe convolution kernels were asserted by TrainedCnn.Infer, the one caller.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = TensorData.FromSpan(images[..(count * a.InputLength)], count, a.InputChannels, a.InputHeight, a.InputWidth);
        if (probabilities == null)
        {
            // Only maps wanted: stop after the deepest requested conv layer.
            var (pre, post) = network.ForwardConvLayers(input, layers.Max());
            for (var i = 0; i < layers.Count; i++)
                TensorData.CopyTo(preActivation ? pre[layers[i]] : post[layers[i]], layerOutputs[i]);
            return;
        }
        using var output = network.Forward(input, captureActivations: layers.Count > 0);
        TensorData.CopyTo(nn.functional.softmax(output.Logits, 1), probabilities);
        for (var i = 0; i < layers.Count; i++)
        {
            var source = preActivation ? output.PreActivations[layers[i]] : output.Activations[layers[i]];
            TensorData.CopyTo(source, layerOutputs[i]);
        }
    }

    /// <summary>Nothing of its own: the network belongs to the <see cref="TrainedCnn"/>.</summary>
    public void Dispose() { }
}
