namespace MlNetCnn.Model;

/// <summary>Planar float blocks as C#'s multidimensional arrays, for app code that indexes [c, y, x].</summary>
internal static class ImageArrays
{
    /// <summary>From a 0–255 pixel byte to the [0, 1] value the network reads; the one source of both readers' public scales.</summary>
    public const float ByteScale = 1f / 255;

    public static float[,,] To3D(ReadOnlySpan<float> values, int channels, int height, int width)
    {
        if (values.Length != channels * height * width)
            throw new ArgumentException($"Expected {channels}×{height}×{width} values, got {values.Length}.", nameof(values));
        var result = new float[channels, height, width];
        var i = 0;
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    result[c, y, x] = values[i++];
        return result;
    }
}
