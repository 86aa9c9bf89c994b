namespace MlNetCnn.Experiments.Figures;

/// <summary>A picture as planar floats in [0,1]: <paramref name="Channels"/> is 3 (RGB) or 1 (grey), shape C×H×W.</summary>
public sealed record ImagePanel(string Title, float[] Pixels, int Channels, int Height, int Width)
{
    /// <summary>Channels × Height × Width values in [0,1], planar.</summary>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public float[] Pixels { get; init; } = Check(Pixels, Channels, Height, Width);

    private static float[] Check(float[] pixels, int channels, int height, int width)
    {
        if (pixels.Length != channels * height * width)
            throw new ArgumentException($"An image panel of {channels}×{height}×{width} needs {channels * height * width} values, got {pixels.Length}.", nameof(pixels));
        return pixels;
    }
}
