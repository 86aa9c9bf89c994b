using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments.TranslationEquivariance;

/// <summary>
/// What <see cref="SimpleCnn"/> does not expose: the hidden fully-connected layer's output. (Conv maps of inputs of
/// any size come from <see cref="SimpleCnn.ForwardConvLayers"/>.)
/// </summary>
internal static class ConvStack
{
    /// <summary>The hidden fully-connected layer's post-ReLU output for full-size inputs, [N, hidden].</summary>
    public static Tensor Hidden(SimpleCnn network, Tensor input)
    {
        using var scope = NewDisposeScope();
        var (_, activations) = network.ForwardConvLayers(input, network.ConvLayers.Count - 1);
        var pooled = nn.functional.max_pool2d(activations[^1], 2, 2);
        return nn.functional.relu(network.HiddenLayer.call(pooled.flatten(1))).MoveToOuterDisposeScope();
    }
}
