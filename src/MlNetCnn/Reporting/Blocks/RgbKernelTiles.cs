namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// Shows first-layer convolution kernels (3 input channels) as small RGB pictures: weight 0 is mid grey,
/// positive weights brighten a colour channel and negative ones darken it. This is the classic way to see
/// the edge and colour detectors a CNN learns.
/// </summary>
internal static class RgbKernelTiles
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
    /// <param name="inChannels">3 (colour tiles) or 1 (grey tiles: the one weight plane in all three colours).</param>
    public static ImageStrip CreateStrip(float[] weights, int outChannels, int kernelSize, bool sharedScale = false, string? title = null, string? caption = null, int tileSize = 72, int columns = 12,
        int inChannels = 3)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        if (inChannels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Kernel tiles show 3-channel (colour) or 1-channel (grey) kernels.");
        var per = inChannels * kernelSize * kernelSize;
        var expected = (long)outChannels * per;
        if (weights.Length != expected)
        {
            throw new ArgumentException(
                $"weights has length {weights.Length} but outChannels × {inChannels} × kernelSize × kernelSize = {outChannels} × {inChannels} × {kernelSize} × {kernelSize} = {expected}.",
                nameof(weights));
        }

        float? scale = sharedScale ? MaxAbs(weights) : null;
        var strip = new ImageStrip { Title = title, Caption = caption, TileSize = tileSize, Columns = columns, CaptionLines = 1 };
        for (var o = 0; o < outChannels; o++)
        {
            var kernel = weights.AsSpan(o * per, per);
            strip.Add(inChannels == 3 ? ToRgbTile(kernel, kernelSize, scale) : ToGreyTile(kernel, kernelSize, scale), kernelSize, kernelSize, $"filter {o}");
        }

        return strip;
    }

    /// <summary>
    /// Maps one signed single-channel kernel (k × k) to a grey tile (the same value in all three planes of an RGB
    /// tile): <c>0.5 + 0.5 · w / scale</c>, so weight 0 is mid grey.
    /// </summary>
    public static float[] ToGreyTile(ReadOnlySpan<float> kernel, int kernelSize, float? scale = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        var plane = kernelSize * kernelSize;
        if (kernel.Length != plane)
            throw new ArgumentException($"kernel has length {kernel.Length} but kernelSize × kernelSize = {kernelSize} × {kernelSize} = {plane}.", nameof(kernel));
        var s = scale ?? MaxAbs(kernel);
        var tile = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            var w = float.IsFinite(kernel[i]) ? kernel[i] : 0f;
            var v = s > 0 ? Math.Clamp(0.5f + 0.5f * w / s, 0f, 1f) : 0.5f;
            tile[i] = tile[plane + i] = tile[2 * plane + i] = v;
        }

        return tile;
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
