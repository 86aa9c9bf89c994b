using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>
/// How every section shows a chosen test image: its pixels as RGB, its class names and its true/predicted caption,
/// so the same image reads the same in the input strip, the feature maps, the explanations and the explorer.
/// </summary>
internal static class SampleImages
{
    /// <summary>The class's name, or "(unknown)" for an image without a label (index -1).</summary>
    public static string ClassName(CnnReportData data, int classIndex) => classIndex >= 0 ? data.ClassNames[classIndex] : "(unknown)";

    /// <summary>"true: …\npred: …" plus the predicted probability when the model gives one.</summary>
    public static string Caption(CnnReportData data, ReportSample s) =>
        $"true: {ClassName(data, s.Label)}\npred: {ClassName(data, s.Predicted)}" + (s.Confidence is { } p ? $" {Percent(p, 0)}" : string.Empty);

    /// <summary>ImageStrip draws RGB; a grey image is repeated into all three planes, extra planes are dropped.</summary>
    public static float[] ToRgb(float[] image, int channels, int plane)
    {
        if (channels == 3) return image;
        var rgb = new float[3 * plane];
        for (var c = 0; c < 3; c++)
            Array.Copy(image, Math.Min(c, channels - 1) * plane, rgb, c * plane, plane);
        return rgb;
    }
}
