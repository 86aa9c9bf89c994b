namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>
/// Draws a per-pixel attribution map over its image as RGB: the image in dimmed grey, red where the map supports the
/// class and blue where it counts against, opacity growing with |value| / <c>scale</c>. One scale per method keeps a
/// method's maps comparable across images without letting one method's units swamp another's.
/// </summary>
internal static class AttributionOverlay
{
    private static readonly float[] Supports = { 0.85f, 0.05f, 0.05f };
    private static readonly float[] Against = { 0.05f, 0.25f, 0.95f };

    /// <param name="image">Planar C×H×W pixels in [0,1].</param>
    /// <param name="map">H×W values.</param>
    /// <param name="scale">The value drawn fully opaque (the method's largest |value| over the shown images).</param>
    public static float[] Draw(float[] image, int channels, float[] map, float scale)
    {
        var plane = map.Length;
        var rgb = SampleImages.ToRgb(image, channels, plane);
        var result = new float[3 * plane];
        for (var p = 0; p < plane; p++)
        {
            var grey = 0.299f * rgb[p] + 0.587f * rgb[plane + p] + 0.114f * rgb[2 * plane + p];
            var background = 0.25f + 0.5f * Math.Clamp(grey, 0f, 1f);
            var t = scale > 0 ? Math.Clamp(map[p] / scale, -1f, 1f) : 0f;
            var colour = t >= 0 ? Supports : Against;
            var alpha = 0.85f * Math.Abs(t);
            for (var c = 0; c < 3; c++)
                result[c * plane + p] = (1 - alpha) * background + alpha * colour[c];
        }
        return result;
    }

    /// <summary>The largest |value| over the maps, or 1 when all are zero (so a blank map stays blank, not NaN).</summary>
    public static float Scale(IEnumerable<float[]> maps)
    {
        var max = maps.SelectMany(m => m).Where(float.IsFinite).Select(Math.Abs).DefaultIfEmpty(0f).Max();
        return max > 0 ? max : 1f;
    }
}
