using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// An epoch over an <see cref="InMemoryImageSet"/>: the whole set shuffled (System.Random's Fisher–Yates, as
/// before) and the labels put in that order once. Images are gathered (and, for 8-bit sets, converted to floats)
/// <see cref="BatchesPerChunk"/> batches at a time, so a step takes its images with one narrow: at batch 4 each
/// native call is a measurable share of the step.
/// </summary>
internal sealed class InMemoryEpoch : IEpochBatches
{
    /// <summary>Batches gathered at once: 64 batches of 4 CIFAR images are 3 MB of floats.</summary>
    public const int BatchesPerChunk = 64;

    private readonly InMemoryImageSet set;
    private readonly int batchSize;
    private readonly Tensor permutation;
    private readonly Tensor shuffledLabels;
    private Tensor? chunk;
    private int chunkStart;
    private int start;

    public InMemoryEpoch(InMemoryImageSet set, int[] order, int batchSize)
    {
        this.set = set;
        this.batchSize = batchSize;
        permutation = tensor(order.Select(i => (long)i).ToArray());
        shuffledLabels = set.LabelTensor.index_select(0, permutation);
    }

    public bool TryNext(out Tensor images, out Tensor labels)
    {
        var count = Math.Min(batchSize, set.Count - start);
        if (count <= 0)
        {
            (images, labels) = (null!, null!);
            return false;
        }
        if (chunk is null || start + count > chunkStart + chunk.shape[0])
        {
            chunk?.Dispose();
            chunkStart = start;
            var rows = Math.Min((long)batchSize * BatchesPerChunk, set.Count - start);
            // Made inside the caller's step scope; the chunk outlives the step, the intermediates do not.
            chunk = set.Batch(permutation.narrow(0, start, rows)).DetachFromDisposeScope();
        }
        images = chunk.narrow(0, start - chunkStart, count);
        labels = shuffledLabels.narrow(0, start, count);
        start += count;
        return true;
    }

    public void Dispose()
    {
        chunk?.Dispose();
        permutation.Dispose();
        shuffledLabels.Dispose();
    }
}
