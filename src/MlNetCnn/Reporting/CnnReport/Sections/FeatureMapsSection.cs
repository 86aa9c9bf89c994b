using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Parts;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// For each chosen image and shown conv layer, one heatmap per channel, read from the <c>conv*</c> feature-map
/// columns. All grids of a layer share one colour range (<see cref="CnnReportData.MapRanges"/>), so a colour means
/// the same activation in every image and channel.
/// </summary>
internal sealed class FeatureMapsSection : ICnnReportSection
{
    /// <inheritdoc />
    public string Title => "Feature maps";

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var a = data.Model.Architecture;
        var section = report.AddPart(Title, Explain(data));
        for (var si = 0; si < data.Samples.Count; si++)
        {
            var s = data.Samples[si];
            section.Add(new ImageStrip { Title = $"Image {si + 1} (row {Int(s.Row)})", TileSize = 128, Columns = 1 }
                .Add(SampleImages.ToRgb(s.Image, a.InputChannels, a.InputHeight * a.InputWidth), a.InputHeight, a.InputWidth,
                    SampleImages.Caption(data, s), s.Label >= 0 ? s.IsCorrect : null));
            for (var li = 0; li < data.Layers.Count; li++)
                section.Add(Grid(data, si, li));
        }
    }

    /// <summary>The heatmap grid of image <paramref name="sampleIndex"/>, layer <paramref name="layerIndex"/> (indices into the data's lists).</summary>
    internal static HeatmapGrid Grid(CnnReportData data, int sampleIndex, int layerIndex)
    {
        var layer = data.Layers[layerIndex];
        var map = data.Samples[sampleIndex].Maps[layerIndex];
        var (columns, cell) = ChannelGridLayout.For(layer.OutChannels);
        return new HeatmapGrid(map, layer.OutChannels, layer.OutHeight, layer.OutWidth)
        {
            Title = $"Image {sampleIndex + 1}: {layer.Name} ({Shape(layer.OutChannels, layer.OutHeight, layer.OutWidth)})",
            Caption = DescribeMap(map, layer, data.Model.Architecture),
            Range = data.MapRanges[layerIndex],
            ValueLabel = "activation",
            Columns = columns,
            CellSize = cell,
        };
    }

    /// <summary>
    /// Strongest unit whose receptive field lies inside the image (else the strongest of all, saying so), silent channels,
    /// mean: all read off the map.
    /// </summary>
    internal static string DescribeMap(float[] map, ConvLayerShape layer, ConvNetArchitecture architecture)
    {
        var plane = layer.OutHeight * layer.OutWidth;
        var best = StrongestUnits.StrongestInMap(architecture, layer, map);
        var text = (best.FieldInside ? "Strongest response with its field inside the image: " : "Strongest response (no unit with its field inside the image is active, so this one sees padding): ") +
                   $"ch {best.Channel} at row {best.Row}, col {best.Col} ({Fixed(best.Value)}); " +
                   $"mean activation {Fixed(map.Average(v => (double)v))}; {Percent(map.Count(v => v > 0) / (double)map.Length, 0)} of positions active.";
        var silent = Enumerable.Range(0, layer.OutChannels).Where(c => map.AsSpan(c * plane, plane).IndexOfAnyExcept(0f) < 0).ToList();
        if (silent.Count > 0)
            text += $" Silent (all zero) on this image: {List(silent.Select(c => $"ch {c}"))}.";
        return text;
    }

    internal static string Explain(CnnReportData data)
    {
        var a = data.Model.Architecture;
        var lines = new List<string>
        {
            $"Each grid shows one layer's output for one image: one small map per channel (filter), read from the feature-map column named after the layer. " +
            $"A map is bright where its filter's pattern occurs; the position in the map is the position in the image. " +
            "Each caption names the strongest unit whose receptive field lies inside the image: units on the border also see the zero padding, " +
            "which beside a bright region looks like an edge (see the worked example).",
            string.Empty,
            $"How the shape changes with depth (from the layer shapes): the input is {Shape(a.InputChannels, a.InputHeight, a.InputWidth)} = {Int(a.InputLength)} values.",
        };

        // Receptive field: how many input pixels one map value depends on, grown by each k×k conv and each 2×2 pool.
        int receptive = 1, step = 1;
        ConvLayerShape? previous = null;
        foreach (var layer in data.Model.ConvLayers)
        {
            receptive += (layer.KernelSize - 1) * step;
            var shown = data.IndexOfLayer(layer.Name) >= 0;
            var input = previous is null ? "the image" : $"the {previous.OutChannels} pooled {previous.Name} maps";
            lines.Add($"- {layer.Name}: {layer.OutChannels} filters of {Shape(layer.InChannels, layer.KernelSize, layer.KernelSize)} slide over {input} → " +
                      $"{Shape(layer.OutChannels, layer.OutHeight, layer.OutWidth)} = {Int(layer.MapLength)} values; each value depends on a patch of {receptive}×{receptive} image pixels" +
                      $"; max-pool 2 → {Shape(layer.OutChannels, layer.PooledHeight, layer.PooledWidth)} = {Int(layer.OutChannels * layer.PooledHeight * layer.PooledWidth)}" +
                      (shown ? "." : " (not shown)."));
            receptive += step;
            step *= 2;
            previous = layer;
        }

        var first = data.Model.ConvLayers[0];
        var last = data.Model.ConvLayers[^1];
        lines.Add(string.Empty);
        lines.Add($"So with depth the maps shrink from {first.OutHeight}×{first.OutWidth} to {last.PooledHeight}×{last.PooledWidth} while the channels grow from {first.OutChannels} to {last.OutChannels}: " +
                  $"fewer positions, more kinds of pattern, each covering a larger part of the image.");
        lines.Add(string.Empty);
        lines.Add("Colour scales: one per layer, shared by all images, so colours can be compared across images and channels: " +
                  string.Join("; ", data.Layers.Select((l, i) => $"{l.Name} {Fixed(data.MapRanges[i].Min)} to {Fixed(data.MapRanges[i].Max)}")) + ".");
        return string.Join("\n", lines);
    }
}
