using System.Globalization;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Parts;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// "Features by depth": one row per conv layer, each channel's optimized picture (feature visualization) cut to its
/// centre unit's receptive field, so how the patterns grow with depth is seen at a glance. Left out when
/// <see cref="CnnReportOptions.IncludeFeatureVisualization"/> is false.
/// </summary>
internal sealed class FeaturesByDepthSection : ICnnReportSection
{
    private const int TileSize = 72;

    // 8 tiles of 72 px with their gaps are 696 px wide: within the 718 px of an A4 page's printable width.
    private const int MaxColumns = 8;

    /// <inheritdoc />
    public string Title => "Features by depth: what each channel is tuned to";

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Options.IncludeFeatureVisualization) return;
        if (!data.HasFeaturePictures)
        {
            report.AddPart(Title, "Left out: this model has NaN or infinite weights (see the warnings when it was opened), so no input can be optimized for its channels.");
            return;
        }
        var results = data.Layers.Select(l => (Layer: l, Result: data.FeaturePictures(l.Name))).ToList();
        var section = report.AddPart(Title, Explain(data, results));
        foreach (var (layer, result) in results)
            section.Add(Strip(layer, result, DeadChannels(data, layer), data.RowCount));
    }

    /// <summary>The channels the explorer calls dead: 0 at every unit of every test image the report scanned.</summary>
    internal static IReadOnlyList<int> DeadChannels(CnnReportData data, ConvLayerShape layer)
    {
        var shown = data.IndexOfLayer(layer.Name);
        if (ExplorerSection.TopPatches(data) is not { } top || shown < 0) return [];
        return [.. top[shown].Select((c, ch) => (c, ch)).Where(x => !(x.c.Max > 0)).Select(x => x.ch)];
    }

    private static ImageStrip Strip(ConvLayerShape layer, FeatureVisualizationResult result, IReadOnlyList<int> dead, long scanned)
    {
        var side = result.CropSide;
        var strip = new ImageStrip
        {
            // An optimized picture can make a channel fire that no real image does: say so, as the explorer does.
            Caption = dead.Count == 0 ? null :
                $"Dead on the test images: {string.Join(", ", dead.Select(c => $"{layer.Name} ch {c}"))} never fire — 0 at every unit of every one of the " +
                $"{scanned.ToString(CultureInfo.InvariantCulture)} test images scanned (the explorer flags them dead). Their pictures show an input made to excite them, not anything a test image does.",
            Columns = Columns(layer.OutChannels),
            TileSize = TileSize,
            CaptionLines = 2,
        };
        foreach (var channel in result.Channels)
        {
            var rgb = SampleImages.ToRgb(result.Crop(channel.Channel), result.InputChannels, side * side);
            strip.Add(rgb, side, side, $"{layer.Name} ch {channel.Channel}\n{channel.Activation.ToString("F2", CultureInfo.InvariantCulture)}");
        }

        return strip;
    }

    /// <summary>
    /// At most <see cref="MaxColumns"/> tiles a row (a row fits a printed A4 or Letter page), spread evenly over the
    /// rows: 12 channels make two rows of 6, not 8 and 4.
    /// </summary>
    internal static int Columns(int channels)
    {
        var rows = (channels + MaxColumns - 1) / MaxColumns;
        return Math.Max(1, (channels + rows - 1) / Math.Max(1, rows));
    }

    private static string Explain(CnnReportData data, IReadOnlyList<(ConvLayerShape Layer, FeatureVisualizationResult Result)> results)
    {
        var first = results.Count > 0 ? results[0].Result : null;
        var lines = new List<string>
        {
            "Each tile is an input optimized to excite one channel as much as possible (feature visualization): starting from a near-grey picture, " +
            $"{first?.Steps ?? FeatureVisualizer.Defaults.Steps} steps of gradient ascent change the pixels — never the weights — to raise the channel's centre unit. " +
            "Pixels stay in [0, 1], the range the model was trained on; small random shifts and a smoothness penalty keep pixel noise out. " +
            "Only the unit's receptive field is shown (the rest of the picture cannot change the unit), so the tiles grow with depth as the fields do. " +
            $"The number under each tile is the activation the picture reaches; compare it with the channel's top test crops in the explorer. Seed {first?.Seed ?? FeatureVisualizer.Defaults.Seed}; details: docs/feature-visualization.md.",
        };
        foreach (var (layer, result) in results)
        {
            var reached = result.Channels.Select(c => c.Activation).ToArray();
            var dead = reached.Count(v => !(v > 0));
            lines.Add($"- {layer.Name}: {Plural(layer.OutChannels, "channel")}, receptive field {result.CropSide}×{result.CropSide} px; activation reached " +
                      $"{Fixed(reached.Min())}–{Fixed(reached.Max())}" + (dead > 0 ? $"; {Plural(dead, "channel")} could not be made to fire (dead ReLU)." : "."));
        }

        return string.Join("\n", lines);
    }
}
