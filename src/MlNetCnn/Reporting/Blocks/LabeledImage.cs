namespace MlNetCnn.Reporting.Blocks;

/// <summary>
/// An RGB image in planar CHW layout (3 × Height × Width, values in [0, 1]) with a caption.
/// <see cref="Correct"/> colours the caption green/red when set (e.g. prediction right or wrong).
/// </summary>
public sealed record LabeledImage
{
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

    public float[] Rgb { get; }

    public int Height { get; }

    public int Width { get; }

    public string Caption { get; }

    public bool? Correct { get; }
}
