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
        ClassNameCheck.ThrowIfRepeatedArgument(classNames, "The class names", nameof(classNames));
        this.network = network;
        ClassNames = classNames.ToArray();
        History = history.ToArray();
        Settings = settings;
        network.eval();
        libTorch = new LibTorchForward(network);
    }

    private readonly SimpleCnn network;
    private readonly LibTorchForward libTorch;
    private InferenceEngine inferenceEngine = InferenceEngine.Auto;
    private volatile OnnxRuntimeForward? onnxRuntime;
    // Why ONNX Runtime could not load on this machine (Auto then runs libtorch); null until a load failed.
    private volatile string? onnxRuntimeUnavailable;
    // Dispose may come from any thread while a PredictionEngine, a cursor or an export runs the network: freeing its
    // tensors under them crashed the process (SIGSEGV) or failed with libtorch's "empty handle". Every use holds a
    // lease (Use); Dispose marks the model and the last lease out frees the network. Uses that start after Dispose throw.
    private readonly object gate = new();
    private int users;
    private volatile bool disposeRequested;
    private bool disposed;
    private long forwardPasses;

    /// <summary>
    /// A lease on the network for one use (a batch, an export, a save): the network is not freed while any is held,
    /// and taking one after <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    internal Lease Use()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposeRequested, this);
            users++;
        }
        return new Lease(this);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once <see cref="Dispose"/> was called.</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposeRequested, this);

    private void Release()
    {
        lock (gate)
        {
            if (--users > 0 || !disposeRequested || disposed) return;
            disposed = true;
        }
        network.Dispose();
    }

    /// <summary>Held for one use of the network; see <see cref="Use"/>.</summary>
    internal readonly struct Lease(TrainedCnn model) : IDisposable
    {
        public void Dispose() => model?.Release();
    }

    /// <summary>The TorchSharp module, for experiments that need autograd. Treat as read-only.</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    internal SimpleCnn Network
    {
        get
        {
            // A disposed module's tensors have empty native handles; say what happened instead of libtorch's "empty handle".
            ObjectDisposedException.ThrowIf(disposeRequested, this);
            return network;
        }
    }

    /// <summary>Problems found when the model was loaded from a file (see <see cref="Diagnose"/>); empty for a freshly trained model.</summary>
    public IReadOnlyList<string> LoadWarnings { get; internal set; } = Array.Empty<string>();

    /// <summary>
    /// Problems that do not stop the model from running but make its output meaningless: weights that are NaN or
    /// infinite (every prediction is then the same class). (Repeated class names never get this far: a model refuses them
    /// with <see cref="RepeatedClassNameException"/>.)
    /// </summary>
    public IReadOnlyList<string> Diagnose() =>
        NonFiniteParameters().Select(p => FormattableString.Invariant(
            $"parameter '{p.Name}' has {p.Bad:N0} of {p.Count:N0} values that are NaN or infinite; predictions from this model are meaningless (retrain it).")).ToList();

    /// <summary>Whether any weight or bias is NaN or infinite (what <see cref="Diagnose"/> reports first).</summary>
    internal bool HasNonFiniteWeights() => NonFiniteParameters().Count > 0;

    private List<(string Name, long Bad, long Count)> NonFiniteParameters()
    {
        var found = new List<(string, long, long)>();
        using var use = Use();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in Network.named_parameters())
        {
            var bad = parameter.numel() - isfinite(parameter).sum().item<long>();
            if (bad > 0) found.Add((ConvLayerShape.ParameterName(name), bad, parameter.numel())); // the name the user's files and reports use
        }
        return found;
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
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(layerOutputs);
        var a = Architecture;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (images.Length < (long)count * a.InputLength)
            throw new ArgumentException($"Expected {count}×{a.InputLength} input values, got {images.Length}.", nameof(images));
        if (layerOutputs.Length != layers.Count)
            throw new ArgumentException($"Expected one output array per requested layer ({layers.Count}), got {layerOutputs.Length}.", nameof(layerOutputs));
        var shapes = ConvLayers;
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i] < 0 || layers[i] >= shapes.Count)
                throw new ArgumentOutOfRangeException(nameof(layers), layers[i], $"Layer index {layers[i]} is not one of the {shapes.Count} conv layers (0–{shapes.Count - 1}).");
            if (layerOutputs[i] is null || layerOutputs[i].Length < (long)count * shapes[layers[i]].MapLength)
                throw new ArgumentException($"layerOutputs[{i}] holds {layerOutputs[i]?.Length ?? 0} values; {count} maps of {shapes[layers[i]].Name} need {(long)count * shapes[layers[i]].MapLength}.", nameof(layerOutputs));
        }
        if (probabilities != null && probabilities.Length < (long)count * a.ClassCount)
            throw new ArgumentException($"probabilities holds {probabilities.Length} values; {count} images need {(long)count * a.ClassCount}.", nameof(probabilities));
        if (count == 0 || (probabilities == null && layers.Count == 0)) return;
        using var use = Use();
        // Every forward pass of a trained model comes through here (transforms, PredictionEngine, occlusion,
        // faithfulness, experiments, the report): the engine choice is made in this one place. Whatever the engine,
        // the safe libtorch convolution kernels are asserted once per batch, in case other code flipped them since the
        // network was built: the next libtorch convolution (training, a gradient method) must not find oneDNN on.
        Native.ConvolutionBackends.Apply();
        Engine.Run(images, count, probabilities, layers, layerOutputs, preActivation);
        Interlocked.Increment(ref forwardPasses);
    }

    /// <summary>How many batches <see cref="Infer"/> has run: lets tests see how often a path runs the network.</summary>
    internal long ForwardPasses => Interlocked.Read(ref forwardPasses);

    /// <summary>
    /// Which engine runs this model's forward-only work (<see cref="Infer"/> and everything built on it: scoring and
    /// feature-map columns, occlusion, faithfulness curves, the report's scan). <see cref="InferenceEngine.Auto"/> (the
    /// default) is ONNX Runtime, or libtorch where ONNX Runtime cannot load; both agree within 1e-5. Training and
    /// gradient-based attribution always use libtorch.
    /// </summary>
    public InferenceEngine InferenceEngine
    {
        get => inferenceEngine;
        set
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Expected one of {string.Join(", ", Enum.GetNames<InferenceEngine>())}.");
            inferenceEngine = value;
        }
    }

    /// <summary>The engine <see cref="InferenceEngine"/> selects, built on first use (ONNX Runtime's sessions are kept until the model is disposed).</summary>
    internal IForwardEngine Engine
    {
        get
        {
            var wanted = inferenceEngine;
            if (wanted == InferenceEngine.LibTorch) return libTorch;
            if (onnxRuntime != null) return onnxRuntime;
            if (wanted == InferenceEngine.Auto && onnxRuntimeUnavailable != null) return libTorch;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposeRequested, this);
                if (onnxRuntime != null) return onnxRuntime;
                if (onnxRuntimeUnavailable == null)
                {
                    var candidate = new OnnxRuntimeForward(this);
                    try
                    {
                        candidate.Prepare();
                        onnxRuntime = candidate;
                        return candidate;
                    }
                    catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
                    {
                        candidate.Dispose();
                        onnxRuntimeUnavailable = e.Message;
                    }
                }
                if (wanted == InferenceEngine.Auto) return libTorch;
                throw new PlatformNotSupportedException(
                    $"InferenceEngine.OnnxRuntime was asked for, but ONNX Runtime's native library could not be loaded: {onnxRuntimeUnavailable} " +
                    "Use InferenceEngine.Auto or InferenceEngine.LibTorch, or run on a platform the Microsoft.ML.OnnxRuntime package supports.");
            }
        }
    }

    /// <summary>Class probabilities for a batch of images; convenience over <see cref="Infer"/>.</summary>
    public float[] PredictProbabilities(ReadOnlySpan<float> images, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (images.Length < (long)count * Architecture.InputLength)
            throw new ArgumentException($"Expected {count}×{Architecture.InputLength} input values, got {images.Length}.", nameof(images));
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
        using var use = Use();
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
        using var use = Use();
        using var noGrad = no_grad();
        var (hidden, output) = (Network.HiddenLayer, Network.OutputLayer);
        return ((TensorData.ToArray(hidden.weight!), TensorData.ToArray(hidden.bias!)),
                (TensorData.ToArray(output.weight!), TensorData.ToArray(output.bias!)));
    }

    /// <inheritdoc />
    /// <remarks>Safe from any thread at any time: a use in progress finishes first (the network is freed when it ends); uses that start later throw <see cref="ObjectDisposedException"/>.</remarks>
    public void Dispose()
    {
        bool freeNetwork;
        lock (gate)
        {
            if (disposeRequested) return;
            disposeRequested = true;
            freeNetwork = users == 0 && !disposed;
            if (freeNetwork) disposed = true;
        }
        // ONNX Runtime's sessions are freed when the last Run in flight ends (see OnnxRuntimeForward).
        onnxRuntime?.Dispose();
        if (freeNetwork) network.Dispose();
    }
}
