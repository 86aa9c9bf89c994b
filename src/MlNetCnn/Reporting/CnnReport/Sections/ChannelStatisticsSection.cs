using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Scan;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// Per-channel activation statistics over the whole test data (streamed from the feature-map columns): mean
/// activation, share of active positions, and the classes whose images excite the channel most.
/// </summary>
internal sealed class ChannelStatisticsSection : IMeasuringSection
{
    /// <summary>Channels active at fewer positions than this share are called nearly silent.</summary>
    internal const double RareFraction = 0.01;

    /// <inheritdoc />
    public string Title => "Channel activation statistics";

    /// <summary>Streams every shown layer's maps into per-channel sums (no image is kept).</summary>
    IRowAccumulator IMeasuringSection.CreateAccumulator(TrainedCnn model, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ChannelStatisticsAccumulator(layers, model.ClassNames.Count);
    }

    /// <summary>Per shown layer, the statistics this section measured during the scan.</summary>
    internal static IReadOnlyList<LayerChannelStatistics> Statistics(CnnReportData data) =>
        (data.Measurement<ChannelStatisticsAccumulator>() ?? throw new InvalidOperationException("Channel statistics are measured only for a page with a ChannelStatisticsSection."))
            .Statistics();

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var section = report.AddPart(Title, Explain(data));
        foreach (var stats in Statistics(data))
        {
            var layer = stats.Layer;
            var channels = Enumerable.Range(0, layer.OutChannels).Select(c => $"ch {c}").ToArray();
            section.Add(new BarChart(channels) { Title = $"{layer.Name}: mean activation per channel", YTitle = "mean activation", HeightPx = 300 }
                    .AddSeries("mean activation", stats.MeanActivation))
                .Add(new BarChart(channels) { Title = $"{layer.Name}: share of positions active (> 0)", YTitle = "active", YRange = new ColorRange(0, 1), ValueFormat = ".0%", ShowValues = true, HeightPx = 300 }
                    .AddSeries("active", stats.FractionActive));
            var table = new Table(["channel", "mean activation", "active positions", "max", "classes exciting it most (class mean)"]) { Title = $"{layer.Name} channels over {Int(stats.Images)} test images" };
            for (var c = 0; c < layer.OutChannels; c++)
            {
                table.AddRow($"ch {c}", Fixed(stats.MeanActivation[c]), Percent(stats.FractionActive[c], 2), Fixed(stats.MaxActivation[c]), TopClassesText(data, stats, c));
            }

            section.Add(table);
        }
    }

    internal static string TopClassesText(CnnReportData data, LayerChannelStatistics stats, int channel) =>
        string.Join(", ", stats.TopClasses(channel, data.Options.TopClassesPerChannel).Select(k => $"{data.ClassNames[k]} {Fixed(stats.ClassMeanActivation(k, channel))}"));

    internal static string Explain(CnnReportData data)
    {
        var lines = new List<string>
        {
            $"Statistics over all {Int(data.RowCount)} test images, computed while streaming the feature-map columns once (no image is kept): " +
            "mean activation, share of positions where the channel is active (after ReLU, > 0), and which classes give it the highest mean activation.",
        };
        foreach (var stats in Statistics(data))
        {
            var c = stats.Layer.OutChannels;
            var order = Enumerable.Range(0, c).OrderByDescending(i => stats.MeanActivation[i]).ToList();
            int most = order[0], least = order[^1];
            var dead = Enumerable.Range(0, c).Where(i => stats.ActivePositions[i] == 0).ToList();
            var rare = Enumerable.Range(0, c).Where(i => stats.ActivePositions[i] > 0 && stats.FractionActive[i] < RareFraction).ToList();
            var line = $"- {stats.Layer.Name}: most active is ch {most} (mean {Fixed(stats.MeanActivation[most])}, active at {Percent(stats.FractionActive[most])} of positions; " +
                       $"strongest for {TopClassesText(data, stats, most)}); least active is ch {least} (mean {Fixed(stats.MeanActivation[least])}, active at {Percent(stats.FractionActive[least])}).";
            if (dead.Count > 0)
                line += $" {List(dead.Select(i => $"ch {i}"))} never fired on the test set (dead after ReLU: its filter's output is negative everywhere).";
            if (rare.Count > 0)
                line += $" Nearly silent (active at under {Percent(RareFraction, 0)} of positions): {List(rare.Select(i => $"ch {i} ({Int(stats.ActivePositions[i])} of {Int(stats.Positions)})"))}.";
            if (dead.Count == 0 && rare.Count == 0)
                line += $" Every channel is active at {Percent(RareFraction, 0)} of positions or more; the most active channel's mean is {Fixed(stats.MeanActivation[most] / stats.MeanActivation[least], 1)}× the least active's.";
            lines.Add(line);
        }

        return string.Join("\n", lines);
    }
}
