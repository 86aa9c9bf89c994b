using MlNetCnn.Reporting.Blocks;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>The chosen test images, large, with true and predicted labels (green right, red wrong).</summary>
public sealed class InputImagesSection : IReportSectionBuilder
{
    /// <inheritdoc />
    public string Title => "Input images";

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var a = data.Model.Architecture;
        var hover = a.InputChannels == 1 ? "grey level (drawn as equal R, G, B)" : "RGB value";
        var strip = new ImageStrip { Title = "Chosen test images", Caption = $"Green: predicted correctly; red: wrong. Hover a pixel for its position and {hover}.", TileSize = 120, Columns = 8 };
        foreach (var s in data.Samples)
            strip.Add(ToRgb(s.Image, a.InputChannels, a.InputHeight * a.InputWidth), a.InputHeight, a.InputWidth, Caption(data, s), s.Label >= 0 ? s.IsCorrect : null);
        report.AddSection(Title, Explain(data)).Add(strip);
    }

    internal static string Explain(CnnReportData data)
    {
        var a = data.Model.Architecture;
        var samples = data.Samples;
        var correct = samples.Count(s => s.IsCorrect);
        var classes = samples.Where(s => s.Label >= 0).Select(s => s.Label).Distinct().Count();
        var how = data.Options.ImageIndices is null
            ? $"picked automatically, up to {Plural(data.Options.ImagesPerClass, "image")} per class, so they cover {Plural(classes, "class", "classes")}"
            : "chosen by row index";
        var text = $"{Plural(samples.Count, "test image")} ({how}; rows {List(samples.Select(s => Int(s.Row)))} of {Int(data.RowCount)}). " +
                   $"Each is {Shape(a.InputChannels, a.InputHeight, a.InputWidth)} = {Int(a.InputLength)} numbers in [0, 1]: {Planes(a.InputChannels, a.InputHeight, a.InputWidth)}. " +
                   $"The network classifies {correct} of {samples.Count} correctly.";
        var wrong = samples.Where(s => s.Label >= 0 && !s.IsCorrect).ToList();
        if (wrong.Count > 0)
        {
            text += "\n\n" + string.Join("\n", wrong.Select(s =>
                $"- row {Int(s.Row)}: {A(Name(data, s.Label))} taken for {A(Name(data, s.Predicted))}" +
                (s.Confidence is { } p ? $" with probability {Percent(p, 0)}" : string.Empty)));
        }

        return text;
    }

    /// <summary>What the planes of one input image are, in words that fit its channel count.</summary>
    internal static string Planes(int channels, int height, int width) => channels switch
    {
        1 => $"one {height}×{width} plane of grey levels (0 black, 1 white)",
        3 => $"one {height}×{width} plane per colour channel (red, green, blue)",
        _ => $"one {height}×{width} plane per input channel",
    };

    internal static string Name(CnnReportData data, int classIndex) => classIndex >= 0 ? data.ClassNames[classIndex] : "(unknown)";

    internal static string Caption(CnnReportData data, ReportSample s) =>
        $"true: {Name(data, s.Label)}\npred: {Name(data, s.Predicted)}" + (s.Confidence is { } p ? $" {Percent(p, 0)}" : string.Empty);

    /// <summary>ImageStrip draws RGB; a grey image is repeated into all three planes, extra planes are dropped.</summary>
    internal static float[] ToRgb(float[] image, int channels, int plane)
    {
        if (channels == 3) return image;
        var rgb = new float[3 * plane];
        for (var c = 0; c < 3; c++)
            Array.Copy(image, Math.Min(c, channels - 1) * plane, rgb, c * plane, plane);
        return rgb;
    }
}
