using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Collects images row by row into an <see cref="InMemoryImageSet"/>, as bytes while every value is exactly k/255
/// (k × (1/255) in float arithmetic) and as floats from the first row that is not. When the row count is known up front
/// 8-bit rows go straight into the final uint8 tensor, so the images are held once; otherwise (or after a row that is
/// not 8-bit, or more rows than announced) rows go into fixed-size chunks that <see cref="Build"/> copies into the
/// tensor, holding them twice for a moment.
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
    private Tensor? direct;
    private readonly long directRows;

    /// <param name="expectedRows">Rows the source says it has (IDataView.GetRowCount()), or null when unknown.</param>
    public ImageSetBuilder(int channels, int height, int width, long? expectedRows = null)
    {
        (this.channels, this.height, this.width) = (channels, height, width);
        length = channels * height * width;
        if (expectedRows is > 0 and < int.MaxValue)
        {
            directRows = expectedRows.Value;
            direct = empty(new long[] { directRows, channels, height, width }, ScalarType.Byte);
        }
    }

    public int Count => labels.Count;

    public void Add(ReadOnlySpan<float> image, long label)
    {
        if (image.Length != length) throw new ArgumentException($"Expected {length} values, got {image.Length}.", nameof(image));
        if (direct is not null)
        {
            if (labels.Count < directRows)
            {
                using var target = direct.narrow(0, labels.Count, 1);
                if (TryQuantize(image, target.bytes))
                {
                    labels.Add(label);
                    return;
                }
            }
            SpillDirect(); // not 8-bit, or more rows than announced: continue in chunks
        }
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
        Tensor pixels;
        if (direct is { } written)
        {
            // Fewer rows than announced (rows without a label were skipped): a view of the rows that came.
            pixels = labels.Count == directRows ? written : written.narrow(0, 0, labels.Count);
            if (!ReferenceEquals(pixels, written)) written.Dispose();
            direct = null;
        }
        else
        {
            pixels = empty(new long[] { labels.Count, channels, height, width }, eightBit ? ScalarType.Byte : ScalarType.Float32);
            for (var c = 0; c < Math.Max(byteChunks.Count, floatChunks.Count); c++)
            {
                var rows = Math.Min(RowsPerChunk, labels.Count - c * RowsPerChunk);
                var chunk = eightBit ? byteChunks[c].AsSpan(0, rows * length) : MemoryMarshal.AsBytes(floatChunks[c].AsSpan(0, rows * length));
                // A chunk at a time: the whole tensor's bytes may exceed a span's 2 GB.
                using var target = pixels.narrow(0, (long)c * RowsPerChunk, rows);
                chunk.CopyTo(target.bytes);
            }
        }
        byteChunks.Clear();
        floatChunks.Clear();
        var result = new InMemoryImageSet(pixels, labels.ToArray());
        labels.Clear();
        return result;
    }

    /// <summary>Moves the rows written straight into the tensor into byte chunks and drops the tensor.</summary>
    private void SpillDirect()
    {
        for (var start = 0; start < labels.Count; start += RowsPerChunk)
        {
            var rows = Math.Min(RowsPerChunk, labels.Count - start);
            var chunk = new byte[RowsPerChunk * length];
            using (var source = direct!.narrow(0, start, rows)) source.bytes.CopyTo(chunk);
            byteChunks.Add(chunk);
        }
        direct!.Dispose();
        direct = null;
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
