namespace MlNetCnn.Model;

/// <summary>
/// Runs a trained network forward (no gradients) on planar CHW float images: what <see cref="TrainedCnn.Infer"/>
/// delegates to. Implementations are safe to call from several threads at once.
/// </summary>
internal interface IForwardEngine : IDisposable
{
    /// <summary>
    /// Fills <paramref name="probabilities"/> (count × classes, softmax) when not null, and for each conv layer index in
    /// <paramref name="layers"/> its [C,H,W] maps (post-ReLU, or the conv output when <paramref name="preActivation"/>).
    /// The caller has checked the lengths.
    /// </summary>
    void Run(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation);
}
