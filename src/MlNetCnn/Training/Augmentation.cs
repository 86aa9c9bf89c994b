using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// The two augmentations every CIFAR recipe uses, applied to each training batch: a random crop after zero padding
/// (torchvision's <c>RandomCrop(32, padding=4)</c>) and a left–right flip with probability ½. The offsets and flips come
/// from a <see cref="Random"/> of its own, seeded from the run's seed, so the same seed gives the same augmented batches
/// in every process, and the shuffle's generator draws exactly what it draws without augmentation.
/// </summary>
internal sealed class Augmentation
{
    /// <summary>Offsets the augmentation generator's seed from the shuffle's, so the two streams differ.</summary>
    private const int SeedOffset = 0x5EED;

    private readonly int padding;
    private readonly bool flip;
    private readonly Random random;

    public Augmentation(TrainingSettings settings)
    {
        padding = settings.RandomCropPadding;
        flip = settings.RandomHorizontalFlip;
        random = new Random(unchecked(settings.Seed + SeedOffset));
    }

    /// <summary>A new [N, C, H, W] batch (in the caller's dispose scope), each image cropped and/or flipped by its own draw.</summary>
    public Tensor Apply(Tensor images)
    {
        var count = (int)images.shape[0];
        var (height, width) = (images.shape[2], images.shape[3]);
        var source = padding > 0 ? nn.functional.pad(images, [padding, padding, padding, padding]) : images;
        var augmented = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            // Draws in a fixed order per image (row offset, column offset, flip), so a seed fixes every batch.
            var image = source[i];
            if (padding > 0)
            {
                var top = random.Next(2 * padding + 1);
                var left = random.Next(2 * padding + 1);
                image = image.narrow(1, top, height).narrow(2, left, width);
            }
            if (flip && random.Next(2) == 1) image = image.flip(2);
            augmented[i] = image;
        }
        return stack(augmented);
    }
}
