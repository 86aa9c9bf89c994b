using MlNetCnn.Model;

namespace MlNetCnn.Tests.Model;

public class ConvNetArchitectureTests
{
    [Fact]
    public void DefaultIsTheSeedNetwork()
    {
        var shapes = ConvNetArchitecture.Default.InferConvShapes();
        Assert.Equal(2, shapes.Count);
        Assert.Equal((0, "conv1", 3, 6, 3, 32, 32, 16, 16), Fields(shapes[0]));
        Assert.Equal((1, "conv2", 6, 12, 3, 16, 16, 8, 8), Fields(shapes[1]));
        Assert.Equal(12 * 8 * 8, ConvNetArchitecture.Default.FlattenedFeatures());
        Assert.Equal(3072, ConvNetArchitecture.Default.InputLength);
    }

    [Theory]
    [InlineData(new[] { 6, 12, 24 }, 4, 4, 24 * 4 * 4)]
    [InlineData(new[] { 6, 12, 24, 48 }, 2, 2, 48 * 2 * 2)]
    public void DeeperStacksInferTheirShapes(int[] channels, int pooledHeight, int pooledWidth, int flattened)
    {
        var architecture = ConvNetArchitecture.Default with { ConvChannels = channels };
        var shapes = architecture.InferConvShapes();
        Assert.Equal(channels.Length, shapes.Count);
        Assert.Equal(pooledHeight, shapes[^1].PooledHeight);
        Assert.Equal(pooledWidth, shapes[^1].PooledWidth);
        Assert.Equal(flattened, architecture.FlattenedFeatures());
        Assert.Equal($"conv{channels.Length}", shapes[^1].Name);
    }

    [Fact]
    public void NonSquareAndOddInputsFloorLikeMaxPool()
    {
        var shapes = new ConvNetArchitecture { InputChannels = 1, InputHeight = 28, InputWidth = 21, ConvChannels = new[] { 4, 8 } }.InferConvShapes();
        Assert.Equal((28, 21, 14, 10), (shapes[0].OutHeight, shapes[0].OutWidth, shapes[0].PooledHeight, shapes[0].PooledWidth));
        Assert.Equal((14, 10, 7, 5), (shapes[1].OutHeight, shapes[1].OutWidth, shapes[1].PooledHeight, shapes[1].PooledWidth));
    }

    [Fact]
    public void TooManyPoolsNamesTheLayerAndTheSizes()
    {
        var architecture = ConvNetArchitecture.Default with { ConvChannels = new[] { 4, 4, 4, 4, 4, 4 } };
        var error = Assert.Throws<InvalidArchitectureException>(() => architecture.InferConvShapes());
        Assert.Equal("conv6", error.LayerName);
        Assert.Contains("1×1", error.Message);
        Assert.Contains("at most 5 conv layers, got 6", error.Message);
    }

    [Theory]
    [InlineData(0, 3, 120, 10, "input")]
    [InlineData(3, 4, 120, 10, "conv")]
    [InlineData(3, 3, 0, 10, "fc1")]
    [InlineData(3, 3, 120, 1, "fc2")]
    public void InvalidSettingsNameTheLayer(int channels, int kernel, int hidden, int classes, string layer)
    {
        var architecture = new ConvNetArchitecture { InputChannels = channels, KernelSize = kernel, HiddenUnits = hidden, ClassCount = classes };
        var error = Assert.Throws<InvalidArchitectureException>(() => architecture.InferConvShapes());
        Assert.Equal(layer, error.LayerName);
        Assert.Contains("got", error.Message);
    }

    [Fact]
    public void ZeroChannelLayerIsRejected()
    {
        var error = Assert.Throws<InvalidArchitectureException>(() => (ConvNetArchitecture.Default with { ConvChannels = new[] { 6, 0 } }).InferConvShapes());
        Assert.Equal("conv2", error.LayerName);
    }

    [Fact]
    public void HugeInputClaimIsRefusedWithoutOverflow()
    {
        // A manifest can claim anything; 3×1,000,000×1,000,000 overflows an int.
        var huge = ConvNetArchitecture.Default with { InputHeight = 1_000_000, InputWidth = 1_000_000 };
        var error = Assert.Throws<InvalidArchitectureException>(() => huge.InferConvShapes());
        Assert.Equal("input", error.LayerName);
        Assert.Contains("3,000,000,000,000", error.Message);
    }

    [Fact]
    public void MemoryEstimateNamesTheLayerAndTheBytes()
    {
        var wide = ConvNetArchitecture.Default with { ConvChannels = new[] { 100_000, 100_000 } };
        var error = Assert.Throws<InvalidArchitectureException>(() => wide.CheckMemory(batchSize: 4, availableBytes: 16L << 30));
        Assert.Equal("conv2", error.LayerName);
        Assert.Contains("bytes", error.Message);
        Assert.Contains("100000×100000×3×3", error.Message);

        // The seed's network needs well under 10 MB, so it passes any real machine's check.
        var seed = ConvNetArchitecture.Default.EstimateMemory(batchSize: 4);
        Assert.InRange(seed.Sum(e => e.Bytes), 100_000, 10_000_000);
        ConvNetArchitecture.Default.CheckMemory(batchSize: 4);
        // The total counts too: each layer fits, all of them do not.
        var total = seed.Sum(e => e.Bytes);
        Assert.Throws<InvalidArchitectureException>(() => ConvNetArchitecture.Default.CheckMemory(4, availableBytes: total - 1));
    }

    // ConvLayerShape is a class (no value equality), so its fields are compared as a tuple.
    private static (int, string, int, int, int, int, int, int, int) Fields(ConvLayerShape s) =>
        (s.Index, s.Name, s.InChannels, s.OutChannels, s.KernelSize, s.OutHeight, s.OutWidth, s.PooledHeight, s.PooledWidth);
}
