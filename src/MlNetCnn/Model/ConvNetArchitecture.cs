using System.Text.Json.Serialization;

namespace MlNetCnn.Model;

/// <summary>
/// The shape of a <see cref="SimpleCnn"/>: a stack of (conv k×k, same padding) → ReLU → max-pool 2 blocks, then
/// linear → ReLU → linear. The defaults are the seed experiment's network: conv 3→6, conv 6→12, 768→120→10.
/// </summary>
public sealed record ConvNetArchitecture
{
    /// <summary>Colour planes of the input image (3 for RGB).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Input image height in pixels.</summary>
    public int InputHeight { get; init; } = 32;

    /// <summary>Input image width in pixels.</summary>
    public int InputWidth { get; init; } = 32;

    /// <summary>Output channels of each conv layer, in order; its length is the number of conv layers.</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = new[] { 6, 12 };

    /// <summary>Side of the square kernels; padding is kernel/2 so a conv keeps the spatial size.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>Width of the hidden fully-connected layer.</summary>
    public int HiddenUnits { get; init; } = 120;

    /// <summary>Number of classes (outputs of the last layer).</summary>
    public int ClassCount { get; init; } = 10;

    /// <summary>What the convs see past the border: zeros (the seed's network) or the wrapped-around map.</summary>
    public ConvPadding PaddingMode { get; init; } = ConvPadding.Zeros;

    /// <summary>
    /// The order of the image values in the ML.NET column the model reads (and its ONNX export's input). The network
    /// always computes on planar [N, C, H, W] tensors: transforms reorder each interleaved row as they read it.
    /// </summary>
    public PixelLayout PixelLayout { get; init; } = PixelLayout.Planar;

    /// <summary>The seed's SimpleCNN.</summary>
    public static ConvNetArchitecture Default { get; } = new();

    /// <summary>Zero padding on each side of every conv ("same" size for odd kernels).</summary>
    [JsonIgnore]
    public int Padding => KernelSize / 2;

    /// <summary>Number of input values one image has: C×H×W.</summary>
    [JsonIgnore]
    internal int InputLength => checked(InputChannels * InputHeight * InputWidth);

    /// <summary>Most values one column or tensor dimension product may hold (ML.NET vectors and spans are int-indexed).</summary>
    internal const long MaxValuesPerImage = int.MaxValue;

    /// <summary>
    /// Infers every layer's shape. Throws <see cref="InvalidArchitectureException"/> naming the layer and its sizes
    /// when the configuration cannot work (for example more pools than the input size allows).
    /// </summary>
    internal IReadOnlyList<ConvLayerShape> InferConvShapes()
    {
        Require(InputChannels > 0, "input", "input channels", "> 0", InputChannels);
        Require(InputHeight > 0 && InputWidth > 0, "input", "input height and width", "> 0", $"{InputHeight}×{InputWidth}");
        if (ConvChannels is not { Count: > 0 })
            throw new InvalidArchitectureException("conv", $"The network needs at least one conv layer, got {ConvChannels?.Count ?? 0}.");
        Require(KernelSize > 0 && KernelSize % 2 == 1, "conv", "kernel size", "a positive odd number", KernelSize);
        // A number read from a file (architecture.json) can name no padding mode at all; the network would silently pad with zeros.
        Require(Enum.IsDefined(PaddingMode), "conv", "padding mode", $"one of {string.Join(", ", Enum.GetNames<ConvPadding>())}", PaddingMode);
        Require(HiddenUnits > 0, "fc1", "hidden units", "> 0", HiddenUnits);
        Require(ClassCount >= 2, "fc2", "class count", ">= 2", ClassCount);

        // Sizes come from users and from files: multiply in long and refuse what an int-indexed column cannot hold.
        RequireSize("input", "input image", (long)InputChannels * InputHeight * InputWidth, $"{InputChannels}×{InputHeight}×{InputWidth}");
        var shapes = new List<ConvLayerShape>();
        int channels = InputChannels, height = InputHeight, width = InputWidth;
        for (var i = 0; i < ConvChannels.Count; i++)
        {
            var name = ConvLayerShape.NameOf(i);
            Require(ConvChannels[i] > 0, name, "output channels", "> 0", ConvChannels[i]);
            // Same padding keeps H×W; the 2×2 pool after it halves them (floor), so each side must be at least 2.
            if (height < 2 || width < 2)
            {
                throw new InvalidArchitectureException(name,
                    $"Layer '{name}' receives a {height}×{width} map, but its 2×2 max-pool needs at least 2×2: " +
                    $"the {InputHeight}×{InputWidth} input allows at most {MaxConvLayers(InputHeight, InputWidth)} conv layers, got {ConvChannels.Count}.");
            }
            RequireSize(name, "output map", (long)ConvChannels[i] * height * width, $"{ConvChannels[i]}×{height}×{width}");
            shapes.Add(new ConvLayerShape(i, name, channels, ConvChannels[i], KernelSize, height, width, height / 2, width / 2));
            channels = ConvChannels[i];
            height /= 2;
            width /= 2;
        }
        RequireSize("fc1", "flattened input", (long)channels * height * width, $"{channels}×{height}×{width}");
        return shapes;
    }

    /// <summary>
    /// Bytes each layer needs (weights, gradients and Adam's two moments, plus the activations of
    /// <paramref name="batchSize"/> images kept for the backward pass), estimated before anything is allocated.
    /// </summary>
    internal IReadOnlyList<(string Layer, long Bytes, string Detail)> EstimateMemory(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        const long Float = sizeof(float);
        // Weights, gradients and Adam's two moments: four copies of each parameter while training.
        const long ParameterCopies = 4;
        // Pre-activation, post-ReLU and pooled maps with their gradients: about three map-sized buffers and their gradients.
        const long ActivationCopies = 6;
        var estimate = new List<(string, long, string)>();
        foreach (var layer in InferConvShapes())
        {
            long parameters = (long)layer.OutChannels * layer.InChannels * layer.KernelSize * layer.KernelSize + layer.OutChannels;
            long activations = (long)layer.MapLength * batchSize;
            estimate.Add((layer.Name, checked((parameters * ParameterCopies + activations * ActivationCopies) * Float),
                $"{layer.OutChannels}×{layer.InChannels}×{layer.KernelSize}×{layer.KernelSize} weights, {layer.OutChannels}×{layer.OutHeight}×{layer.OutWidth} maps × batch {batchSize}"));
        }
        var flattened = FlattenedFeatures();
        long fc1 = (long)flattened * HiddenUnits + HiddenUnits;
        estimate.Add(("fc1", checked(fc1 * ParameterCopies * Float), $"{flattened}×{HiddenUnits} weights"));
        long fc2 = (long)HiddenUnits * ClassCount + ClassCount;
        estimate.Add(("fc2", checked(fc2 * ParameterCopies * Float), $"{HiddenUnits}×{ClassCount} weights"));
        return estimate;
    }

    /// <summary>
    /// Throws <see cref="InvalidArchitectureException"/> naming the first layer whose estimated memory
    /// (<see cref="EstimateMemory"/>) exceeds <paramref name="availableBytes"/> (default: what the GC says this process may use).
    /// </summary>
    internal void CheckMemory(int batchSize, long? availableBytes = null)
    {
        var available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var estimate = EstimateMemory(batchSize);
        foreach (var (layer, bytes, detail) in estimate)
        {
            if (bytes > available)
                throw new InvalidArchitectureException(layer,
                    FormattableString.Invariant($"Layer '{layer}' would need about {bytes:N0} bytes ({detail}), but only {available:N0} bytes are available. Use fewer channels, hidden units or a smaller batch."));
        }
        var total = estimate.Sum(e => e.Bytes);
        if (total > available)
        {
            var largest = estimate.MaxBy(e => e.Bytes).Layer;
            throw new InvalidArchitectureException(largest,
                FormattableString.Invariant($"The network would need about {total:N0} bytes in all (largest: layer '{largest}'), but only {available:N0} bytes are available. Use fewer channels, hidden units or a smaller batch."));
        }
    }

    /// <summary>Inputs of the first fully-connected layer: the last pooled map flattened.</summary>
    internal int FlattenedFeatures()
    {
        var last = InferConvShapes()[^1];
        return checked(last.OutChannels * last.PooledHeight * last.PooledWidth);
    }

    private static int MaxConvLayers(int height, int width)
    {
        var count = 0;
        while (height >= 2 && width >= 2) { height /= 2; width /= 2; count++; }
        return count;
    }

    private static void RequireSize(string layer, string what, long values, string shape)
    {
        if (values > MaxValuesPerImage)
            throw new InvalidArchitectureException(layer,
                FormattableString.Invariant($"Layer '{layer}': its {what} would hold {values:N0} values ({shape}), more than the {MaxValuesPerImage:N0} one tensor or column can hold."));
    }

    private static void Require(bool condition, string layer, string what, string expected, object actual)
    {
        if (!condition)
            throw new InvalidArchitectureException(layer, FormattableString.Invariant($"Layer '{layer}': {what} must be {expected}, got {actual}."));
    }
}
