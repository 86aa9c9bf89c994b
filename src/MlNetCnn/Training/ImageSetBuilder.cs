using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Collects images row by row into an <see cref="InMemoryImageSet"/>, as bytes while every value is exactly k/255
/// (k × (1/255) in float arithmetic) and as floats from the first row that is not. Rows go into fixed-size chunks,
/// so reading never holds more than the chunks plus, while <see cref="Build"/> copies them, the final tensor.
/// </summary>
internal sealed class ImageSetBuilder
{
    private const int RowsPerChunk = 1024;

    private readonly int channels;
    private readonly int height;
    private readonly int width;
    private readonly int length;
    private readonly List<byte[]> byteChunks = new();
    private readonly List<float[]> floatChunks = new();
    private readonly List<long> labels = new();
    private bool eightBit = true;

    public ImageSetBuilder(int channels, int height, int width)
    {
        (this.channels, this.height, this.width) = (channels, height, width);
        length = channels * height * width;
    }

    public int Count => labels.Count;

    public void Add(ReadOnlySpan<float> image, long label)
    {
        if (image.Length != length) throw new ArgumentException($"Expected {length} values, got {image.Length}.", nameof(image));
        var row = labels.Count % RowsPerChunk;
        if (eightBit)
        {
            if (row == 0) byteChunks.Add(new byte[RowsPerChunk * length]);
            if (TryQuantize(image, byteChunks[^1].AsSpan(row * length, length)))
            {
                labels.Add(label);
                return;
            }
            if (row == 0) byteChunks.RemoveAt(byteChunks.Count - 1); // opened for this row, holds no rows
            SwitchToFloats();
        }
        if (row == 0) floatChunks.Add(new float[RowsPerChunk * length]);
        image.CopyTo(floatChunks[^1].AsSpan(row * length, length));
        labels.Add(label);
    }

    /// <summary>The collected images as one tensor (bytes or floats); the builder is empty afterwards.</summary>
    public InMemoryImageSet Build()
    {
        var shape = new long[] { labels.Count, channels, height, width };
        var pixels = empty(shape, eightBit ? ScalarType.Byte : ScalarType.Float32);
        var target = pixels.bytes;
        var done = 0;
        var elementSize = eightBit ? 1 : sizeof(float);
        for (var c = 0; c < Math.Max(byteChunks.Count, floatChunks.Count); c++)
        {
            var rows = Math.Min(RowsPerChunk, labels.Count - c * RowsPerChunk);
            var chunk = eightBit ? byteChunks[c].AsSpan(0, rows * length) : MemoryMarshal.AsBytes(floatChunks[c].AsSpan(0, rows * length));
            chunk.CopyTo(target.Slice(done * elementSize));
            done += rows * length;
        }
        byteChunks.Clear();
        floatChunks.Clear();
        var result = new InMemoryImageSet(pixels, labels.ToArray());
        labels.Clear();
        return result;
    }

    /// <summary>Stores k for each value equal (bit for bit) to k × (1/255); false as soon as one is not.</summary>
    private static bool TryQuantize(ReadOnlySpan<float> image, Span<byte> destination)
    {
        for (var i = 0; i < image.Length; i++)
        {
            var value = image[i];
            var k = MathF.Round(value * 255);
            if (!(k is >= 0 and <= 255) || BitConverter.SingleToInt32Bits(k * InMemoryImageSet.ByteScale) != BitConverter.SingleToInt32Bits(value))
                return false;
            destination[i] = (byte)k;
        }
        return true;
    }

    /// <summary>A row that is not 8-bit arrived: every row so far becomes floats (exactly the values it came from).</summary>
    private void SwitchToFloats()
    {
        eightBit = false;
        var rows = labels.Count;
        for (var c = 0; c < byteChunks.Count; c++)
        {
            var floats = new float[RowsPerChunk * length];
            var count = Math.Min(RowsPerChunk, rows - c * RowsPerChunk) * length;
            var bytes = byteChunks[c];
            for (var i = 0; i < count; i++) floats[i] = bytes[i] * InMemoryImageSet.ByteScale;
            floatChunks.Add(floats);
        }
        byteChunks.Clear();
    }
}
