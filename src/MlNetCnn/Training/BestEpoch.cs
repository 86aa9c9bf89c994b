using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Follows the epoch with the lowest validation loss for early stopping, and for keep-best holds a copy of that
/// epoch's weights to put back at the end. Only validation figures reach it: the test split never chooses weights.
/// </summary>
internal sealed class BestEpoch : IDisposable
{
    private readonly (Tensor Parameter, Tensor Copy)[]? kept;

    public BestEpoch(nn.Module<Tensor, Tensor> model, bool keepWeights)
    {
        if (!keepWeights) return;
        using var noGrad = no_grad();
        kept = model.parameters().Select(p => ((Tensor)p, p.detach().clone().DetachFromDisposeScope())).ToArray();
    }

    /// <summary>The best epoch so far (0 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>Its validation loss.</summary>
    public double Loss { get; private set; } = double.PositiveInfinity;

    /// <summary>Records an epoch's validation loss; a strictly lower one becomes the best (and its weights are copied).</summary>
    public void Observe(int epoch, double validationLoss)
    {
        if (!(validationLoss < Loss)) return; // NaN never wins; ties keep the earlier epoch
        (Epoch, Loss) = (epoch, validationLoss);
        if (kept == null) return;
        using var noGrad = no_grad();
        foreach (var (parameter, copy) in kept) copy.copy_(parameter);
    }

    /// <summary>With keep-best, puts the best epoch's weights back into the model.</summary>
    public void RestoreIfKept()
    {
        if (kept == null || Epoch == 0) return;
        using var noGrad = no_grad();
        foreach (var (parameter, copy) in kept) parameter.copy_(copy);
    }

    public void Dispose()
    {
        if (kept == null) return;
        foreach (var (_, copy) in kept) copy.Dispose();
    }
}
