using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// The configurable conv stack: for each conv layer, conv (k×k, same padding) → ReLU → max-pool 2; then
/// flatten → linear → ReLU → linear to class logits. With <see cref="ConvNetArchitecture.Default"/> it is exactly
/// the seed's SimpleCNN.
/// </summary>
internal sealed class SimpleCnn : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> convs;
    private readonly MaxPool2d pool;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public SimpleCnn(ConvNetArchitecture architecture) : base(nameof(SimpleCnn))
    {
        Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        // Every network passes here before its first convolution: pick the safe convolution kernels first.
        Native.ConvolutionBackends.Apply();
        ConvShapes = architecture.InferConvShapes();
        // Refuse before libtorch tries (and fails deep inside its allocator) to hold the weights.
        architecture.CheckMemory(batchSize: 1);
        convs = new ModuleList<Conv2d>(ConvShapes
            .Select(s => nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, padding: architecture.Padding,
                padding_mode: architecture.PaddingMode == ConvPadding.Circular ? PaddingModes.Circular : PaddingModes.Zeros))
            .ToArray());
        pool = nn.MaxPool2d(2, 2);
        fc1 = nn.Linear(architecture.FlattenedFeatures(), architecture.HiddenUnits);
        fc2 = nn.Linear(architecture.HiddenUnits, architecture.ClassCount);
        RegisterComponents();
    }

    public ConvNetArchitecture Architecture { get; }

    /// <summary>Shapes of each conv layer, inferred at construction.</summary>
    public IReadOnlyList<ConvLayerShape> ConvShapes { get; }

    /// <summary>The conv layers in order (conv1 first); exposed for kernel visualisation and experiments.</summary>
    public IReadOnlyList<Conv2d> ConvLayers => convs.ToList();

    public Linear HiddenLayer => fc1;

    public Linear OutputLayer => fc2;

    /// <summary>Class logits for a [N, C, H, W] batch.</summary>
    public override Tensor forward(Tensor input) => Forward(input, captureActivations: false).Logits;

    /// <summary>
    /// Runs the network and, when asked, hands back each conv layer's pre-activation and post-ReLU output (before
    /// pooling). The returned tensors stay in the autograd graph, so callers can take gradients with respect to them
    /// (Grad-CAM); callers that only look should run under <c>torch.no_grad()</c>.
    /// </summary>
    public SimpleCnnOutput Forward(Tensor input, bool captureActivations)
    {
        var preActivations = new List<Tensor>();
        var activations = new List<Tensor>();
        using var scope = NewDisposeScope();
        var x = RunConvLayers(input, convs.Count - 1, captureActivations ? preActivations : null, captureActivations ? activations : null);
        x = x.flatten(1);
        x = nn.functional.relu(fc1.call(x));
        var logits = fc2.call(x);

        // Everything except what we return is freed with the scope; the caller owns the results.
        logits.MoveToOuterDisposeScope();
        foreach (var t in preActivations) t.MoveToOuterDisposeScope();
        foreach (var t in activations) t.MoveToOuterDisposeScope();
        return new SimpleCnnOutput(logits, preActivations, activations);
    }

    /// <summary>
    /// Runs only conv blocks 0..<paramref name="lastLayer"/> and returns their pre-activations and activations:
    /// feature-map extraction for early layers need not pay for the later layers and the classifier.
    /// The caller owns (and disposes) the returned tensors.
    /// </summary>
    public (IReadOnlyList<Tensor> PreActivations, IReadOnlyList<Tensor> Activations) ForwardConvLayers(Tensor input, int lastLayer)
    {
        if (lastLayer < 0 || lastLayer >= convs.Count)
            throw new ArgumentOutOfRangeException(nameof(lastLayer), lastLayer, $"This network has conv layers 0–{convs.Count - 1}.");
        var preActivations = new List<Tensor>();
        var activations = new List<Tensor>();
        using (NewDisposeScope())
        {
            RunConvLayers(input, lastLayer, preActivations, activations);
            foreach (var t in preActivations) t.MoveToOuterDisposeScope();
            foreach (var t in activations) t.MoveToOuterDisposeScope();
        }
        return (preActivations, activations);
    }

    /// <summary>
    /// The hidden fully-connected layer's post-ReLU output, [N, hidden], from the last conv layer's post-ReLU maps
    /// (<see cref="ForwardConvLayers"/>' last activation: the caller already has it, so the conv stack is not run
    /// again). Translation equivariance compares it across shifts. The caller owns the result.
    /// </summary>
    internal Tensor HiddenActivations(Tensor lastConvActivation)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool2d(lastConvActivation, 2, 2);
        return nn.functional.relu(fc1.call(pooled.flatten(1))).MoveToOuterDisposeScope();
    }

    // conv → ReLU (captured before pooling, as the seed shows them) → pool, for blocks 0..lastLayer.
    private Tensor RunConvLayers(Tensor input, int lastLayer, List<Tensor>? preActivations, List<Tensor>? activations)
    {
        var x = input;
        for (var i = 0; i <= lastLayer; i++)
        {
            var z = convs[i].call(x);
            var a = nn.functional.relu(z);
            preActivations?.Add(z);
            activations?.Add(a);
            x = pool.call(a);
        }
        return x;
    }
}
