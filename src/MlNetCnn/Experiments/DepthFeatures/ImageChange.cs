using static System.FormattableString;

namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>
/// A small change of every image that should not change what a picture shows: a translation by (DX, DY) pixels
/// (right and down positive; the uncovered strip repeats the border pixels, so no artificial edge appears), or a
/// brightness shift and contrast gain about each image's mean (clamped to the images' own range).
/// </summary>
internal sealed record ImageChange(string Name, int DX = 0, int DY = 0, float Brightness = 0, float Contrast = 1)
{
    /// <summary>A translation by (dx, dy) pixels.</summary>
    public static ImageChange Shift(int dx, int dy) => new(Invariant($"shift ({dx:+0;-0;0}, {dy:+0;-0;0}) px"), DX: dx, DY: dy);

    /// <summary>Every pixel plus <paramref name="delta"/>.</summary>
    public static ImageChange Brighten(float delta) => new(Invariant($"brightness {delta:+0.00;-0.00}"), Brightness: delta);

    /// <summary>Every pixel's distance from its image's mean times <paramref name="gain"/>.</summary>
    public static ImageChange Stretch(float gain) => new(Invariant($"contrast ×{gain:0.00}"), Contrast: gain);

    /// <summary>
    /// The changed copy of <paramref name="count"/> planar images (N×C×H×W). Photometric changes are clamped to
    /// [<paramref name="low"/>, <paramref name="high"/>], the range the images come in.
    /// </summary>
    public float[] Apply(IReadOnlyList<float> images, int count, int channels, int height, int width, float low, float high)
    {
        var length = channels * height * width;
        if (images.Count < count * length)
            throw new ArgumentException($"Expected {count} images of {channels}×{height}×{width}, got {images.Count} values.", nameof(images));
        var result = new float[count * length];
        for (var i = 0; i < count; i++)
        {
            var offset = i * length;
            double mean = 0;
            for (var p = 0; p < length; p++) mean += images[offset + p];
            mean /= length;
            for (var c = 0; c < channels; c++)
                for (var y = 0; y < height; y++)
                {
                    var sourceY = Math.Clamp(y - DY, 0, height - 1);
                    for (var x = 0; x < width; x++)
                    {
                        var sourceX = Math.Clamp(x - DX, 0, width - 1);
                        var value = images[offset + (c * height + sourceY) * width + sourceX];
                        if (Brightness != 0 || Contrast != 1)
                            value = Math.Clamp((float)(mean + Contrast * (value - mean)) + Brightness, low, high);
                        result[offset + (c * height + y) * width + x] = value;
                    }
                }
        }
        return result;
    }
}
