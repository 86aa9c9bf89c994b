using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Training;

public class ImageSetBuilderTests
{
    /// <summary>
    /// Every byte value k, stored as a byte, comes back as exactly the float k × (1/255) the readers produce, whether
    /// the row count was unknown, announced exactly (rows written straight into the tensor), announced too high (rows
    /// skipped) or too low.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(2L)]
    [InlineData(5L)]
    [InlineData(1L)]
    public void EightBitImagesAreStoredAsBytesAndBatchesGiveTheReadersFloatsBitForBit(long? expectedRows)
    {
        var builder = new ImageSetBuilder(1, 16, 16, expectedRows);
        var image = Enumerable.Range(0, 256).Select(k => (byte)k * MlNetCnn.Data.Cifar10.Cifar10DataView.PixelScale).ToArray();
        var reversed = image.Reverse().ToArray();
        builder.Add(image, 0);
        builder.Add(reversed, 1);
        using var set = builder.Build();

        Assert.True(set.IsEightBit);
        Assert.Equal(2 * 256, set.PixelBytes);
        using var scope = NewDisposeScope();
        var batch = TensorData.ToArray(set.Batch(tensor(new long[] { 1, 0 })));
        Assert.Equal(reversed.Concat(image).Select(BitConverter.SingleToInt32Bits), batch.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(image.Concat(reversed).Select(BitConverter.SingleToInt32Bits), TensorData.ToArray(set.Slice(0, 2)).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(image.Concat(reversed), TensorData.ToArray(set.Features));
    }

    /// <summary>The first row not 8-bit may come first, at a chunk boundary (1,024 rows), inside a chunk or last; the row count known or not.</summary>
    [Theory]
    [InlineData(0, null)]
    [InlineData(1024, null)]
    [InlineData(1500, null)]
    [InlineData(0, 2100L)]
    [InlineData(1024, 2100L)]
    [InlineData(1500, 2100L)]
    [InlineData(2099, 2100L)]
    [InlineData(1500, 1200L)]
    public void ARowThatIsNotEightBitTurnsTheWholeSetIntoTheExactFloats(int oddRow, long? expectedRows)
    {
        var builder = new ImageSetBuilder(1, 2, 2, expectedRows);
        var rows = Enumerable.Range(0, 2100).Select(r => new[] { (r % 256) * InMemoryImageSet.ByteScale, 0f, 1f, 0f }).ToList();
        rows[oddRow] = new[] { 0.3f, 0.1f, 0.2f, 0.123456f };
        foreach (var (row, i) in rows.Select((r, i) => (r, i))) builder.Add(row, i % 3);
        using var set = builder.Build();

        Assert.False(set.IsEightBit);
        Assert.Equal(rows.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), TensorData.ToArray(set.Features).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(i => (long)(i % 3)), set.Labels);
    }

    [Fact]
    public void ImageOfTheWrongLengthIsRejected()
    {
        var builder = new ImageSetBuilder(3, 2, 2);
        Assert.Throws<ArgumentException>(() => builder.Add(new float[11], 0));
    }

    /// <summary>2,100 8-bit rows, announced: written straight into the tensor (no chunks), values exact.</summary>
    [Fact]
    public void AnnouncedEightBitRowsGoStraightIntoTheTensor()
    {
        var rows = Enumerable.Range(0, 2100).Select(r => new[] { (r % 256) * InMemoryImageSet.ByteScale, ((r * 7) % 256) * InMemoryImageSet.ByteScale, 1f, 0f }).ToList();
        var builder = new ImageSetBuilder(1, 2, 2, rows.Count);
        foreach (var row in rows) builder.Add(row, 1);
        using var set = builder.Build();
        Assert.True(set.IsEightBit);
        Assert.Equal(rows.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), TensorData.ToArray(set.Features).Select(BitConverter.SingleToInt32Bits));
    }
}
