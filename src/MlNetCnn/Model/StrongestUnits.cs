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
        var inside = Enumerable.Range(0, layer.OutHeight * layer.OutWidth)
            .Where(p => FieldInside(architecture, layer.Index, p / layer.OutWidth, p % layer.OutWidth)).ToArray();
        return inside.Length > 0 ? inside : Enumerable.Range(0, layer.OutHeight * layer.OutWidth).ToArray();
    }

    /// <summary>True when the theoretical receptive field of unit (<paramref name="row"/>, <paramref name="col"/>) of conv layer <paramref name="layerIndex"/> lies inside the image.</summary>
    public static bool FieldInside(ConvNetArchitecture architecture, int layerIndex, int row, int col)
    {
        var (r0, r1) = ReceptiveFields.Window(architecture, layerIndex, row);
        var (c0, c1) = ReceptiveFields.Window(architecture, layerIndex, col);
        return r0 >= 0 && c0 >= 0 && r1 < architecture.InputHeight && c1 < architecture.InputWidth;
    }

    /// <summary>
    /// The strongest unit of a whole C×H×W conv output map (<paramref name="map"/>) among units whose receptive field lies
    /// inside the image: what a caption can call the layer's strongest response without pointing at the zero padding.
    /// When no such unit is active (&gt; 0), or none exists, the strongest of all units, with
    /// <see cref="StrongestUnit.FieldInside"/> telling which it is. Ties go to the first.
    /// </summary>
    public static StrongestUnit StrongestInMap(ConvNetArchitecture architecture, ConvLayerShape layer, ReadOnlySpan<float> map)
    {
        var inside = Strongest(architecture, layer, map, field => field);
        if (inside is { Value: > 0 }) return inside;
        return Strongest(architecture, layer, map, _ => true)!;
    }

    /// <summary>The strongest unit whose receptive field reaches into the zero padding, or null when none is active (&gt; 0).</summary>
    public static StrongestUnit? StrongestOnBorder(ConvNetArchitecture architecture, ConvLayerShape layer, ReadOnlySpan<float> map) =>
        Strongest(architecture, layer, map, field => !field) is { Value: > 0 } border ? border : null;

    // The first (in map order) largest value among units whose FieldInside passes the filter; null when no unit does.
    private static StrongestUnit? Strongest(ConvNetArchitecture architecture, ConvLayerShape layer, ReadOnlySpan<float> map, Func<bool, bool> keep)
    {
        var plane = layer.OutHeight * layer.OutWidth;
        var inside = Enumerable.Range(0, plane).Select(p => FieldInside(architecture, layer.Index, p / layer.OutWidth, p % layer.OutWidth)).ToArray();
        var (best, at) = (float.NegativeInfinity, -1);
        for (var i = 0; i < layer.OutChannels * plane; i++)
            if (keep(inside[i % plane]) && (at < 0 || map[i] > best)) (best, at) = (map[i], i);
        return at < 0 ? null : new StrongestUnit(at / plane, at % plane / layer.OutWidth, at % layer.OutWidth, best, inside[at % plane]);
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
    /// <paramref name="layerIndex"/> (side = <see cref="CropSide"/>), values clamped to [0, 1]. Outside the image it is
    /// what the padding gives the network: zero, or with circular padding the pixels the field wraps around to.
    /// </summary>
    public static float[] Crop(ReadOnlySpan<float> image, ConvNetArchitecture architecture, int layerIndex, int outWidth, int position, int side)
    {
        var (channels, height, width) = (architecture.InputChannels, architecture.InputHeight, architecture.InputWidth);
        var (rowStart, _) = ReceptiveFields.Window(architecture, layerIndex, position / outWidth);
        var (colStart, _) = ReceptiveFields.Window(architecture, layerIndex, position % outWidth);
        var patch = new float[channels * side * side];
        var circular = architecture.PaddingMode == ConvPadding.Circular;
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                {
                    var (sy, sx) = (rowStart + y, colStart + x);
                    if (circular) (sy, sx) = (((sy % height) + height) % height, ((sx % width) + width) % width);
                    else if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
                    patch[(c * side + y) * side + x] = Math.Clamp(image[(c * height + sy) * width + sx], 0f, 1f);
                }

        return patch;
    }
}
