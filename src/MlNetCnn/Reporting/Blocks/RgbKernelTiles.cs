namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// Shows first-layer convolution kernels (3 input channels) as small RGB pictures: weight 0 is mid grey,
/// positive weights brighten a colour channel and negative ones darken it. This is the classic way to see
/// the edge and colour detectors a CNN learns.
/// </summary>
public static class RgbKernelTiles
{
    /// <summary>
    /// Maps one signed kernel (planar 3 × k × k) to an RGB tile in [0, 1]: <c>0.5 + 0.5 · w / scale</c>.
    /// </summary>
    /// <param name="kernel">3 × kernelSize × kernelSize weights.</param>
    /// <param name="kernelSize">Spatial size k.</param>
    /// <param name="scale">Weight magnitude that maps to full brightness; default is this kernel's largest |w|.</param>
    public static float[] ToRgbTile(ReadOnlySpan<float> kernel, int kernelSize, float? scale = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        var expected = 3 * kernelSize * kernelSize;
        if (kernel.Length != expected)
        {
            throw new ArgumentException(
                $"kernel has length {kernel.Length} but 3 × kernelSize × kernelSize = 3 × {kernelSize} × {kernelSize} = {expected}.",
                nameof(kernel));
        }

        var s = scale ?? MaxAbs(kernel);
        var tile = new float[expected];
        for (var i = 0; i < expected; i++)
        {
            var w = float.IsFinite(kernel[i]) ? kernel[i] : 0f;
            tile[i] = s > 0 ? Math.Clamp(0.5f + 0.5f * w / s, 0f, 1f) : 0.5f;
        }

        return tile;
    }

    /// <summary>
    /// An <see cref="ImageStrip"/> of all filters of a conv layer with weights [outChannels, 3, k, k] (TorchSharp order).
    /// </summary>
    /// <param name="weights">Flattened [outChannels, 3, kernelSize, kernelSize].</param>
    /// <param name="outChannels">Number of filters.</param>
    /// <param name="kernelSize">Spatial size k.</param>
    /// <param name="sharedScale">One scale for all filters (compares strength across filters) instead of per filter (shows each pattern fully).</param>
    /// <param name="title">Block title.</param>
    /// <param name="caption">Block caption.</param>
    /// <param name="tileSize">Displayed side of each filter in pixels.</param>
    /// <param name="columns">Filters per row.</param>
    public static ImageStrip CreateStrip(float[] weights, int outChannels, int kernelSize, bool sharedScale = false, string? title = null, string? caption = null, int tileSize = 72, int columns = 12)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        var per = 3 * kernelSize * kernelSize;
        var expected = (long)outChannels * per;
        if (weights.Length != expected)
        {
            throw new ArgumentException(
                $"weights has length {weights.Length} but outChannels × 3 × kernelSize × kernelSize = {outChannels} × 3 × {kernelSize} × {kernelSize} = {expected}.",
                nameof(weights));
        }

        float? scale = sharedScale ? MaxAbs(weights) : null;
        var strip = new ImageStrip { Title = title, Caption = caption, TileSize = tileSize, Columns = columns, CaptionLines = 1 };
        for (var o = 0; o < outChannels; o++)
        {
            strip.Add(ToRgbTile(weights.AsSpan(o * per, per), kernelSize, scale), kernelSize, kernelSize, $"filter {o}");
        }

        return strip;
    }

    private static float MaxAbs(ReadOnlySpan<float> values)
    {
        var m = 0f;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                m = Math.Max(m, Math.Abs(v));
            }
        }

        return m;
    }
}
