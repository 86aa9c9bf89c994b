using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// Grad-CAM for any conv layer: channel weights are the spatially averaged gradients of the target logit with respect
/// to the layer's post-ReLU activations; the map is ReLU(Σ weight · activation), upsampled bilinearly to the image and
/// (by default) scaled to [0,1].
/// Selvaraju, Cogswell, Das, Vedantam, Parikh &amp; Batra 2017, "Grad-CAM: Visual Explanations from Deep Networks via
/// Gradient-based Localization", https://arxiv.org/abs/1610.02391.
/// </summary>
public sealed class GradCam : AttributionMethod
{
    /// <summary>A Grad-CAM method; its maps are normalised (<see cref="AttributionMethod.Normalize"/> is true).</summary>
    public GradCam() => Normalize = true;

    /// <inheritdoc />
    public override string Name => "gradcam";

    /// <inheritdoc />
    public override bool KeepsChannels => false;

    /// <summary>Conv layer to explain (<c>conv1</c>, <c>conv2</c>, …); null = the last one, as the paper does.</summary>
    public string? Layer { get; init; }

    private protected override void CheckOptions(AttributionModel model) => LayerIndex(model);

    private int LayerIndex(AttributionModel model)
    {
        if (model.ConvLayers.Count == 0)
            throw new ArgumentException("Grad-CAM needs a model with conv layers.", nameof(model));
        if (Layer is null) return model.ConvLayers.Count - 1;
        return model.ConvLayers.Find(Layer, nameof(Layer)).Index;
    }

    private protected override Tensor AttributeBatch(AttributionModel model, Tensor images, Tensor targets)
    {
        using var enable = enable_grad();
        var input = images.detach();
        using var output = model.Forward(input, captureActivations: true);
        var activation = output.Activations[LayerIndex(model)];
        var score = AttributionModel.TargetLogits(output.Logits, targets).sum();
        var gradient = autograd.grad(new[] { score }, new[] { activation })[0];
        using var noGrad = no_grad();
        var weights = gradient.mean(new long[] { 2, 3 }, keepdim: true);
        return nn.functional.relu((weights * activation.detach()).sum(1, keepdim: true));
    }
}
