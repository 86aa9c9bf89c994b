using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Explorer;
using MlNetCnn.Reporting.CnnReport.Scan;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// "Explore the network": for every chosen image and every conv layer of the model, click (or choose with the keyboard)
/// any unit to see the convolution that produced it — input patch with padding marked, kernel, products, sum + bias =
/// pre-activation, ReLU = value — with its receptive field outlined on the image; in deeper layers each patch value names
/// the 2×2 pool window it won from and leads to that unit of the previous layer. Per channel, the test images that
/// excite it most. Left out when <see cref="CnnReportOptions.IncludeExplorer"/> is false.
/// </summary>
internal sealed class ExplorerSection : IMeasuringSection
{
    /// <inheritdoc />
    public string Title => "Explore the network: click any unit";

    /// <summary>
    /// Per channel, the strongest test images ("what it responds to"): a search per row, layer and channel, so only when
    /// the explorer is on and shows top patches.
    /// </summary>
    IRowAccumulator? IMeasuringSection.CreateAccumulator(TrainedCnn model, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return options.IncludeExplorer && options.ExplorerTopPatches > 0 ? new TopPatchAccumulator(model.Architecture, layers, options.ExplorerTopPatches) : null;
    }

    /// <summary>True when the page built from <paramref name="data"/> has an explorer (other sections link to it).</summary>
    internal static bool IsOnPage(CnnReportData data) => data.Options.IncludeExplorer && data.Sections.Any(s => s is ExplorerSection);

    /// <summary>
    /// Per shown layer (same order as <see cref="CnnReportData.Layers"/>), each channel's strongest test images with their
    /// receptive-field crops; null when the page has no explorer or it shows no top patches.
    /// </summary>
    internal static IReadOnlyList<IReadOnlyList<ChannelTopPatches>>? TopPatches(CnnReportData data) => data.Measurement<TopPatchAccumulator>()?.Result();

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Options.IncludeExplorer) return;
        if (data.Samples.Count == 0)
        {
            report.AddPart(Title, "Not available: no images were chosen.");
            return;
        }

        var block = new ExplorerBlock(ExplorerPayload.Build(data, Maps(data), TopPatches(data)));
        report.AddPart(Title, Explain(data)).Add(block);
    }

    /// <summary>[layer][image] post-ReLU maps of every conv layer of the model (the shown ones and any others).</summary>
    internal static float[][][] Maps(CnnReportData data)
    {
        var model = data.Model;
        var layers = model.ConvLayers;
        var result = layers.Select(_ => new float[data.Samples.Count][]).ToArray();
        var indices = Enumerable.Range(0, layers.Count).ToArray();
        for (var i = 0; i < data.Samples.Count; i++)
        {
            var outputs = layers.Select(l => new float[l.MapLength]).ToArray();
            model.Infer(data.Samples[i].Image, 1, null, indices, outputs);
            for (var l = 0; l < layers.Count; l++) result[l][i] = outputs[l];
        }

        return result;
    }

    private static string Explain(CnnReportData data)
    {
        var layers = data.Model.ConvLayers;
        var k = data.Model.Architecture.KernelSize;
        var top = data.Options.ExplorerTopPatches;
        return $"Every bright spot in a feature map is one number computed by one small sum. Pick any of the {Plural(data.Samples.Count, "image")} and click any unit of " +
               $"{List(layers.Select(l => l.Name))}: the panel shows the {k}×{k} input patch of every input channel (positions in the padding marked), the kernel, the " +
               "element-wise products, their sum plus the bias (the pre-activation) and ReLU, which gives the value in the map. The unit's receptive field — every input pixel " +
               "it depends on, through all the convolutions and 2×2 max-pools before it — is outlined on the image.\n\n" +
               (layers.Count > 1
                   ? $"From {layers[1].Name} on, the input patch is the previous block's pooled maps: each value is the largest of a 2×2 window of the previous layer's map, " +
                     "and the panel says which one won. Click a patch value to go to that unit and follow any unit back to pixels.\n\n"
                   : string.Empty) +
               (top > 0 && TopPatches(data) is not null
                   ? $"Under the panel, \"what it responds to\": the channel's kernel and the {top} test images (of {Int(data.RowCount)} scanned) whose strongest unit in that channel is highest, " +
                     "cropped to that unit's receptive field (only units whose field lies inside the image compete, as in the top-patches experiment).\n\n"
                   : string.Empty) +
               "Your own picture, brush and kernel edits: choose or drop a PNG or JPEG (read in the browser, never uploaded), paint on the image, shift it with the arrow keys, " +
               "or type new kernel weights in the panel: the page runs the whole network again — every conv layer, the pooling, fc1 and fc2 — from the model's weights " +
               "embedded in it, in float32, so every map and the predicted class probabilities follow at once. Edits are not saved.\n\n" +
               "Keyboard: Tab to a map, arrow keys move the cursor, Enter shows the computation. For the report's images, the model's own map value (computed by the library " +
               "when the report was written) stands beside the page's, so the two can be compared.";
    }
}
