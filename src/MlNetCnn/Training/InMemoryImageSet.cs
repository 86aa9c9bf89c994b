using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Images and labels held as two tensors, as torchvision's CIFAR10 dataset holds them, so a shuffled batch is one
/// index_select rather than a pass over a cursor. Labels are 0-based class indices.
/// </summary>
public sealed class InMemoryImageSet : IDisposable
{
    public InMemoryImageSet(float[] features, long[] labels, int channels, int height, int width)
    {
        var length = channels * height * width;
        if (features.Length != (long)labels.Length * length)
            throw new ArgumentException($"Expected {labels.Length}×{length} = {(long)labels.Length * length} feature values, got {features.Length}.", nameof(features));
        Count = labels.Length;
        Labels = labels;
        Features = tensor(features, new long[] { labels.Length, channels, height, width });
        LabelTensor = tensor(labels);
    }

    public int Count { get; }

    /// <summary>[N, C, H, W] floats.</summary>
    public Tensor Features { get; }

    /// <summary>[N] int64 class indices.</summary>
    public Tensor LabelTensor { get; }

    public IReadOnlyList<long> Labels { get; }

    public void Dispose()
    {
        Features.Dispose();
        LabelTensor.Dispose();
    }
}
