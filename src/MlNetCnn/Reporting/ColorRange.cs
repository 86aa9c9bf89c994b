namespace MlNetCnn.Reporting;

/// <summary>A closed value range [Min, Max] mapped onto a colour scale or an axis.</summary>
internal readonly record struct ColorRange(double Min, double Max)
{
    /// <summary>Smallest and largest finite value; a degenerate or empty range is widened so a colour scale still works.</summary>
    public static ColorRange Of(ReadOnlySpan<float> values, bool symmetricAroundZero)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (double.IsPositiveInfinity(min))
        {
            (min, max) = (0, 0);
        }

        if (symmetricAroundZero)
        {
            var m = Math.Max(Math.Abs(min), Math.Abs(max));
            return m > 0 ? new ColorRange(-m, m) : new ColorRange(-1, 1);
        }

        return max > min ? new ColorRange(min, max) : new ColorRange(min, min + 1);
    }
}
