using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Gradient × input: each pixel's value times the target logit's gradient with respect to it (signed). For a linear
/// model with zero bias it is exactly each pixel's contribution to the logit.
/// Shrikumar, Greenside, Shcherbina &amp; Kundaje 2016, "Not Just a Black Box: Learning Important Features Through
/// Propagating Activation Differences", https://arxiv.org/abs/1605.01713.
/// </summary>
public sealed class GradientTimesInput : AttributionMethod
{
    /// <inheritdoc />
    public override string Name => "gradient-x-input";

    /// <inheritdoc />
    public override string DisplayName => "Gradient × Input";

    /// <inheritdoc />
    public override bool KeepsChannels => true;

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets) =>
        model.InputGradient(images, targets) * images;
}
