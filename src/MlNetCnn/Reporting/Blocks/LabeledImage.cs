namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// An RGB image in planar CHW layout (3 × Height × Width, values in [0, 1]) with a caption.
/// <see cref="Correct"/> colours the caption green/red when set (e.g. prediction right or wrong).
/// </summary>
internal sealed record LabeledImage
{
    /// <summary>An RGB image with its caption.</summary>
    /// <param name="rgb">3 × height × width values in [0,1], planar.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="caption">Text under the image.</param>
    /// <param name="correct">Colours the caption green (true) or red (false); null leaves it plain.</param>
    /// <exception cref="ArgumentException"><paramref name="rgb"/> does not hold 3 × height × width values.</exception>
    public LabeledImage(float[] rgb, int height, int width, string caption, bool? correct = null)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var expected = 3L * height * width;
        if (rgb.Length != expected)
        {
            throw new ArgumentException(
                $"rgb has length {rgb.Length} but 3 × height × width = 3 × {height} × {width} = {expected}.", nameof(rgb));
        }

        Rgb = rgb;
        Height = height;
        Width = width;
        Caption = caption ?? string.Empty;
        Correct = correct;
    }

    /// <summary>3 × Height × Width values in [0,1], planar.</summary>
    public float[] Rgb { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Text under the image.</summary>
    public string Caption { get; }

    /// <summary>Green (true) or red (false) caption; null for plain.</summary>
    public bool? Correct { get; }
}
