using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Images and labels held as two tensors, as torchvision's CIFAR10 dataset holds them, so a shuffled batch is one
/// index_select rather than a pass over a cursor. Labels are 0-based class indices.
/// </summary>
/// <remarks>
/// 8-bit images (every value exactly k/255, as CIFAR-10 records and decoded image files give) are kept as one byte
/// per value and turned into floats a batch at a time (<see cref="Batch"/>, <see cref="Slice"/>): a quarter of the
/// memory, with the same float values the reader produced (k × (1/255) in float arithmetic, the scaling
/// <c>Cifar10DataView</c> and <c>ExtractPixels(scaleImage: 1/255)</c> use). Other values stay float32.
/// </remarks>
public sealed class InMemoryImageSet : IDisposable, ITrainingSource
{
    // One scale for readers and byte storage: bytes are kept only when they give back exactly the floats the reader produced.
    /// <summary>The scale from a stored byte to the float value it stands for.</summary>
    internal const float ByteScale = Model.ImageArrays.ByteScale;

    private readonly Tensor pixels;
    private readonly object gate = new();
    private Tensor? floatFeatures;

    /// <summary>A float32 set of N images: <paramref name="features"/> holds N × channels × height × width values (planar), <paramref name="labels"/> N 0-based class indices.</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not hold N × channels × height × width values.</exception>
    public InMemoryImageSet(float[] features, long[] labels, int channels, int height, int width)
        : this(CheckedFloatTensor(features, labels.Length, channels, height, width), labels)
    {
    }

    /// <summary>Takes ownership of <paramref name="pixels"/>: [N, C, H, W] float32, or uint8 holding k for k/255.</summary>
    internal InMemoryImageSet(Tensor pixels, long[] labels)
    {
        if (pixels.dtype is not (ScalarType.Float32 or ScalarType.Byte) || pixels.dim() != 4 || pixels.shape[0] != labels.Length)
            throw new ArgumentException($"Expected [{labels.Length}, C, H, W] float32 or uint8 pixels, got {pixels.dtype} [{string.Join(", ", pixels.shape)}].", nameof(pixels));
        this.pixels = pixels;
        Count = labels.Length;
        Labels = labels;
        LabelTensor = tensor(labels);
        (Channels, Height, Width) = ((int)pixels.shape[1], (int)pixels.shape[2], (int)pixels.shape[3]);
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Colour planes per image.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Whether the images are held as bytes (8-bit source) rather than floats.</summary>
    internal bool IsEightBit => pixels.dtype == ScalarType.Byte;

    /// <summary>The largest pixel value (at most 1 for 8-bit sets, which hold k/255); above 1 the pixels were not scaled to [0, 1].</summary>
    internal float MaxValue
    {
        get
        {
            if (IsEightBit || Count == 0) return IsEightBit ? 1f : 0f;
            using var max = pixels.max();
            return max.item<float>();
        }
    }

    /// <summary>Bytes the images occupy in memory.</summary>
    internal long PixelBytes => pixels.numel() * pixels.ElementSize;

    /// <summary>
    /// All images as [N, C, H, W] floats. For 8-bit sets this converts the whole set once and keeps the copy (four
    /// times the bytes); training and evaluation use <see cref="Batch"/> and <see cref="Slice"/> instead.
    /// </summary>
    internal Tensor Features
    {
        get
        {
            if (!IsEightBit) return pixels;
            lock (gate) return floatFeatures ??= ToFloat(pixels).DetachFromDisposeScope();
        }
    }

    /// <summary>[N] int64 class indices.</summary>
    internal Tensor LabelTensor { get; }

    /// <summary>0-based class index per image.</summary>
    public IReadOnlyList<long> Labels { get; }

    /// <summary>The images at <paramref name="index"/> as floats (a new tensor in the caller's dispose scope).</summary>
    internal Tensor Batch(Tensor index) => IsEightBit ? ToFloat(pixels.index_select(0, index)) : pixels.index_select(0, index);

    /// <summary>Images start..start+count−1 as floats (a view for float sets, a converted copy for 8-bit ones).</summary>
    internal Tensor Slice(long start, long count) => IsEightBit ? ToFloat(pixels.narrow(0, start, count)) : pixels.narrow(0, start, count);

    long? ITrainingSource.RowCount => Count;

    /// <summary>Each epoch reshuffles the previous epoch's order in place (per training run), so a seed gives the same epochs.</summary>
    Func<Random, IEpochBatches> ITrainingSource.OpenEpochs(int batchSize)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        return shuffler =>
        {
            shuffler.Shuffle(order);
            return new InMemoryEpoch(this, order, batchSize);
        };
    }

    /// <summary>Offsets the split's generator from the shuffle's (both start from the run's seed).</summary>
    private const int SplitSeedOffset = 0x5B17;

    /// <summary>
    /// Holds out round(<paramref name="fraction"/> × N) rows, drawn with <paramref name="seed"/>, as a validation split;
    /// both parts keep the original row order. The caller owns (and disposes) both sets; this one is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction leaves no row on one side.</exception>
    internal (InMemoryImageSet Training, InMemoryImageSet Validation) Split(double fraction, int seed)
    {
        var held = (int)Math.Round(Count * fraction, MidpointRounding.AwayFromZero);
        if (held < 1 || held >= Count)
            throw new ArgumentException($"ValidationFraction {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {Count} training rows holds out {held}: " +
                                        "it must leave at least one row for validation and one for training.", nameof(fraction));
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(unchecked(seed + SplitSeedOffset)).Shuffle(order);
        var validation = Subset(order[..held]);
        try
        {
            return (Subset(order[held..]), validation);
        }
        catch
        {
            validation.Dispose();
            throw;
        }
    }

    private InMemoryImageSet Subset(int[] rows)
    {
        Array.Sort(rows);
        using var index = tensor(rows.Select(i => (long)i).ToArray());
        return new InMemoryImageSet(pixels.index_select(0, index).DetachFromDisposeScope(), rows.Select(i => Labels[i]).ToArray());
    }

    /// <summary>Bytes k to floats k × (1/255): exact conversion, then one float multiply, as the readers compute it.</summary>
    internal static Tensor ToFloat(Tensor bytes) => bytes.to_type(ScalarType.Float32).mul_(ByteScaleScalar);

    // Held for the process: a Scalar made per call from the float could be finalized mid-call (see FlatAdam).
    private static readonly Scalar ByteScaleScalar = ByteScale;

    private static Tensor CheckedFloatTensor(float[] features, int count, int channels, int height, int width)
    {
        var length = channels * height * width;
        if (features.Length != (long)count * length)
            throw new ArgumentException($"Expected {count}×{length} = {(long)count * length} feature values, got {features.Length}.", nameof(features));
        return tensor(features, new long[] { count, channels, height, width });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        pixels.Dispose();
        floatFeatures?.Dispose();
        LabelTensor.Dispose();
    }
}
