using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Explorer;
using MlNetCnn.Reporting.CnnReport.Parts;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// One conv1 output computed by hand at the strongest unit of one chosen image whose receptive field lies inside the image
/// (the strongest of all when none of those is active, and the page says so): patch, kernel, products, sum + bias, ReLU —
/// ending in the value the feature map shows. A paragraph says why border units light up with zero padding and links to
/// the strongest one in the explorer.
/// </summary>
internal sealed class WorkedConvolutionSection : ICnnReportSection
{
    /// <inheritdoc />
    public string Title => "Worked example: one convolution output";

    /// <summary>
    /// The worked example for <see cref="CnnReportOptions.WorkedExampleImage"/> on the first conv layer, or null when
    /// that layer is not shown or there are no images.
    /// </summary>
    internal static WorkedConvolution? Compute(CnnReportData data)
    {
        var first = data.Model.ConvLayers[0];
        var li = data.IndexOfLayer(first.Name);
        if (li < 0 || data.Samples.Count == 0) return null;
        var sample = data.Samples[Math.Min(data.Options.WorkedExampleImage, data.Samples.Count - 1)];
        var unit = StrongestUnits.StrongestInMap(data.Model.Architecture, first, sample.Maps[li]);
        var (weights, bias) = data.Kernels(first.Name);
        var a = data.Model.Architecture;
        return WorkedConvolution.Compute(sample.Image, a.InputChannels, a.InputHeight, a.InputWidth, weights, bias, first.KernelSize,
            unit.Channel, unit.Row, unit.Col, unit.Value);
    }

    /// <summary>The strongest unit of the worked example's image whose field reaches into the zero padding, or null when none is active.</summary>
    internal static StrongestUnit? BorderUnit(CnnReportData data)
    {
        var first = data.Model.ConvLayers[0];
        var li = data.IndexOfLayer(first.Name);
        if (li < 0 || data.Samples.Count == 0) return null;
        return StrongestUnits.StrongestOnBorder(data.Model.Architecture, first, data.Samples[Math.Min(data.Options.WorkedExampleImage, data.Samples.Count - 1)].Maps[li]);
    }

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var w = Compute(data);
        if (w is null)
        {
            report.AddPart(Title, $"Not available: the worked example needs the first conv layer ({data.Model.ConvLayers[0].Name}) among the shown layers and at least one image.");
            return;
        }

        var sampleIndex = Math.Min(data.Options.WorkedExampleImage, data.Samples.Count - 1);
        var first = data.Model.ConvLayers[0];
        var names = Enumerable.Range(0, w.InChannels).Select(c => InputChannelNames.Of(w.InChannels, c)).ToArray();
        var k = w.KernelSize;
        var section = report.AddPart(Title, Explain(data, w, sampleIndex));
        section.Add(Grid(w.Patch, w, names, "input patch", "input", diverging: false, new ColorRange(0, 1),
                "The pixels under the kernel" + (w.Padded.Any(p => p) ? "; positions outside the image are zero padding." : ".")))
            .Add(Grid(w.Kernel, w, names, "kernel", "weight", diverging: true, null, $"Filter {w.Channel}'s weights: red positive, blue negative."))
            .Add(Grid([.. w.Products.Select(p => (float)p)], w, names, "patch × kernel", "product", diverging: true, null,
                "Element-wise products: red cells push the output up, blue cells push it down."));

        // One row per (input channel, kernel row): the k inputs, k weights and k products side by side.
        var terms = new Table(["input channel", "image row", "image cols", "inputs x", "weights w", "products x · w", "row sum"])
        {
            Title = $"All {w.Products.Length} products, one kernel row at a time",
            Caption = "\"pad\" marks rows and columns outside the image, where the input is the zero padding.",
        };
        string Coord(int v, int size) => v < 0 || v >= size ? $"{v} (pad)" : $"{v}";
        var a = data.Model.Architecture;
        var cols = string.Join(", ", Enumerable.Range(w.Col - k / 2, k).Select(x => Coord(x, a.InputWidth)));
        for (var c = 0; c < w.InChannels; c++)
            for (var dy = 0; dy < k; dy++)
            {
                var start = (c * k + dy) * k;
                var cells = Enumerable.Range(start, k).ToArray();
                terms.AddRow(names[c], Coord(w.Row + dy - k / 2, a.InputHeight), cols,
                    string.Join("  ", cells.Select(i => Fixed(w.Patch[i], 3))),
                    string.Join("  ", cells.Select(i => Fixed(w.Kernel[i], 3))),
                    string.Join("  ", cells.Select(i => Fixed(w.Products[i], 4))),
                    Fixed(cells.Sum(i => w.Products[i]), 5));
            }

        var sums = new Table(["step", "value"]) { Title = "Adding up" };
        var channelSums = w.ChannelSums;
        for (var c = 0; c < w.InChannels; c++)
            sums.AddRow($"Σ products, channel {names[c]} ({k * k} terms)", Fixed(channelSums[c], 5));
        sums.AddRow($"Σ all {w.Products.Length} products", Fixed(w.Sum, 5))
            .AddRow($"+ bias of filter {w.Channel}", Fixed(w.Bias, 5))
            .AddRow("= pre-activation", Fixed(w.PreActivation, 5))
            .AddRow("ReLU: max(0, pre-activation)", Fixed(w.Output, 5))
            .AddRow($"{data.Model.ConvLayers[0].Name} map value, ch {w.Channel}, row {w.Row}, col {w.Col}", Fixed(w.MapValue, 5));
        section.Add(sums).Add(terms);
        if (BorderUnit(data) is { } border && ExplorerSection.IsOnPage(data))
            section.Add(new ExplorerUnitLink(sampleIndex, first.Index, border.Channel, border.Row, border.Col,
                $"Open image {sampleIndex + 1}'s border unit {first.Name} ch {border.Channel}, row {border.Row}, col {border.Col} in the explorer"));
    }

    private static HeatmapGrid Grid(float[] values, WorkedConvolution w, string[] names, string what, string valueLabel, bool diverging, ColorRange? range, string caption) =>
        new(values, w.InChannels, w.KernelSize, w.KernelSize)
        {
            Title = $"{char.ToUpperInvariant(what[0])}{what[1..]}",
            Caption = caption,
            ChannelLabels = [.. names.Select(n => $"{n} {what}")],
            Diverging = diverging,
            Range = range,
            ValueLabel = valueLabel,
            Columns = w.InChannels,
            CellSize = 110,
        };

    internal static string Explain(CnnReportData data, WorkedConvolution w, int sampleIndex)
    {
        var layer = data.Model.ConvLayers[0];
        var sample = data.Samples[sampleIndex];
        var n = w.Products.Length;
        var padded = w.Padded.Count(p => p);
        var maxProduct = Enumerable.Range(0, n).MaxBy(i => w.Products[i]);
        var minProduct = Enumerable.Range(0, n).MinBy(i => w.Products[i]);
        var plane = w.KernelSize * w.KernelSize;
        string Where(int i) => $"{InputChannelNames.Of(w.InChannels, i / plane)} at kernel row {i % plane / w.KernelSize}, col {i % w.KernelSize}";
        var a = data.Model.Architecture;
        var field = ReceptiveFields.Theoretical(a)[layer.Index].ConvOutput;
        var inside = StrongestUnits.FieldInside(a, layer.Index, w.Row, w.Col);
        var border = BorderUnit(data);
        return $"How does the bright spot in a feature map arise? Take image {sampleIndex + 1} (row {Int(sample.Row)}, {A(SampleImages.ClassName(data, sample.Label))}) " +
               (inside
                   ? $"and its strongest {layer.Name} response among the units whose {field}×{field} field lies inside the image: "
                   : $"and its strongest {layer.Name} response (no unit whose {field}×{field} field lies inside the image is active on it, so this one reaches into the padding): ") +
               $"channel {w.Channel} at row {w.Row}, col {w.Col}, value {Fixed(w.MapValue, 5)}.\n\n" +
               $"The filter looks only at the {Shape(w.InChannels, w.KernelSize, w.KernelSize)} = {n} input values around that position" +
               (padded > 0 ? $" ({padded} of them fall outside the image and are zero padding)" : string.Empty) +
               $", multiplies each with its weight and adds everything up: Σ x·w = {Fixed(w.Sum, 5)}, plus bias {Fixed(w.Bias, 5)} gives {Fixed(w.PreActivation, 5)}; " +
               $"ReLU keeps {(w.PreActivation > 0 ? "it as is" : "0 because it is negative")}: {Fixed(w.Output, 5)}, exactly the map's value {Fixed(w.MapValue, 5)} " +
               $"(difference {(w.Output - w.MapValue).ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture)}).\n\n" +
               $"The largest contribution is {Fixed(w.Products[maxProduct], 4)} ({Where(maxProduct)}), the most negative {Fixed(w.Products[minProduct], 4)} ({Where(minProduct)}). " +
               $"The same {n} weights are applied at all {Int(layer.OutHeight * layer.OutWidth)} positions to produce the whole {layer.OutHeight}×{layer.OutWidth} map: " +
               "a convolution is a local pattern detector, because each output sees only a small patch, and the same detector is used everywhere." +
               (border is null ? string.Empty :
                   $"\n\nWhy not a unit on the border? There the kernel hangs over the zero padding, and beside a bright region those zeros make an " +
                   $"artificial dark-to-bright edge that is not in the picture, so edge filters light up on the border for a trivial reason " +
                   $"(on this image: channel {border.Channel} at row {border.Row}, col {border.Col}, value {Fixed(border.Value, 5)}" +
                   (border.Value > w.MapValue ? ", stronger than any unit inside" : string.Empty) + ").");
    }
}
