using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Parts;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// The learned kernels: first-layer kernels of a colour (3-channel) or grey (1-channel) input as colour or grey tiles
/// plus their (colour-summed) weights and an orientation analysis; deeper kernels as one diverging heatmap per
/// (filter, input channel).
/// </summary>
internal sealed class KernelsSection : ICnnReportSection
{
    private static readonly string[] Rgb = ["R", "G", "B"];

    /// <inheritdoc />
    public string Title => "Learned kernels";

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var paragraphs = new List<string>
        {
            "A kernel is the small set of weights a filter multiplies with every patch it slides over; the same weights are used at every position, " +
            "so a filter finds its pattern wherever it is in the image.",
        };
        var blocks = new List<ReportBlock>();
        foreach (var layer in data.Layers)
        {
            var (weights, bias) = data.Kernels(layer.Name);
            if (layer.Index == 0 && layer.InChannels is 1 or 3)
            {
                var orientations = Orientations(weights, layer);
                paragraphs.Add(ExplainFirstLayer(layer, orientations));
                blocks.AddRange(FirstLayerBlocks(layer, weights, bias, orientations));
            }
            else
            {
                paragraphs.Add(ExplainDeepLayer(layer, weights));
                blocks.Add(DeepLayerGrid(layer, weights));
            }
        }

        var section = report.AddPart(Title, string.Join("\n\n", paragraphs));
        foreach (var b in blocks) section.Add(b);
    }

    internal static IReadOnlyList<KernelOrientation> Orientations(float[] weights, ConvLayerShape layer) =>
        [.. Enumerable.Range(0, layer.OutChannels).Select(o => KernelOrientation.Analyse(weights, o, layer.InChannels, layer.KernelSize))];

    internal static string ExplainFirstLayer(ConvLayerShape layer, IReadOnlyList<KernelOrientation> orientations)
    {
        var groups = orientations.GroupBy(o => o.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{Plural(g.Count(), "filter")} {g.Key} ({List(g.Select(o => $"filter {o.Filter}"))})");
        var lines = new List<string>
        {
            $"{layer.Name} has {layer.OutChannels} filters of {Shape(layer.InChannels, layer.KernelSize, layer.KernelSize)} = {layer.InChannels * layer.KernelSize * layer.KernelSize} weights (+1 bias) each. " +
            $"Measured from the weights (response of the {(layer.InChannels == 3 ? "colour-summed kernel" : "kernel")} to synthetic step edges brightening towards 0°, 45°, 90°, 135° " +
            "— gradient directions, 0° = left to right, 90° = bottom to top; a vertical edge's gradient is 0° —, as a share of its total |weight|; " +
            $"an edge detector needs at least {Fixed(KernelOrientation.EdgeThreshold, 1)}): {List(groups)}.",
        };
        lines.AddRange(orientations.Select(o => "- " + o.Describe(layer.InChannels == 3 ? Rgb : ["grey"])));
        return string.Join("\n", lines);
    }

    internal static IEnumerable<ReportBlock> FirstLayerBlocks(ConvLayerShape layer, float[] weights, float[] bias, IReadOnlyList<KernelOrientation> orientations)
    {
        var k = layer.KernelSize;
        var grey = layer.InChannels == 1;
        yield return RgbKernelTiles.CreateStrip(weights, layer.OutChannels, k, sharedScale: false,
            title: grey ? $"{layer.Name} kernels as grey tiles" : $"{layer.Name} kernels as RGB tiles",
            caption: grey
                ? "Mid grey = weight 0; brighter = positive weight, darker = negative. Each tile uses its own scale to show its pattern."
                : "Grey = weight 0; a brighter colour channel = positive weight on that colour, darker = negative. Each tile uses its own scale to show its pattern.",
            tileSize: 96, columns: Math.Min(layer.OutChannels, 10), inChannels: layer.InChannels);

        // The colour sum is what the orientation analysis reads; diverging colours show the sign pattern.
        var plane = k * k;
        var summed = new float[layer.OutChannels * plane];
        for (var o = 0; o < layer.OutChannels; o++)
            for (var c = 0; c < layer.InChannels; c++)
                for (var i = 0; i < plane; i++)
                    summed[o * plane + i] += weights[(o * layer.InChannels + c) * plane + i];
        var (columns, cell) = ChannelGridLayout.For(layer.OutChannels);
        yield return new HeatmapGrid(summed, layer.OutChannels, k, k)
        {
            Title = grey ? $"{layer.Name} kernels (signed weights)" : $"{layer.Name} kernels summed over R, G, B",
            Caption = "Red = positive, blue = negative weight. A row or column of one sign next to one of the other sign is an edge detector across that direction.",
            ChannelLabels = [.. orientations.Select(o => $"f{o.Filter}: {o.Label}")],
            Diverging = true,
            ValueLabel = "weight",
            Columns = columns,
            CellSize = Math.Min(cell, 110),
        };

        string[] sums = grey ? ["weight sum"] : ["R sum", "G sum", "B sum"];
        var table = new Table(["filter", "reads as", "0°", "45°", "90°", "135°", "flat patch", .. sums, "bias"]) { Title = $"{layer.Name} orientation analysis", Caption = "Angle columns: response to a step edge whose brightness rises towards that gradient direction (0° = left to right, 90° = bottom to top), as a share of the kernel's total |weight|; a negative value means the filter prefers the reverse step." };
        foreach (var o in orientations)
        {
            table.AddRow([$"{o.Filter}", o.Label, .. o.EdgeResponses.Select(r => Fixed(r, 2)), Fixed(o.FlatResponse, 2), .. o.ChannelSums.Select(s => Fixed(s, 3)), Fixed(bias[o.Filter], 3)]);
        }

        yield return table;
    }

    internal static string ExplainDeepLayer(ConvLayerShape layer, float[] weights)
    {
        var plane = layer.KernelSize * layer.KernelSize;
        var perInput = new double[layer.InChannels];
        var maxAbs = 0.0;
        for (var o = 0; o < layer.OutChannels; o++)
            for (var c = 0; c < layer.InChannels; c++)
                for (var i = 0; i < plane; i++)
                {
                    var w = Math.Abs(weights[(o * layer.InChannels + c) * plane + i]);
                    perInput[c] += w;
                    maxAbs = Math.Max(maxAbs, w);
                }

        var total = perInput.Sum();
        var ranked = Enumerable.Range(0, layer.InChannels).OrderByDescending(c => perInput[c]).ToList();
        return $"{layer.Name} has {layer.OutChannels} filters of {Shape(layer.InChannels, layer.KernelSize, layer.KernelSize)} = {layer.InChannels * plane} weights (+1 bias) each: " +
               $"every filter combines a {layer.KernelSize}×{layer.KernelSize} neighbourhood of ALL {layer.InChannels} input maps, so it detects arrangements of earlier patterns. " +
               $"In the grid each row is one filter and each column the input channel it reads; weights reach ±{Fixed(maxAbs)}. " +
               $"Share of the layer's total |weight| per input channel: {List(ranked.Select(c => $"ch {c} {Percent(perInput[c] / total, 0)}"))}.";
    }

    internal static HeatmapGrid DeepLayerGrid(ConvLayerShape layer, float[] weights) =>
        new(weights, layer.OutChannels * layer.InChannels, layer.KernelSize, layer.KernelSize)
        {
            Title = $"{layer.Name} kernels (row = filter, column = input channel)",
            ChannelLabels = [.. Enumerable.Range(0, layer.OutChannels * layer.InChannels).Select(i => $"f{i / layer.InChannels} ← ch{i % layer.InChannels}")],
            Diverging = true,
            ValueLabel = "weight",
            Columns = layer.InChannels,
            CellSize = Math.Clamp(600 / layer.InChannels, 40, 80),
        };
}
