using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Parts;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>The chosen test images, large, with true and predicted labels (green right, red wrong).</summary>
internal sealed class InputImagesSection : ICnnReportSection
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
            strip.Add(SampleImages.ToRgb(s.Image, a.InputChannels, a.InputHeight * a.InputWidth), a.InputHeight, a.InputWidth, SampleImages.Caption(data, s), s.Label >= 0 ? s.IsCorrect : null);
        report.AddPart(Title, Explain(data)).Add(strip);
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
                $"- row {Int(s.Row)}: {A(SampleImages.ClassName(data, s.Label))} taken for {A(SampleImages.ClassName(data, s.Predicted))}" +
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

}
