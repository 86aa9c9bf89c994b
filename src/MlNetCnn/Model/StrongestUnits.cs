namespace MlNetCnn.Model;

/// <summary>
/// The search behind "what a channel responds to", shared by the top-patches experiment and the report's explorer:
/// which units may compete (those whose receptive field lies inside the image), the strongest of them in one channel's
/// map, and the input crop under a unit's receptive field.
/// </summary>
internal static class StrongestUnits
{
    /// <summary>
    /// Positions (row · width + column) of the conv-output units of <paramref name="layer"/> whose theoretical receptive
    /// field lies inside the image; all positions when none does. Otherwise a channel that likes the contrast between an
    /// image edge and the zero padding wins with border patches that are alike for a trivial reason.
    /// </summary>
    public static int[] InsideUnits(ConvNetArchitecture architecture, ConvLayerShape layer)
    {
        var inside = Enumerable.Range(0, layer.OutHeight * layer.OutWidth).Where(p =>
        {
            var (r0, r1) = ReceptiveFields.Window(architecture, layer.Index, p / layer.OutWidth);
            var (c0, c1) = ReceptiveFields.Window(architecture, layer.Index, p % layer.OutWidth);
            return r0 >= 0 && c0 >= 0 && r1 < architecture.InputHeight && c1 < architecture.InputWidth;
        }).ToArray();
        return inside.Length > 0 ? inside : Enumerable.Range(0, layer.OutHeight * layer.OutWidth).ToArray();
    }

    /// <summary>The largest value of one channel's map among <paramref name="candidates"/> and its position (the first of equal ones).</summary>
    public static (float Value, int Position) Strongest(ReadOnlySpan<float> plane, int[] candidates)
    {
        var (max, at) = (float.NegativeInfinity, 0);
        foreach (var p in candidates)
            if (plane[p] > max) (max, at) = (plane[p], p);
        return (max, at);
    }

    /// <summary>Side, in input pixels, of the square crop <see cref="Crop"/> returns for conv layer <paramref name="layerIndex"/>.</summary>
    public static int CropSide(ConvNetArchitecture architecture, int layerIndex) =>
        ReceptiveFields.Theoretical(architecture)[layerIndex].ConvOutput;

    /// <summary>
    /// The C×side×side input window under the receptive field of unit <paramref name="position"/> of conv layer
    /// <paramref name="layerIndex"/> (side = <see cref="CropSide"/>), values clamped to [0, 1], zero outside the image.
    /// </summary>
    public static float[] Crop(ReadOnlySpan<float> image, ConvNetArchitecture architecture, int layerIndex, int outWidth, int position, int side)
    {
        var (channels, height, width) = (architecture.InputChannels, architecture.InputHeight, architecture.InputWidth);
        var (rowStart, _) = ReceptiveFields.Window(architecture, layerIndex, position / outWidth);
        var (colStart, _) = ReceptiveFields.Window(architecture, layerIndex, position % outWidth);
        var patch = new float[channels * side * side];
        for (var c = 0; c < channels; c++)
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
        {
            var (sy, sx) = (rowStart + y, colStart + x);
            if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
            patch[(c * side + y) * side + x] = Math.Clamp(image[(c * height + sy) * width + sx], 0f, 1f);
        }

        return patch;
    }
}
