using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// A trained network with everything needed to use and explain it: architecture, class names, training history.
/// Inference methods take and return plain float arrays (planar CHW images), so ML.NET transforms and reports never
/// touch libtorch tensors.
/// </summary>
public sealed class TrainedCnn : IDisposable
{
    internal TrainedCnn(SimpleCnn network, IReadOnlyList<string> classNames, IReadOnlyList<EpochMetrics> history, TrainingSettings settings)
    {
        if (classNames.Count != network.Architecture.ClassCount)
            throw new ArgumentException($"Expected {network.Architecture.ClassCount} class names, got {classNames.Count}.", nameof(classNames));
        this.network = network;
        ClassNames = classNames.ToArray();
        History = history.ToArray();
        Settings = settings;
        network.eval();
    }

    private readonly SimpleCnn network;
    private bool disposed;

    /// <summary>The TorchSharp module, for experiments that need autograd. Treat as read-only.</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    internal SimpleCnn Network
    {
        get
        {
            // A disposed module's tensors have empty native handles; say what happened instead of libtorch's "empty handle".
            ObjectDisposedException.ThrowIf(disposed, this);
            return network;
        }
    }

    /// <summary>Problems found when the model was loaded from a file (see <see cref="Diagnose"/>); empty for a freshly trained model.</summary>
    public IReadOnlyList<string> LoadWarnings { get; internal set; } = Array.Empty<string>();

    /// <summary>
    /// Problems that do not stop the model from running but make its output meaningless or confusing: weights that are
    /// NaN or infinite (every prediction is then the same class), and class names that repeat.
    /// </summary>
    public IReadOnlyList<string> Diagnose()
    {
        var problems = new List<string>();
        using (no_grad())
        {
            foreach (var (name, parameter) in Network.named_parameters())
            {
                using var finite = isfinite(parameter);
                var bad = parameter.numel() - finite.sum().item<long>();
                if (bad > 0)
                    problems.Add($"parameter '{name}' has {bad:N0} of {parameter.numel():N0} values that are NaN or infinite; predictions from this model are meaningless (retrain it).");
            }
        }
        var repeated = ClassNames.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}' ×{g.Count()}").ToArray();
        if (repeated.Length > 0)
            problems.Add($"class names repeat ({string.Join(", ", repeated)}); predicted labels with these names cannot be told apart.");
        return problems;
    }

    /// <summary>The network's architecture.</summary>
    public ConvNetArchitecture Architecture => network.Architecture;

    /// <summary>Shapes of the conv layers, in order.</summary>
    public IReadOnlyList<ConvLayerShape> ConvLayers => network.ConvShapes;

    /// <summary>One name per class, in output (0-based class index) order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Loss and accuracy after each training epoch.</summary>
    public IReadOnlyList<EpochMetrics> History { get; }

    /// <summary>The procedure the weights came from (epochs, batch size, learning rate, seed, threads).</summary>
    public TrainingSettings Settings { get; }

    /// <summary>Looks up a conv layer by name (conv1, conv2, …); the error lists the names that exist.</summary>
    public ConvLayerShape GetLayer(string name) => ConvLayers.Find(name, nameof(name));

    /// <summary>
    /// Runs <paramref name="count"/> images (back to back in <paramref name="images"/>) in eval mode without gradients.
    /// Fills <paramref name="probabilities"/> (count × classes, softmax) when not null, and for each requested layer
    /// index the [C,H,W] maps (post-ReLU, or the conv output before ReLU when <paramref name="preActivation"/>).
    /// </summary>
    public void Infer(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation = false)
    {
        var a = Architecture;
        if (images.Length < count * a.InputLength)
            throw new ArgumentException($"Expected {count}×{a.InputLength} input values, got {images.Length}.", nameof(images));
        if (probabilities == null && layers.Count == 0) return;
        // Every forward pass of a trained model comes through here (transforms, PredictionEngine, experiments): assert
        // the safe convolution kernels once per batch, in case other code flipped them since the network was built.
        Native.ConvolutionBackends.Apply();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = TensorData.FromSpan(images[..(count * a.InputLength)], count, a.InputChannels, a.InputHeight, a.InputWidth);
        if (probabilities == null)
        {
            // Only maps wanted: stop after the deepest requested conv layer.
            var (pre, post) = Network.ForwardConvLayers(input, layers.Max());
            for (var i = 0; i < layers.Count; i++)
                CopyOut(preActivation ? pre[layers[i]] : post[layers[i]], layerOutputs[i]);
            return;
        }
        using var output = Network.Forward(input, captureActivations: layers.Count > 0);
        CopyOut(nn.functional.softmax(output.Logits, 1), probabilities);
        for (var i = 0; i < layers.Count; i++)
        {
            var source = preActivation ? output.PreActivations[layers[i]] : output.Activations[layers[i]];
            CopyOut(source, layerOutputs[i]);
        }
    }

    /// <summary>Class probabilities for a batch of images; convenience over <see cref="Infer"/>.</summary>
    public float[] PredictProbabilities(ReadOnlySpan<float> images, int count)
    {
        var probabilities = new float[count * Architecture.ClassCount];
        Infer(images, count, probabilities, Array.Empty<int>(), Array.Empty<float[]>());
        return probabilities;
    }

    /// <summary>The 0-based class each image is predicted as (the first of equal top probabilities).</summary>
    public int[] PredictClasses(ReadOnlySpan<float> images, int count)
    {
        var classes = Architecture.ClassCount;
        var probabilities = PredictProbabilities(images, count);
        var predicted = new int[count];
        for (var i = 0; i < count; i++) predicted[i] = MostProbable(probabilities.AsSpan(i * classes, classes));
        return predicted;
    }

    /// <summary>The 0-based class of one image's probabilities: the index of the largest (the first of equal ones).</summary>
    internal static int MostProbable(ReadOnlySpan<float> probabilities)
    {
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++)
            if (probabilities[c] > probabilities[best]) best = c;
        return best;
    }

    /// <summary>
    /// One image's maps at conv layer <paramref name="layerName"/> as [channels, height, width] (post-ReLU, or the conv
    /// output before ReLU when <paramref name="preActivation"/>), for app code that indexes maps directly.
    /// </summary>
    public float[,,] GetFeatureMaps(ReadOnlySpan<float> image, string layerName, bool preActivation = false)
    {
        var layer = GetLayer(layerName);
        if (image.Length != Architecture.InputLength)
            throw new ArgumentException($"Expected one image of {Architecture.InputChannels}×{Architecture.InputHeight}×{Architecture.InputWidth} = {Architecture.InputLength} values, got {image.Length}.", nameof(image));
        var maps = new float[layer.MapLength];
        Infer(image, 1, probabilities: null, new[] { layer.Index }, new[] { maps }, preActivation);
        return ImageArrays.To3D(maps, layer.OutChannels, layer.OutHeight, layer.OutWidth);
    }

    /// <summary>A conv layer's kernels as [out, in, k, k] floats, and its biases.</summary>
    public (float[] Weights, float[] Bias) GetKernels(string layerName)
    {
        var layer = GetLayer(layerName);
        var conv = Network.ConvLayers[layer.Index];
        using var noGrad = no_grad();
        var weights = TensorData.ToArray(conv.weight!);
        var bias = TensorData.ToArray(conv.bias!);
        return (weights, bias);
    }

    /// <summary>
    /// The fully-connected layers' weights (row-major [out, in]) and biases: fc1 (flattened C×H×W features → hidden)
    /// and fc2 (hidden → class logits). The report's explorer embeds them to run the whole network in the page.
    /// </summary>
    internal ((float[] Weights, float[] Bias) Hidden, (float[] Weights, float[] Bias) Output) GetDenseLayers()
    {
        using var noGrad = no_grad();
        var (hidden, output) = (Network.HiddenLayer, Network.OutputLayer);
        return ((TensorData.ToArray(hidden.weight!), TensorData.ToArray(hidden.bias!)),
                (TensorData.ToArray(output.weight!), TensorData.ToArray(output.bias!)));
    }

    private static void CopyOut(Tensor source, float[] destination) => TensorData.CopyTo(source, destination);

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        network.Dispose();
    }
}
