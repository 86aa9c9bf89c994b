namespace MlNetCnn.Model;

/// <summary>
/// Receptive-field arithmetic for the conv stack: a k×k stride-1 conv adds (k−1)·j to the field, a 2×2 stride-2 pool
/// adds 1·j and doubles the jump j (the input-pixel distance between neighbouring units). For the seed's SimpleCNN:
/// conv1 3, pool1 4, conv2 4 + 2·2 = 8, pool2 10.
/// </summary>
internal static class ReceptiveFields
{
    public static IReadOnlyList<LayerReceptiveField> Theoretical(ConvNetArchitecture architecture)
    {
        var shapes = architecture.InferConvShapes();
        var result = new List<LayerReceptiveField>();
        int field = 1, jump = 1;
        foreach (var shape in shapes)
        {
            field += (shape.KernelSize - 1) * jump;
            var convField = field;
            var convJump = jump;
            field += (2 - 1) * jump;
            jump *= 2;
            result.Add(new LayerReceptiveField(shape.Name, convField, field, convJump, jump));
        }
        return result;
    }

    /// <summary>
    /// The input rows (or columns) [start, end] that conv-output unit <paramref name="position"/> of layer
    /// <paramref name="layerIndex"/> depends on, before clipping to the image.
    /// </summary>
    public static (int Start, int End) Window(ConvNetArchitecture architecture, int layerIndex, int position)
    {
        // Walk back through the stack: a conv with padding p maps [a, b] to [a − p, b + p] at the same resolution;
        // a 2×2 stride-2 pool maps [a, b] to [2a, 2b + 1] one resolution up.
        int start = position, end = position;
        for (var layer = layerIndex; layer >= 0; layer--)
        {
            start -= architecture.Padding;
            end += architecture.KernelSize - 1 - architecture.Padding;
            if (layer > 0)
            {
                start *= 2;
                end = 2 * end + 1;
            }
        }
        return (start, end);
    }
}
