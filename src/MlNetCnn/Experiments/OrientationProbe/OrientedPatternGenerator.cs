namespace MlNetCnn.Experiments.OrientationProbe;

/// <summary>
/// Generates oriented probes: gratings and edges at every orientation in <see cref="Orientations"/>, for several spatial
/// periods, phases and colour directions. Each pixel is 0.5 + 0.5·contrast·signal·colour, so every probe has mean grey
/// and stays in [0,1].
/// </summary>
internal sealed class OrientedPatternGenerator
{
    /// <summary>0°, 15°, …, 165°.</summary>
    public IReadOnlyList<double> Orientations { get; init; } = Enumerable.Range(0, 12).Select(i => i * 15.0).ToArray();

    /// <summary>Grating periods in pixels (spatial frequency = 1/period cycles per pixel).</summary>
    public IReadOnlyList<double> Periods { get; init; } = new[] { 3.0, 5.0, 8.0 };

    /// <summary>Grating phases per period and orientation (evenly spaced), so phase-dependent responses average out.</summary>
    public int Phases { get; init; } = 4;

    public double Contrast { get; init; } = 1.0;

    /// <summary>Colour directions: the per-channel multiplier of the signal (channels beyond the input's are ignored).</summary>
    public IReadOnlyList<(string Name, float[] Direction)> Colours { get; init; } = new (string, float[])[]
    {
        ("luminance", new[] { 1f, 1f, 1f }),
        ("red", new[] { 1f, 0f, 0f }),
        ("green", new[] { 0f, 1f, 0f }),
        ("blue", new[] { 0f, 0f, 1f }),
        ("red-green", new[] { 1f, -1f, 0f }),
    };

    public bool IncludeGratings { get; init; } = true;

    public bool IncludeEdges { get; init; } = true;

    public IReadOnlyList<OrientedPattern> Generate(int channels, int height, int width)
    {
        if (channels < 1 || height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(channels), "Image dimensions must be positive.");
        var colours = channels == 1 ? Colours.Take(1).ToArray() : Colours.ToArray();
        var result = new List<OrientedPattern>();
        foreach (var orientation in Orientations)
        {
            foreach (var (name, direction) in colours)
            {
                if (IncludeGratings)
                {
                    foreach (var period in Periods)
                    {
                        for (var p = 0; p < Phases; p++)
                        {
                            var phase = 360.0 * p / Phases;
                            result.Add(new OrientedPattern(OrientedPatternKind.Grating, orientation, period, phase, name,
                                Render(channels, height, width, direction, d => Math.Cos(2 * Math.PI * d / period + phase * Math.PI / 180))));
                        }
                    }
                }
                if (IncludeEdges)
                {
                    foreach (var phase in new[] { 0.0, 180.0 })
                    {
                        var sign = phase == 0 ? 1 : -1;
                        result.Add(new OrientedPattern(OrientedPatternKind.Edge, orientation, double.PositiveInfinity, phase, name,
                            Render(channels, height, width, direction, d => sign * Math.Sign(d))));
                    }
                }
            }

            float[] Render(int c, int h, int w, float[] direction, Func<double, double> signal)
            {
                // Distance along the normal of the stripes (x right, y up, centred): n = (−sin θ, cos θ).
                var theta = orientation * Math.PI / 180;
                var (nx, ny) = (-Math.Sin(theta), Math.Cos(theta));
                var pixels = new float[c * h * w];
                for (var row = 0; row < h; row++)
                    for (var col = 0; col < w; col++)
                    {
                        var x = col - (w - 1) / 2.0;
                        var y = (h - 1) / 2.0 - row;
                        var s = signal(nx * x + ny * y);
                        for (var k = 0; k < c; k++)
                            pixels[k * h * w + row * w + col] = (float)Math.Clamp(0.5 + 0.5 * Contrast * s * (k < direction.Length ? direction[k] : 0), 0, 1);
                    }
                return pixels;
            }
        }
        return result;
    }
}
