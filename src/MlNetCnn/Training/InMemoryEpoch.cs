using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// An epoch over an <see cref="InMemoryImageSet"/>: the whole set shuffled (System.Random's Fisher–Yates, as
/// before), the labels put in that order once, then one index_select of images per batch.
/// </summary>
internal sealed class InMemoryEpoch : IEpochBatches
{
    private readonly InMemoryImageSet set;
    private readonly int batchSize;
    private readonly Tensor permutation;
    private readonly Tensor shuffledLabels;
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
        images = set.Batch(permutation.narrow(0, start, count));
        labels = shuffledLabels.narrow(0, start, count);
        start += count;
        return true;
    }

    public void Dispose()
    {
        permutation.Dispose();
        shuffledLabels.Dispose();
    }
}
