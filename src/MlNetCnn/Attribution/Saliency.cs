using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Saliency, the vanilla gradient: |d logit(target) / d pixel| for each pixel and channel.
/// Simonyan, Vedaldi &amp; Zisserman 2014, "Deep Inside Convolutional Networks: Visualising Image Classification
/// Models and Saliency Maps", https://arxiv.org/abs/1312.6034. (The paper then takes the maximum over channels; the
/// map keeps them, as Captum's Saliency does, and <see cref="AttributionMaps.PixelMap"/> sums them.)
/// </summary>
public sealed class Saliency : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "saliency";

    /// <inheritdoc />
    public override string DisplayName => "Saliency";

    /// <inheritdoc />
    public override bool KeepsChannels => true;

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets) =>
        model.InputGradient(images, targets).abs();
}
