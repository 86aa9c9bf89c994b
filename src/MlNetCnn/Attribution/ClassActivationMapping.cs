using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// The class-activation-mapping family on one conv layer: the forward with that layer's post-ReLU activations A
/// captured, the gradient of the target logit with respect to them, and the map ReLU(Σ_c w_c · A_c), upsampled
/// bilinearly to the image by the base. A member of the family differs only in its channel weights w_c, the one
/// override: Grad-CAM averages the gradients over the map; Grad-CAM++ (Chattopadhyay et al. 2018) would weight them
/// with its α from the squared and cubed gradients — written with held Scalars (see <c>HeldScalars</c>), never
/// <c>gradient * 2</c>.
/// </summary>
public abstract class ClassActivationMapping : AttributionMethod
{
    /// <summary>Maps are [H,W] (one value per pixel), as the layer's channels are summed.</summary>
    public sealed override bool KeepsChannels => false;

    /// <summary>Conv layer to explain (<c>conv1</c>, <c>conv2</c>, …); null = the last one, as the papers do.</summary>
    public string? Layer { get; init; }

    /// <summary>
    /// Channel weights [N, C, 1, 1] from the layer's activations and the target logit's gradients with respect to
    /// them (both [N, C, h, w], detached; called under <c>no_grad</c> inside the batch's dispose scope).
    /// </summary>
    private protected abstract Tensor ChannelWeights(Tensor activations, Tensor gradients);

    private protected override void CheckOptions(AttributionModel model) => LayerIndex(model);

    private int LayerIndex(AttributionModel model)
    {
        if (model.ConvLayers.Count == 0)
            throw new ArgumentException($"{DisplayName} needs a model with conv layers.", nameof(model));
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
        var detached = activation.detach();
        var weights = ChannelWeights(detached, gradient);
        return nn.functional.relu((weights * detached).sum(1, keepdim: true));
    }
}
