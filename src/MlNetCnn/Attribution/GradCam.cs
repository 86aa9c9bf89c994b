using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Grad-CAM for any conv layer: channel weights are the spatially averaged gradients of the target logit with respect
/// to the layer's post-ReLU activations; the map is ReLU(Σ weight · activation), upsampled bilinearly to the image and
/// (by default) scaled to [0,1].
/// Selvaraju, Cogswell, Das, Vedantam, Parikh &amp; Batra 2017, "Grad-CAM: Visual Explanations from Deep Networks via
/// Gradient-based Localization", https://arxiv.org/abs/1610.02391.
/// </summary>
public sealed class GradCam : ClassActivationMapping
{
    /// <summary>A Grad-CAM method; its maps are normalised (<see cref="AttributionMethod.Normalize"/> is true).</summary>
    public GradCam() => Normalize = true;

    /// <inheritdoc />
    public override string Name => "gradcam";

    /// <inheritdoc />
    public override string DisplayName => "Grad-CAM";

    private protected override Tensor ChannelWeights(Tensor activations, Tensor gradients) =>
        gradients.mean(new long[] { 2, 3 }, keepdim: true);
}
