namespace MlNetCnn.Experiments.Figures;

/// <summary>A picture as planar floats in [0,1]: <see cref="Channels"/> is 3 (RGB) or 1 (grey), shape C×H×W.</summary>
public sealed class ImagePanel
{
    /// <summary>A panel of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> planar values.</summary>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public ImagePanel(string title, float[] pixels, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != channels * height * width)
            throw new ArgumentException($"An image panel of {channels}×{height}×{width} needs {channels * height * width} values, got {pixels.Length}.", nameof(pixels));
        (Title, Pixels, Channels, Height, Width) = (title, pixels, channels, height, width);
    }

    /// <summary>The caption under the picture.</summary>
    public string Title { get; }

    /// <summary>Channels × Height × Width values in [0,1], planar.</summary>
    public float[] Pixels { get; }

    /// <summary>3 (RGB) or 1 (grey).</summary>
    public int Channels { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }
}
