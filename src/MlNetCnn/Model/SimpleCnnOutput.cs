using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// What one forward pass returns: logits and, when captured, each conv layer's pre-activation (conv output) and
/// activation (after ReLU, before pooling), each [N, C, H, W]. The caller owns and disposes these tensors.
/// </summary>
internal sealed class SimpleCnnOutput : IDisposable
{
    public SimpleCnnOutput(Tensor logits, IReadOnlyList<Tensor> preActivations, IReadOnlyList<Tensor> activations)
    {
        Logits = logits;
        PreActivations = preActivations;
        Activations = activations;
    }

    public Tensor Logits { get; }

    public IReadOnlyList<Tensor> PreActivations { get; }

    public IReadOnlyList<Tensor> Activations { get; }

    public void Dispose()
    {
        Logits.Dispose();
        foreach (var t in PreActivations) t.Dispose();
        foreach (var t in Activations) t.Dispose();
    }
}
