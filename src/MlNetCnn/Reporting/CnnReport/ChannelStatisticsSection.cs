using MlNetCnn.Reporting.Blocks;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Per-channel activation statistics over the whole test data (streamed from the feature-map columns): mean
/// activation, share of active positions, and the classes whose images excite the channel most.
/// </summary>
public sealed class ChannelStatisticsSection : IReportSectionBuilder
{
    public string Title => "Channel activation statistics";

    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var section = report.AddSection(Title, Explain(data));
        foreach (var stats in data.ChannelStatistics)
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
                table.AddRow($"ch {c}", N(stats.MeanActivation[c]), Pct(stats.FractionActive[c]), N(stats.MaxActivation[c]), TopClassesText(data, stats, c));
            }

            section.Add(table);
        }
    }

    internal static string TopClassesText(CnnReportData data, LayerChannelStatistics stats, int channel) =>
        string.Join(", ", stats.TopClasses(channel, data.Options.TopClassesPerChannel).Select(k => $"{data.ClassNames[k]} {N(stats.ClassMeanActivation(k, channel))}"));

    internal static string Explain(CnnReportData data)
    {
        var lines = new List<string>
        {
            $"Statistics over all {Int(data.RowCount)} test images, computed while streaming the feature-map columns once (no image is kept): " +
            "mean activation, share of positions where the channel is active (after ReLU, > 0), and which classes give it the highest mean activation.",
        };
        foreach (var stats in data.ChannelStatistics)
        {
            var c = stats.Layer.OutChannels;
            var order = Enumerable.Range(0, c).OrderByDescending(i => stats.MeanActivation[i]).ToList();
            int most = order[0], least = order[^1];
            var dead = Enumerable.Range(0, c).Where(i => stats.FractionActive[i] == 0).ToList();
            var line = $"- {stats.Layer.Name}: most active is ch {most} (mean {N(stats.MeanActivation[most])}, active at {Pct(stats.FractionActive[most])} of positions; " +
                       $"strongest for {TopClassesText(data, stats, most)}); least active is ch {least} (mean {N(stats.MeanActivation[least])}, active at {Pct(stats.FractionActive[least])}).";
            line += dead.Count > 0
                ? $" {List(dead.Select(i => $"ch {i}"))} never fired on the test set (dead after ReLU)."
                : " Every channel fires somewhere.";
            var spread = stats.MeanActivation.Max() / Math.Max(stats.MeanActivation.Min(), 1e-12);
            if (double.IsFinite(spread) && stats.MeanActivation.Min() > 0)
                line += $" The most active channel's mean is {N(spread, 1)}× the least active's.";
            lines.Add(line);
        }

        return string.Join("\n", lines);
    }
}
