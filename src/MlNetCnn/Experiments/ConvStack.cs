using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments;

/// <summary>
/// Runs a <see cref="SimpleCnn"/>'s conv blocks on inputs of any size (convs and pools do not care about the size;
/// only the fully-connected head does), the same ops as <see cref="SimpleCnn.Forward"/>.
/// </summary>
internal static class ConvStack
{
    /// <summary>Each conv layer's post-ReLU output (before pooling); the caller owns the tensors.</summary>
    public static List<Tensor> Activations(SimpleCnn network, Tensor input, int layers)
    {
        var maps = new List<Tensor>();
        using var scope = NewDisposeScope();
        var x = input;
        for (var i = 0; i < layers; i++)
        {
            var a = nn.functional.relu(network.ConvLayers[i].call(x));
            maps.Add(a);
            if (i + 1 < layers) x = nn.functional.max_pool2d(a, 2, 2);
        }
        foreach (var m in maps) m.MoveToOuterDisposeScope();
        return maps;
    }

    /// <summary>The hidden fully-connected layer's post-ReLU output for full-size inputs, [N, hidden].</summary>
    public static Tensor Hidden(SimpleCnn network, Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var conv in network.ConvLayers)
            x = nn.functional.max_pool2d(nn.functional.relu(conv.call(x)), 2, 2);
        return nn.functional.relu(network.HiddenLayer.call(x.flatten(1))).MoveToOuterDisposeScope();
    }
}
