using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Attribution;

/// <summary>
/// What a method needs from a network: a forward pass returning logits and (on request) each conv layer's activations
/// in the autograd graph, the input shape, the class count and the conv layers. Gradients go through the returned
/// activations because TorchSharp hooks fire only through <c>call()</c>. Any differentiable function can stand in
/// (the known-answer tests use a linear model).
/// </summary>
internal sealed class AttributionModel
{
    private readonly Func<Tensor, bool, SimpleCnnOutput> forward;
    private readonly Faithfulness.ProbabilityScorer probabilities;

    /// <param name="probabilities">Forward-only class probabilities (a trained model's inference engine); null computes
    /// them with <paramref name="forward"/> and softmax.</param>
    public AttributionModel(Func<Tensor, bool, SimpleCnnOutput> forward, int channels, int height, int width, int classCount,
        IReadOnlyList<ConvLayerShape> convLayers, Faithfulness.ProbabilityScorer? probabilities = null)
    {
        this.forward = forward;
        this.probabilities = probabilities ?? ForwardProbabilities;
        (Channels, Height, Width, ClassCount, ConvLayers) = (channels, height, width, classCount, convLayers);
    }

    public static AttributionModel From(TrainedCnn model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Architecture;
        // Eval mode: the same function on every call, whatever a caller did to the module before.
        model.Network.eval();
        return new AttributionModel(model.Network.Forward, a.InputChannels, a.InputHeight, a.InputWidth, a.ClassCount, model.ConvLayers,
            model.PredictProbabilities);
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int ClassCount { get; }

    public int InputLength => Channels * Height * Width;

    public IReadOnlyList<ConvLayerShape> ConvLayers { get; }

    /// <summary>Logits [N, classes] and, when <paramref name="captureActivations"/>, conv activations; the caller disposes.</summary>
    public SimpleCnnOutput Forward(Tensor input, bool captureActivations) => forward(input, captureActivations);

    /// <summary>
    /// Softmax probabilities (count × classes) of <paramref name="count"/> images back to back, without gradients: for
    /// methods that only run the network forward (occlusion), through the trained model's inference engine.
    /// </summary>
    public float[] Probabilities(ReadOnlySpan<float> images, int count) => probabilities(images, count);

    private float[] ForwardProbabilities(ReadOnlySpan<float> images, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var output = Forward(TensorData.FromSpan(images, count, Channels, Height, Width), captureActivations: false);
        return TensorData.ToArray(nn.functional.softmax(output.Logits, 1));
    }

    /// <summary>Each row's logit for its target class: [N].</summary>
    public static Tensor TargetLogits(Tensor logits, Tensor targets) => logits.gather(1, targets.unsqueeze(1)).squeeze(1);

    /// <summary>d(target logit)/d(input) for each image, [N,C,H,W], detached from the graph.</summary>
    public Tensor InputGradient(Tensor images, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var input = images.detach().requires_grad_(true);
        using var output = Forward(input, captureActivations: false);
        var score = TargetLogits(output.Logits, targets).sum();
        var gradient = autograd.grad(new[] { score }, new[] { input })[0].detach();
        return gradient.MoveToOuterDisposeScope();
    }
}
