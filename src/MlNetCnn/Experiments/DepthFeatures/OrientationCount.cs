namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>
/// The complexity of a picture inside a window: its effective number of distinct orientations. At every 2×2 cell of
/// each colour plane the local gradient (the mean of the cell's two horizontal and two vertical differences) votes for
/// its orientation, taken modulo 180° into <see cref="Bins"/> bins centred on 0°, 22.5°, …, weighted by its squared
/// magnitude; the count is exp(entropy) of that histogram: 1 for a single straight edge or grating, up to
/// <see cref="Bins"/> when every orientation carries the same energy. It does not grow with the window's size alone (a
/// long straight edge is one orientation however long), which a spectral measure would.
/// </summary>
internal static class OrientationCount
{
    /// <summary>Orientation bins over 180°.</summary>
    public const int Bins = 8;

    /// <summary>
    /// The effective number of orientations of planar <paramref name="picture"/> (C×H×W) inside rows
    /// <paramref name="rows"/> and columns <paramref name="columns"/> (inclusive, clipped to the picture); NaN when the
    /// window holds no gradient at all (a flat picture has no orientation).
    /// </summary>
    public static double Of(IReadOnlyList<float> picture, int channels, int height, int width, (int Start, int End) rows, (int Start, int End) columns)
    {
        if (picture.Count != channels * height * width)
            throw new ArgumentException($"A {channels}×{height}×{width} picture needs {channels * height * width} values, got {picture.Count}.", nameof(picture));
        var (top, bottom) = (Math.Max(0, rows.Start), Math.Min(height - 1, rows.End));
        var (left, right) = (Math.Max(0, columns.Start), Math.Min(width - 1, columns.End));
        var histogram = new double[Bins];
        for (var c = 0; c < channels; c++)
            for (var y = top; y < bottom; y++)
                for (var x = left; x < right; x++)
                {
                    double P(int yy, int xx) => picture[(c * height + yy) * width + xx];
                    var gx = (P(y, x + 1) - P(y, x) + P(y + 1, x + 1) - P(y + 1, x)) / 2;
                    var gy = (P(y + 1, x) - P(y, x) + P(y + 1, x + 1) - P(y, x + 1)) / 2;
                    var energy = gx * gx + gy * gy;
                    if (!(energy > 0)) continue;
                    var angle = Math.Atan2(gy, gx);                                          // (−π, π]
                    var bin = (int)Math.Round(angle / (Math.PI / Bins));                     // centred on multiples of 180°/Bins
                    histogram[((bin % Bins) + Bins) % Bins] += energy;                       // opposite gradients: one orientation
                }
        var total = histogram.Sum();
        if (!(total > 0)) return double.NaN;
        var entropy = histogram.Where(h => h > 0).Sum(h => -(h / total) * Math.Log(h / total));
        return Math.Exp(entropy);
    }
}
