using MlNetCnn.Model;

namespace MlNetCnn.Attribution;

/// <summary>
/// The maps one <see cref="IAttributionMethod.Attribute"/> call returns: <see cref="Count"/> maps back to back in
/// <see cref="Values"/>, each <see cref="Dimensions"/> ([H,W], or [C,H,W] for methods that keep channels).
/// </summary>
public sealed class AttributionMaps
{
    /// <summary>Wraps <paramref name="count"/> maps stored back to back in <paramref name="values"/>.</summary>
    /// <param name="method">Registry name of the method that made the maps.</param>
    /// <param name="values">count × channels × height × width values, map after map, planar.</param>
    /// <param name="count">Number of maps (one per image).</param>
    /// <param name="channels">Channels per map (1 for methods that give one value per pixel).</param>
    /// <param name="height">Map height in pixels.</param>
    /// <param name="width">Map width in pixels.</param>
    /// <param name="keepsChannels">Whether <see cref="Dimensions"/> is [C,H,W] (true) or [H,W].</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold count × channels × height × width values.</exception>
    public AttributionMaps(string method, float[] values, int count, int channels, int height, int width, bool keepsChannels)
    {
        if (values.Length != count * channels * height * width)
            throw new ArgumentException($"Expected {count}×{channels}×{height}×{width} values, got {values.Length}.", nameof(values));
        Method = method;
        Values = values;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
        Dimensions = keepsChannels ? new[] { channels, height, width } : new[] { height, width };
    }

    /// <summary>Registry name of the method that made the maps.</summary>
    public string Method { get; }

    /// <summary>All maps, image after image, each in planar order.</summary>
    public float[] Values { get; }

    /// <summary>Number of maps (one per explained image).</summary>
    public int Count { get; }

    /// <summary>Channels per map: the image's channels, or 1 for methods that give one value per pixel.</summary>
    public int Channels { get; }

    /// <summary>Map height in pixels (the input image height).</summary>
    public int Height { get; }

    /// <summary>Map width in pixels (the input image width).</summary>
    public int Width { get; }

    /// <summary>[H,W] or [C,H,W]: the dimensions of one map, as an ML.NET column carries them.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Values in one map.</summary>
    public int MapLength => Channels * Height * Width;

    /// <summary>Map <paramref name="index"/> (0-based, in input order).</summary>
    public ReadOnlySpan<float> Map(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Values.AsSpan(index * MapLength, MapLength);
    }

    /// <summary>
    /// One value per pixel for map <paramref name="index"/>: the channels summed (signed), the quantity that ranks
    /// pixels for deletion and insertion curves and that overlays show.
    /// </summary>
    public float[] PixelMap(int index)
    {
        var map = Map(index);
        var area = Height * Width;
        var pixels = new float[area];
        for (var c = 0; c < Channels; c++)
            for (var p = 0; p < area; p++)
                pixels[p] += map[c * area + p];
        return pixels;
    }

    /// <summary>Map <paramref name="index"/> as a [channels, height, width] array (channels = 1 for per-pixel methods).</summary>
    public float[,,] ToArray(int index) => ImageArrays.To3D(Map(index), Channels, Height, Width);
}
