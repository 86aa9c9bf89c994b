using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Experiments;

/// <summary>Tensor and array helpers shared by the experiments.</summary>
internal static class ImageTensors
{
    /// <summary>A seeded random permutation of 0..n−1.</summary>
    public static int[] Permutation(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>
    /// Moves pixel positions by one fixed permutation: output pixel i takes input pixel permutation[i], the same for
    /// every channel, so a pixel's colour planes stay together.
    /// </summary>
    public static InMemoryImageSet PermutePixels(InMemoryImageSet set, int[] permutation)
    {
        var shape = set.Features.shape;
        float[] values;
        using (NewDisposeScope())
        {
            var index = tensor(permutation.Select(i => (long)i).ToArray());
            values = TensorData.ToArray(set.Features.reshape(shape[0], shape[1], shape[2] * shape[3]).index_select(2, index));
        }
        // Built outside the scope: the set owns its tensors.
        return new InMemoryImageSet(values, set.Labels.ToArray(), (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    /// <summary>The first <paramref name="count"/> images of a set, copied.</summary>
    public static InMemoryImageSet Head(InMemoryImageSet set, int count)
    {
        count = Math.Min(count, set.Count);
        var shape = set.Features.shape;
        var values = Pixels(set, count);
        return new InMemoryImageSet(values, set.Labels.Take(count).ToArray(), (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    /// <summary>
    /// Translates [N,C,H,W] maps by (dx, dy) (right and down positive). Content moved past the border is lost; when
    /// <paramref name="circular"/> it wraps around instead, otherwise the uncovered strip is <paramref name="fill"/>.
    /// </summary>
    public static Tensor Shift(Tensor maps, int dx, int dy, bool circular, float fill = 0f)
    {
        if (circular) return maps.roll(new long[] { dy, dx }, new long[] { 2, 3 });
        using var scope = NewDisposeScope();
        var height = maps.shape[2];
        var width = maps.shape[3];
        var result = full_like(maps, fill);
        var h = height - Math.Abs(dy);
        var w = width - Math.Abs(dx);
        if (h > 0 && w > 0)
        {
            var source = maps.narrow(2, Math.Max(0, -dy), h).narrow(3, Math.Max(0, -dx), w);
            result.narrow(2, Math.Max(0, dy), h).narrow(3, Math.Max(0, dx), w).copy_(source);
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One image of a planar N×C×H×W array as a picture panel (values clamped to [0,1]).</summary>
    public static ImagePanel Panel(string title, float[] images, int index, int channels, int height, int width)
    {
        var length = channels * height * width;
        var pixels = images.AsSpan(index * length, length).ToArray();
        for (var i = 0; i < pixels.Length; i++) pixels[i] = Math.Clamp(pixels[i], 0f, 1f);
        return new ImagePanel(title, pixels, channels, height, width);
    }

    public static float[] ToArray(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return TensorData.ToArray(tensor.detach());
    }

    /// <summary>The first <paramref name="count"/> images of a set as planar floats.</summary>
    public static float[] Pixels(InMemoryImageSet set, int count)
    {
        using var scope = NewDisposeScope();
        return TensorData.ToArray(set.Features.narrow(0, 0, Math.Min(count, set.Count)));
    }
}
